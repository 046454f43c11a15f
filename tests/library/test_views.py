"""Every library page for the four personas, anonymous visitors, outsiders and wrong methods."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from okrflow.library.owners import choice_value
from okrflow.okrs.models import KeyResult, Objective
from tests.conftest import World, make_objective
from tests.library.conftest import signed_in

PERSONAS = ("admin", "lead", "member", "outsider")
PAGES = [
    "/library/",
    "/library/?level=department_head&marketing=&lang=en",
    "/library/templates/company_top3/",
    "/library/templates/email_connect/?lang=en",
    "/library/check/",
    "/library/check/?text=O%3A+Win%0A-+KR1%3A+Hold+a+webinar",
    "/library/quality/?objective=Top+3&kr=Improve+quality",
    "/library/parse-kr/?text=Reach+10%2C000+followers",
    "/library/import/",
    "/library/export/",
]
SIMPLE = "Marketing\nO: Khách hàng yêu thích bản tin\n- KR1: Tăng tỷ lệ mở email từ 18% lên 30% trước 30/6\n"


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_is_sent_to_sign_in(client: Client, world: World, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


@pytest.mark.parametrize("url", PAGES)
def test_someone_outside_the_organisation_is_refused(
    client: Client, world: World, url: str
) -> None:
    get_user_model().objects.create_user("stranger", password="x-y-z-12345")
    client.login(username="stranger", password="x-y-z-12345")
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url", PAGES)
def test_every_page_opens_for_every_persona(
    client: Client, world: World, persona: str, url: str
) -> None:
    response = signed_in(client, world, persona).get(url)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "url",
    ["/library/", "/library/templates/company_top3/", "/library/check/", "/library/quality/",
     "/library/parse-kr/", "/library/export/", "/library/templates/company_top3/use/"],
)  # fmt: skip
def test_wrong_method(client: Client, world: World, url: str) -> None:
    signed_in(client, world, "member")
    wrong = client.get if url.endswith("/use/") else client.post
    assert wrong(url).status_code == 405
    assert client.put("/library/import/").status_code == 405


def test_template_list_filters_and_languages(client: Client, world: World) -> None:
    signed_in(client, world, "member")
    page = client.get("/library/?level=specialist&lang=en").content.decode()
    assert "Understand client behaviour" in page
    assert "Firmly take a Top-3 market share" not in page
    page = client.get("/library/?marketing=inbound&lang=vi").content.decode()
    assert "Mở rộng mạnh mẽ danh sách khách hàng tiềm năng" in page
    assert "Gắn kết khách hàng" not in page
    empty = client.get("/library/?level=company&marketing=email").content.decode()
    assert "No template matches these filters." in empty
    assert client.get("/library/?level=nonsense").status_code == 200


def test_template_detail_shows_figures_quality_and_parent(client: Client, world: World) -> None:
    page = signed_in(client, world, "lead").get("/library/templates/event_goodwill/?lang=vi")
    html = page.content.decode()
    assert "Tổ chức hội nghị khách hàng trong tháng 4" in html
    assert 'data-rule="kr_is_activity"' in html
    assert "/library/templates/company_top3/" in html  # aligns to the company objective
    assert client.get("/library/templates/nope/").status_code == 404


@pytest.mark.parametrize(
    ("persona", "owner", "status"),
    [
        ("admin", "sales", 302),
        ("lead", "marketing", 302),
        ("member", "member", 302),
        ("outsider", "outsider", 302),
        ("member", "marketing", 403),
        ("outsider", "member", 403),
        ("lead", "sales", 403),
    ],
)
def test_use_template_per_persona(
    client: Client, world: World, persona: str, owner: str, status: int
) -> None:
    signed_in(client, world, persona)
    owner_object = getattr(world, owner)
    response = client.post(
        "/library/templates/company_top3/use/",
        {"cycle": world.cycle.pk, "owner": choice_value(owner_object), "lang": "vi"},
    )
    assert response.status_code == status
    created = Objective.objects.filter(title__startswith="Vươn lên vững vàng")
    if status == 302:
        objective = created.get()
        objective.refresh_from_db()
        assert (objective.state, objective.owner) == ("draft", owner_object)
        assert objective.key_results.count() == 3
    else:
        assert not created.exists()


def test_use_template_with_a_bad_form_shows_errors(client: Client, world: World) -> None:
    signed_in(client, world, "lead")
    response = client.post(
        "/library/templates/company_top3/use/", {"cycle": "999", "owner": "", "lang": "xx"}
    )
    assert response.status_code == 400
    assert Objective.objects.count() == 0
    missing = client.post("/library/templates/nope/use/", {})
    assert missing.status_code == 404


def test_parse_kr_endpoint(client: Client, world: World) -> None:
    signed_in(client, world, "member")
    data = client.get("/library/parse-kr/", {"text": "từ 65% lên 80%", "lang": "vi"}).json()
    assert (data["kind"], data["start"], data["target"]) == ("percentage", 65, 80)
    assert client.get("/library/parse-kr/", {"text": ""}).status_code == 400
    assert client.get("/library/parse-kr/", {"text": "x", "lang": "fr"}).status_code == 400
    assert client.get("/library/parse-kr/", {"text": "x" * 600}).status_code == 400


def test_writing_help_and_quality_partial(client: Client, world: World) -> None:
    signed_in(client, world, "member")
    text = "O: Khách hàng thích bản tin\n- KR1: Tổ chức hội thảo trong tháng 5\n- KR2: Tăng tỷ lệ mở từ 18% lên 30% trước 30/6"
    full = client.get("/library/check/", {"text": text}).content.decode()
    assert "<html" in full and 'data-rule="kr_is_activity"' in full
    partial = client.get("/library/check/", {"text": text}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and 'data-rule="too_few_key_results"' in partial
    quality = client.get(
        "/library/quality/", {"objective": "Top 3", "kr": ["Improve quality"], "lang": "en"}
    ).content.decode()
    assert 'data-rule="objective_has_number"' in quality
    assert 'data-rule="kr_not_measurable"' in quality
    assert 'id="quality-findings"' in quality


def test_import_preview_then_confirm(client: Client, world: World) -> None:
    signed_in(client, world, "lead")
    data = {"cycle": world.cycle.pk, "owner": "", "format": "", "text": SIMPLE, "action": "preview"}
    preview = client.post("/library/import/", data)
    assert preview.status_code == 200
    assert preview.context["preview"].can_import
    assert Objective.objects.count() == 0
    checked = preview.context["form"].data["checked"]
    # Confirming text that changed since the preview only previews it again.
    changed = client.post("/library/import/", data | {"action": "confirm", "checked": "stale"})
    assert changed.context["changed"] and Objective.objects.count() == 0
    done = client.post("/library/import/", data | {"action": "confirm", "checked": checked})
    assert done.status_code == 302
    objective = Objective.objects.get()
    objective.refresh_from_db()
    assert (objective.owner, objective.state) == (world.marketing, "draft")
    assert KeyResult.objects.get().start_value == 18
    assert (
        "Imported 1 objective with 1 key results into Q2 2026."
        in client.get(done["Location"]).content.decode()
    )


def test_import_preview_lists_problems_with_lines_and_blocks_confirm(
    client: Client, world: World
) -> None:
    signed_in(client, world, "member")
    text = "Marketing\nO: Không được phép\n- KR1: Tuyển 2 người trước 30/5\n- KR1 lạc: x\nKR: y"
    data = {"cycle": world.cycle.pk, "owner": "", "text": text, "action": "preview"}
    page = client.post("/library/import/", data)
    html = page.content.decode()
    assert "line 2" in html and "You cannot create objectives for Marketing." in html
    checked = page.context["form"].data["checked"]
    confirm = client.post("/library/import/", data | {"action": "confirm", "checked": checked})
    assert confirm.status_code == 200 and Objective.objects.count() == 0


@pytest.mark.parametrize(
    ("persona", "imported"), [("admin", 1), ("lead", 1), ("member", 0), ("outsider", 0)]
)
def test_import_for_a_unit_per_persona(
    client: Client, world: World, persona: str, imported: int
) -> None:
    signed_in(client, world, persona)
    data = {"cycle": world.cycle.pk, "text": SIMPLE, "action": "preview"}
    checked = client.post("/library/import/", data).context["form"].data["checked"]
    client.post("/library/import/", data | {"action": "confirm", "checked": checked})
    assert Objective.objects.filter(owner_unit=world.marketing).count() == imported


def test_import_upload_of_xlsx_carries_the_file_to_confirm(client: Client, world: World) -> None:
    make_objective(world, world.marketing, "Own SEO")
    signed_in(client, world, "admin")
    workbook = client.get(f"/library/export/{world.cycle.pk}/xlsx/").content
    upload = SimpleUploadedFile("okrs.xlsx", workbook)
    data = {
        "cycle": world.cycle.pk,
        "owner": "",
        "format": "",
        "action": "preview",
        "on_duplicate": "update",
    }
    preview = client.post("/library/import/", data | {"file": upload})
    form_data = preview.context["form"].data
    assert preview.context["preview"].can_import and form_data["format"] == "xlsx"
    assert form_data["payload"] and not form_data["text"]
    carried = data | {k: form_data[k] for k in ("payload", "payload_name", "checked", "format")}
    assert client.post("/library/import/", carried | {"action": "confirm"}).status_code == 302
    # The same objective again: updated, never duplicated.
    assert Objective.objects.filter(title="Own SEO").count() == 1


def test_import_form_errors(client: Client, world: World) -> None:
    signed_in(client, world, "lead")
    nothing = client.post("/library/import/", {"cycle": world.cycle.pk, "action": "preview"})
    assert nothing.status_code == 400
    assert "Choose a file or paste the text" in nothing.content.decode()
    big = SimpleUploadedFile("big.txt", b"x" * 1_000_001)
    too_big = client.post("/library/import/", {"cycle": world.cycle.pk, "file": big})
    assert too_big.status_code == 400
    other_owner = client.post(
        "/library/import/",
        {"cycle": world.cycle.pk, "owner": choice_value(world.sales), "text": SIMPLE},
    )
    assert other_owner.status_code == 400  # not an owner this lead may choose


@pytest.mark.parametrize("persona", PERSONAS)
def test_download_every_format_shows_only_visible_okrs(
    client: Client, world: World, persona: str
) -> None:
    make_objective(world, world.sales, "Public sales goal")
    make_objective(world, world.member, "Private growth plan", is_private=True)
    signed_in(client, world, persona)
    sees_private = persona != "outsider"
    for name in ("text", "md", "csv", "json"):
        response = client.get(f"/library/export/{world.cycle.pk}/{name}/")
        assert response.status_code == 200
        assert (
            response["Content-Disposition"]
            == f'attachment; filename="okrs-q2-2026.{"txt" if name == "text" else name}"'
        )
        body = response.getvalue().decode("utf-8-sig")
        assert "Public sales goal" in body
        assert ("Private growth plan" in body) is sees_private
    xlsx = client.get(f"/library/export/{world.cycle.pk}/xlsx/")
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("scope", "owner", "objective")
    assert len(rows) == (3 if sees_private else 2)


def test_download_refuses_unknown_cycles_and_formats(client: Client, world: World) -> None:
    signed_in(client, world, "member")
    assert client.get("/library/export/999/json/").status_code == 404
    assert client.get(f"/library/export/{world.cycle.pk}/pdf/").status_code == 404
    assert client.post(f"/library/export/{world.cycle.pk}/json/").status_code == 405
    page = client.get(f"/library/export/?cycle={world.cycle.pk}").content.decode()
    assert f"/library/export/{world.cycle.pk}/xlsx/" in page
    assert client.get("/library/export/?cycle=999").status_code == 404


def test_template_list_query_count_is_fixed(client: Client, world: World) -> None:
    signed_in(client, world, "admin")
    client.get("/library/")
    with CaptureQueriesContext(connection) as small:
        client.get("/library/")
    for index in range(15):
        make_objective(world, world.marketing, f"Objective {index}")
    with CaptureQueriesContext(connection) as large:
        client.get("/library/")
    assert len(large) == len(small)


def test_json_download_round_trips_through_the_upload(client: Client, world: World) -> None:
    make_objective(world, world.marketing, "Own SEO")
    signed_in(client, world, "admin")
    exported = client.get(f"/library/export/{world.cycle.pk}/json/").getvalue()
    data = {
        "cycle": world.cycle.pk,
        "action": "preview",
        "file": SimpleUploadedFile("o.json", exported),
    }
    preview = client.post("/library/import/", data).context["preview"]
    assert json.loads(exported)["objectives"][0]["title"] == "Own SEO"
    assert [plan.title for plan in preview.duplicates] == ["Own SEO"] and not preview.can_import
    data["file"].seek(0)
    preview = client.post("/library/import/", data | {"on_duplicate": "skip"}).context["preview"]
    assert preview.can_import and preview.creating == []


def test_windows_text_file_confirms_from_the_text_box(client: Client, world: World) -> None:
    signed_in(client, world, "lead")
    windows = ("\ufeff" + SIMPLE.replace("\n", "\r\n")).encode("utf-8")
    data = {"cycle": world.cycle.pk, "owner": "", "format": "", "action": "preview"}
    preview = client.post("/library/import/", data | {"file": SimpleUploadedFile("p.txt", windows)})
    carried = preview.context["form"].data
    # The browser sends the text box back with CRLF line ends; it is the same text.
    confirm = data | {
        "action": "confirm",
        "checked": carried["checked"],
        "text": carried["text"].replace("\n", "\r\n"),
    }
    assert client.post("/library/import/", confirm).status_code == 302
    assert Objective.objects.filter(owner_unit=world.marketing).count() == 1
