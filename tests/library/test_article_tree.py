"""The seed article imported into the demo organisation as the aligned tree it describes.

The command of the README, run as it is written there (from the repository's root):

    okrflow import ../shared/seed/okr-for-marketing.vi.txt --cycle "Q1 2027" \
        --map-file docs/article-mapping.txt

Runs on SQLite and, with OKRFLOW_DATABASE_URL set, on PostgreSQL.
"""

from __future__ import annotations

import io
import os
import shlex
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation

from okrflow.audit.models import AuditEntry
from okrflow.okrs.models import Alignment, Initiative, KeyResult, Objective
from okrflow.org.models import OrgUnit, Person, Project
from tests.library.conftest import ARTICLE

ROOT = Path(__file__).resolve().parents[2]
README_COMMAND = (
    'okrflow import ../shared/seed/okr-for-marketing.vi.txt --cycle "Q1 2027" '
    "--map-file docs/article-mapping.txt"
)
CYCLE = "Q1 2027"
RETENTION = "Cải thiện vượt trội tỷ lệ giữ chân khách hàng cũ ký kết hợp đồng bảo trì hàng năm"
TOP3 = "Mạnh mẽ chiếm lĩnh Top 3 thị phần dịch vụ tư vấn phát triển thương hiệu doanh nghiệp"
SEO = "Tối ưu hóa thứ hạng SEO cho từ khóa “tư vấn thương hiệu”"
HEAD = "Đơn giản hóa và làm rõ dịch vụ tư vấn phát triển thương hiệu doanh nghiệp trên các nền tảng"
SPECIALIST = "Hiểu và phân tích được hành vi"
SALES_FOCUS = "Phối hợp với phòng kinh doanh hướng tới tập trung bán hàng"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def readme_args() -> list[str]:
    """The README's command, word for word, as `call_command` arguments."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert README_COMMAND in readme
    words = shlex.split(README_COMMAND)
    assert words[0] == "okrflow"
    return words[1:]


@pytest.fixture
def from_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def cycle_objectives() -> Objective:
    return Objective.objects.filter(cycle__name=CYCLE)


def parent_title(title: str) -> str:
    objective = cycle_objectives().get(title__startswith=title)
    return Alignment.objects.get(child=objective, is_primary=True).parent.title


def test_the_readme_command_imports_the_article_as_an_aligned_tree(demo_org, db, from_root) -> None:  # type: ignore[no-untyped-def]
    existing = list(cycle_objectives().values_list("pk", flat=True))
    before = len(existing)
    out = run(*readme_args())
    assert (
        "Imported 18 objectives and 45 key results into Q1 2027: 16 alignments, 3 initiatives, "
        "2 new projects, 0 updated, 0 skipped duplicates." in out
    )
    objectives = cycle_objectives()
    assert objectives.count() == before + 18
    assert KeyResult.objects.filter(objective__cycle__name=CYCLE).count() == 45
    # The levels map to the organisation.
    company = OrgUnit.objects.get(parent=None)
    assert objectives.get(title=TOP3).owner_unit == company
    assert objectives.get(title=RETENTION).owner_unit == company
    assert objectives.get(title=SEO).owner_unit.name == "Phòng Marketing"
    assert objectives.get(title=HEAD).owner_person.user.username == "head.marketing"
    specialist = objectives.get(title__startswith=SPECIALIST)
    assert specialist.owner_person.user.username == "specialist.marketing"
    inbound = Project.objects.get(name="Inbound Marketing")
    assert objectives.filter(owner_project=inbound).count() == 2
    assert inbound.lead.user.username == "head.marketing"
    events = OrgUnit.objects.get(name="Nhóm Sự kiện & Email")
    assert objectives.filter(owner_unit=events).count() == 4  # Event, and Email through Event
    # The cascade: department → company, head → department, specialist → head.
    assert parent_title(SEO) == TOP3
    assert parent_title(HEAD) == SEO
    assert parent_title(SPECIALIST) == HEAD
    # The marketing types serve the Marketing department's objective: one tree under the company.
    by_type = objectives.filter(owner_project=inbound) | objectives.filter(
        owner_unit__name__in=["Nhóm Nội dung & SEO", "Nhóm Sự kiện & Email"]
    )
    assert by_type.count() == 8
    assert {parent_title(objective.title) for objective in by_type} == {SEO}
    imported = objectives.exclude(pk__in=existing)
    roots = imported.exclude(pk__in=Alignment.objects.values("child"))
    assert sorted(roots.values_list("title", flat=True)) == sorted([RETENTION, TOP3])
    # The retention example: the four departments' objectives aligned to the company's.
    retention = objectives.get(title=RETENTION)
    children = Alignment.objects.filter(parent=retention).select_related("child__owner_unit")
    assert sorted(link.child.owner_unit.name for link in children) == [
        "Phòng Chăm sóc khách hàng & Bảo hành bảo trì",
        "Phòng Kinh doanh",
        "Phòng Marketing",
        "Phòng Sản phẩm",
    ]
    sales = children.get(child__owner_unit__name="Phòng Kinh doanh").child
    assert sales.key_results.get().title == sales.title
    # The sales-focus project: its three activities are initiatives of its key result.
    focus = objectives.get(title=SALES_FOCUS)
    assert focus.owner_project.name == "Dự án Tập trung bán hàng"
    assert parent_title(SALES_FOCUS) == TOP3
    assert sorted(
        Initiative.objects.filter(key_result__objective=focus).values_list("title", flat=True)
    ) == [
        "Tổ chức sự kiện khuyến mại",
        "Xây dựng chính sách bán theo dạng combo",
        "Xây dựng chính sách tặng quà khách hàng thân thiết",
    ]
    assert AuditEntry.objects.filter(action="create_initiative").count() >= 3
    assert AuditEntry.objects.filter(action="create_project", summary__contains="").exists()


def test_reimporting_finds_the_duplicates_and_the_person_chooses(demo_org, db, from_root) -> None:  # type: ignore[no-untyped-def]
    args = readme_args()
    run(*args)
    counts = (cycle_objectives().count(), KeyResult.objects.count(), Project.objects.count())
    with pytest.raises(CommandError, match="Nothing was imported: 18 error"):
        run(*args)
    out = run(*args, "--on-duplicate", "skip")
    assert "Imported 0 objectives and 0 key results" in out and "18 skipped duplicates" in out
    # Update: a key result the objective lacks is added, nothing is duplicated.
    KeyResult.objects.filter(objective__title=SEO, objective__cycle__name=CYCLE).last().delete()
    out = run(*args, "--on-duplicate", "update")
    assert "Imported 0 objectives and 0 key results" in out and "18 updated" in out
    after = (cycle_objectives().count(), KeyResult.objects.count(), Project.objects.count())
    assert after == counts


def test_map_options_and_create_missing_give_the_same_tree(demo_org, db) -> None:  # type: ignore[no-untyped-def]
    out = run(
        "import",
        str(ARTICLE),
        "--cycle",
        CYCLE,
        "--map",
        "Chuyên viên Marketing=Nguyễn Minh Anh",
        "--map",
        "Dự án Tập trung bán hàng=skip",
        "--create-missing",
    )
    assert "Imported 17 objectives and 44 key results" in out and "15 alignments" in out
    names = set(Project.objects.values_list("name", flat=True))
    assert {"Inbound Marketing", "Content Marketing", "Event Marketing", "Email Marketing"} <= names
    assert "Dự án Tập trung bán hàng" not in names


def test_unknown_headings_are_listed_with_the_options_to_give(demo_org, db) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import", str(ARTICLE), "--cycle", CYCLE, stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert "Headings that name no owner" in text
    assert "“Inbound Marketing”" in text and "“Dự án Tập trung bán hàng”" in text
    assert "“Công ty Marketing”" not in text.split("Headings that name no owner")[1].split("\n")[0]


@pytest.mark.parametrize(
    ("maps", "message"),
    [
        (["Inbound Marketing=Nobody Here"], "No person, unit or project is called “Nobody Here”"),
        (["Nowhere=create"], "“Nowhere”, which is not a heading of this file"),
        (
            ["Inbound Marketing=Content Marketing", "Content Marketing=Inbound Marketing"],
            "loop: Inbound Marketing → Content Marketing → Inbound Marketing",
        ),
        (["Inbound Marketing=outsider"], "is not an active member of this organisation"),
    ],
)
def test_bad_mappings_save_nothing(demo_org, db, maps: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    before = (Objective.objects.count(), Project.objects.count(), Alignment.objects.count())
    args = [arg for item in maps for arg in ("--map", item)]
    out = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command(
            "import", str(ARTICLE), "--cycle", CYCLE, *args, "--create-missing", stdout=out
        )
    assert message in out.getvalue()
    after = (Objective.objects.count(), Project.objects.count(), Alignment.objects.count())
    assert after == before


def test_bad_mapping_options_are_refused_before_the_file_is_read(
    demo_org, db, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    before = Objective.objects.count()
    with pytest.raises(CommandError, match="is not HEADING=OWNER"):
        run("import", str(ARTICLE), "--cycle", CYCLE, "--map", "no equals sign")
    broken = tmp_path / "map.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(CommandError, match="is not valid JSON"):
        run("import", str(ARTICLE), "--cycle", CYCLE, "--map-file", str(broken))
    with pytest.raises(CommandError, match="cannot read"):
        run("import", str(ARTICLE), "--cycle", CYCLE, "--map-file", str(tmp_path / "none"))
    assert Objective.objects.count() == before


def test_a_mapping_problem_is_said_in_vietnamese(demo_org, db) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    with translation.override("vi"), pytest.raises(CommandError):
        call_command(
            "import",
            str(ARTICLE),
            "--cycle",
            CYCLE,
            "--map",
            "Inbound Marketing=Content Marketing",
            "--map",
            "Content Marketing=Inbound Marketing",
            stdout=out,
        )
    assert "vòng lặp" in out.getvalue()


def web_data(cycle_pk: int, rows: dict[str, str], **extra: str) -> dict[str, object]:
    return {
        "cycle": cycle_pk,
        "text": ARTICLE.read_text(encoding="utf-8"),
        "action": "preview",
        "map_heading": list(rows),
        "map_target": list(rows.values()),
        **extra,
    }


def test_the_web_preview_offers_a_mapping_and_imports_with_it(demo_org, db) -> None:  # type: ignore[no-untyped-def]
    from okrflow.cycles.models import Cycle
    from okrflow.demo.content import DEMO_PASSWORD

    client = Client()
    assert client.login(username="admin", password=DEMO_PASSWORD)
    cycle = Cycle.objects.get(name=CYCLE)
    first = client.post("/library/import/", web_data(cycle.pk, {}))
    preview = first.context["preview"]
    assert not preview.can_import
    assert set(preview.unknown_owners) >= {"Inbound Marketing", "Dự án Tập trung bán hàng"}
    page = first.content.decode()
    assert 'name="map_target"' in page and 'data-heading="Inbound Marketing"' in page
    specialist = Person.objects.get(user__username="specialist.marketing")
    events = OrgUnit.objects.get(name="Nhóm Sự kiện & Email")
    rows = {
        "Chuyên viên Marketing": f"person:{specialist.pk}",
        "Inbound Marketing": "create",
        "Content Marketing": "skip",
        "Event Marketing": f"unit:{events.pk}",
        "Email Marketing": f"unit:{events.pk}",
        "Dự án Tập trung bán hàng": "create",
    }
    second = client.post("/library/import/", web_data(cycle.pk, rows))
    preview = second.context["preview"]
    assert preview.can_import, preview.errors
    checked = second.context["form"].data["checked"]
    done = client.post(
        "/library/import/", web_data(cycle.pk, rows, action="confirm", checked=checked)
    )
    assert done.status_code == 302
    assert cycle_objectives().filter(title=RETENTION).count() == 1
    assert Alignment.objects.filter(parent__title=RETENTION).count() == 4
    # The same file again: the duplicates are said, and nothing is made until one chooses.
    again = client.post("/library/import/", web_data(cycle.pk, rows))
    assert (
        len(again.context["preview"].duplicates) == 16
        and 'name="on_duplicate"' in again.content.decode()
    )
    assert not again.context["preview"].can_import


def test_the_web_refuses_a_mapping_to_an_owner_it_does_not_offer(demo_org, db) -> None:  # type: ignore[no-untyped-def]
    from okrflow.cycles.models import Cycle
    from okrflow.demo.content import DEMO_PASSWORD

    client = Client()
    assert client.login(username="head.sales", password=DEMO_PASSWORD)
    cycle = Cycle.objects.get(name=CYCLE)
    other = OrgUnit.objects.get(name="Nhóm Sự kiện & Email")  # not the sales lead's
    response = client.post(
        "/library/import/", web_data(cycle.pk, {"Inbound Marketing": f"unit:{other.pk}"})
    )
    preview = response.context["preview"]
    # In the person's language (the sales lead reads Vietnamese).
    assert "“Inbound Marketing” được gán cho một chủ sở hữu mà bạn không thể chọn ở đây." in [
        p.message for p in preview.errors
    ]
    assert not preview.can_import
    bogus = client.post(
        "/library/import/", web_data(cycle.pk, {"Inbound Marketing": "unit:999999999"})
    )
    assert bogus.status_code == 200 and not bogus.context["preview"].can_import


@pytest.mark.skipif(
    not os.environ.get("OKRFLOW_DATABASE_URL", "").startswith("postgres"),
    reason="run with OKRFLOW_DATABASE_URL=postgres://… to check the import on PostgreSQL",
)
def test_the_database_is_postgresql_when_asked(db) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection

    assert connection.vendor == "postgresql"


@pytest.mark.parametrize(
    ("username", "status", "may_create"),
    [("admin", 200, True), ("head.marketing", 200, True), ("specialist.marketing", 200, False)],
)
def test_who_may_create_a_project_from_a_heading(
    demo_org, db, username: str, status: int, may_create: bool
) -> None:  # type: ignore[no-untyped-def]
    from okrflow.cycles.models import Cycle
    from okrflow.demo.content import DEMO_PASSWORD

    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    cycle = Cycle.objects.get(name=CYCLE)
    response = client.post("/library/import/", web_data(cycle.pk, {"Inbound Marketing": "create"}))
    assert response.status_code == status
    errors = [p for p in response.context["preview"].errors if p.line in (91, 95)]
    assert (errors == []) is may_create
    assert not Project.objects.filter(name="Inbound Marketing").exists()


def test_an_outsider_creates_nothing(demo_org, db) -> None:  # type: ignore[no-untyped-def]
    from okrflow.cycles.models import Cycle
    from okrflow.demo.content import DEMO_PASSWORD

    client = Client()
    assert client.login(username="outsider", password=DEMO_PASSWORD)
    cycle = Cycle.objects.get(name=CYCLE)
    response = client.post("/library/import/", web_data(cycle.pk, {"Inbound Marketing": "create"}))
    preview = response.context["preview"]
    assert response.status_code == 200 and not preview.can_import
    assert any(p.line == 91 for p in preview.errors)
    confirm = client.post(
        "/library/import/", web_data(cycle.pk, {"Inbound Marketing": "create"}, action="confirm")
    )
    assert confirm.status_code == 200
    assert not Project.objects.filter(name="Inbound Marketing").exists()
