"""Importing people from CSV/XLSX: formats, every problem with its line, all or nothing,
idempotence, what a row changes (unit, manager, lead, admin, active), and the bulk write."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from okrflow.audit.models import AuditEntry
from okrflow.org.models import OrgUnit, Person
from okrflow.org.people_export import export_people
from okrflow.org.people_files import UnreadableFile, read_table
from okrflow.org.people_plan import ImportFailed
from okrflow.org.people_write import import_people
from tests.administration.people_files import (
    ENGLISH,
    VIETNAMESE,
    csv_content,
    import_content,
    preview_of,
    problems_by_line,
    xlsx_content,
)
from tests.conftest import World

User = get_user_model()

SMALL_COMPANY = [
    ["an@congty.vn", "Nguyễn Văn An", "Công ty", "", "lead", "vi", "yes"],
    [
        "binh@congty.vn",
        "Trần Thị Bình",
        "Công ty/Phòng Marketing",
        "an@congty.vn",
        "lead",
        "en",
        "",
    ],
    [
        "chi@congty.vn",
        "Lê Minh Chi",
        "Công ty/Phòng Marketing/Nhóm SEO",
        "binh@congty.vn",
        "",
        "",
        "",
    ],
]


def person(email: str) -> Person:
    return Person.objects.select_related("user", "unit", "manager__user").get(
        user__email__iexact=email
    )


@pytest.mark.django_db
def test_an_english_csv_creates_people_units_managers_and_leads() -> None:
    preview = import_content(csv_content(SMALL_COMPANY))
    assert (len(preview.created), len(preview.updated), preview.unchanged) == (3, 0, 0)
    assert preview.new_units == [
        "Công ty",
        "Công ty/Phòng Marketing",
        "Công ty/Phòng Marketing/Nhóm SEO",
    ]
    chi = person("chi@congty.vn")
    assert chi.user.username == "chi@congty.vn"
    assert not chi.user.has_usable_password()
    assert chi.unit.name == "Nhóm SEO" and chi.unit.depth == 2
    assert chi.unit.path == f"{chi.unit.parent.parent.path}{chi.unit.parent.pk}/{chi.unit.pk}/"
    assert chi.manager.user.email == "binh@congty.vn"
    assert chi.language == "vi" and not chi.is_admin and chi.user.is_active
    marketing = OrgUnit.objects.get(name="Phòng Marketing")
    assert marketing.lead == person("binh@congty.vn")
    assert person("binh@congty.vn").language == "en"
    actions = sorted(AuditEntry.objects.values_list("action", flat=True))
    assert actions == ["create_person"] * 3 + ["create_unit"] * 3


@pytest.mark.django_db
def test_vietnamese_headers_with_a_byte_order_mark_and_semicolons() -> None:
    rows = [
        ["an@congty.vn", "Nguyễn Văn An", "Công ty", "", "trưởng", "vi", "có"],
        ["binh@congty.vn", "Trần Thị Bình", "Công ty", "an@congty.vn", "quản trị", "", "không"],
    ]
    import_content(csv_content(rows, VIETNAMESE, delimiter=";", bom=True))
    binh = person("binh@congty.vn")
    assert binh.full_name == "Trần Thị Bình"
    assert binh.is_admin and not binh.user.is_active
    assert OrgUnit.objects.get(name="Công ty").lead == person("an@congty.vn")


@pytest.mark.django_db
def test_an_xlsx_workbook_with_typed_cells() -> None:
    rows = [
        ["an@congty.vn", "Nguyễn Văn An", "Công ty", None, "admin", "en", True],
        ["binh@congty.vn", "Trần Thị Bình", "Công ty", "an@congty.vn", None, None, 0],
    ]
    import_content(xlsx_content(rows), name="people.xlsx")
    assert person("an@congty.vn").is_admin
    assert person("an@congty.vn").user.is_active
    assert not person("binh@congty.vn").user.is_active


@pytest.mark.django_db
def test_a_manager_may_come_later_in_the_file() -> None:
    rows = [
        ["chi@congty.vn", "Lê Minh Chi", "", "an@congty.vn", "", "", ""],
        ["an@congty.vn", "Nguyễn Văn An", "", "", "", "", ""],
    ]
    import_content(csv_content(rows))
    assert person("chi@congty.vn").manager == person("an@congty.vn")


@pytest.mark.django_db
def test_the_same_file_twice_changes_nothing_the_second_time() -> None:
    content = csv_content(SMALL_COMPANY)
    import_content(content)
    audit_rows = AuditEntry.objects.count()
    second = import_content(content)
    assert second.change_count == 0
    assert (len(second.created), len(second.updated), second.unchanged) == (0, 0, 3)
    assert AuditEntry.objects.count() == audit_rows
    assert Person.objects.count() == 3 and OrgUnit.objects.count() == 3


@pytest.mark.django_db
def test_a_changed_row_updates_the_person_matched_by_email_ignoring_case() -> None:
    import_content(csv_content(SMALL_COMPANY))
    chi = person("chi@congty.vn")
    changed = [
        *SMALL_COMPANY[:2],
        [
            "CHI@CongTy.vn",
            "Lê Minh Chi (SEO)",
            "công ty /  phòng marketing",
            "an@congty.vn",
            "",
            "en",
            "no",
        ],
    ]
    preview = import_content(csv_content(changed))
    assert [line.line for line in preview.updated] == [4]
    fields = {change.field for change in preview.updated[0].changes}
    assert fields == {"email", "name", "unit", "manager", "language", "active"}
    assert preview.new_units == []
    chi.refresh_from_db()
    chi.user.refresh_from_db()
    assert chi.full_name == "Lê Minh Chi (SEO)"
    assert chi.unit == OrgUnit.objects.get(name="Phòng Marketing")
    assert chi.manager == person("an@congty.vn")
    assert chi.user.email == "CHI@CongTy.vn" and chi.user.username == "chi@congty.vn"
    assert not chi.user.is_active and chi.language == "en"
    entry = AuditEntry.objects.get(action="update_person")
    assert entry.object_id == chi.pk
    assert entry.before["full_name"] == "Lê Minh Chi" and entry.after["is_active"] is False


@pytest.mark.django_db
def test_a_bad_row_saves_nothing() -> None:
    rows = [*SMALL_COMPANY, ["", "Nobody", "Công ty/Kho", "", "", "", ""]]
    preview = preview_of(csv_content(rows))
    assert problems_by_line(preview) == {5: ["The email is empty."]}
    assert preview.created == [] and preview.rows == []
    with pytest.raises(Exception, match="email is empty"):
        import_people(None, preview)
    assert Person.objects.count() == 0 and OrgUnit.objects.count() == 0
    assert User.objects.count() == 0 and AuditEntry.objects.count() == 0


BAD_ROWS = [
    (["", "An", "", "", "", "", ""], "The email is empty."),
    (["not-an-email", "An", "", "", "", "", ""], "“not-an-email” is not a valid email address."),
    ([f"{'a' * 150}@x.vn", "An", "", "", "", "", ""], "The email is longer than 150 characters."),
    (["an@x.vn", "", "", "", "", "", ""], "The name is empty."),
    (["an@x.vn", "A" * 201, "", "", "", "", ""], "The name is longer than 200 characters."),
    (["an@x.vn", "An", "", "ghost@x.vn", "", "", ""], "The manager ghost@x.vn is neither"),
    (["an@x.vn", "An", "", "AN@x.vn", "", "", ""], "an@x.vn cannot be their own manager."),
    (["an@x.vn", "An", "", "", "boss", "", ""], "Unknown role “boss”"),
    (["an@x.vn", "An", "", "", "", "fr", ""], "Unknown language “fr”: write vi or en."),
    (["an@x.vn", "An", "", "", "", "", "maybe"], "“maybe” is neither yes nor no"),
    (["an@x.vn", "An", "Công ty//SEO", "", "", "", ""], "has an empty level"),
    (["an@x.vn", "An", "Công ty/", "", "", "", ""], "has an empty level"),
    (["an@x.vn", "An", "Công ty/" + "B" * 201, "", "", "", ""], "longer than 200 characters"),
    (["an@x.vn", "An", "/".join("L" * 21), "", "", "", ""], "more than 20 levels"),
    (["an@x.vn", "An", "", "", "lead", "", ""], "A lead needs a unit on the same row."),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "message"), BAD_ROWS)
def test_each_bad_value_is_named_with_its_line(row: list[str], message: str) -> None:
    good = ["ok@x.vn", "Okay", "", "", "", "", ""]
    preview = preview_of(csv_content([good, row]))
    problems = problems_by_line(preview)
    assert list(problems) == [3], problems
    assert any(message in text for text in problems[3]), problems


@pytest.mark.django_db
def test_a_duplicate_email_names_the_first_line() -> None:
    rows = [["an@x.vn", "An", "", "", "", "", ""], ["AN@X.VN", "An again", "", "", "", "", ""]]
    preview = preview_of(csv_content(rows))
    assert problems_by_line(preview) == {3: ["AN@X.VN is also on line 2."]}


@pytest.mark.django_db
def test_two_leads_for_one_unit() -> None:
    rows = [
        ["an@x.vn", "An", "Công ty", "", "lead", "", ""],
        ["binh@x.vn", "Bình", "công  ty", "", "trưởng", "", ""],
    ]
    preview = preview_of(csv_content(rows))
    assert problems_by_line(preview) == {3: ["This unit already has its lead on line 2."]}


@pytest.mark.django_db
def test_a_management_loop_in_the_file() -> None:
    rows = [
        ["an@x.vn", "An", "", "binh@x.vn", "", "", ""],
        ["binh@x.vn", "Bình", "", "an@x.vn", "", "", ""],
        ["chi@x.vn", "Chi", "", "an@x.vn", "", "", ""],
    ]
    problems = problems_by_line(preview_of(csv_content(rows)))
    assert sorted(problems) == [2, 3]
    assert problems[2] == ["A management loop: an@x.vn → binh@x.vn → an@x.vn."]


@pytest.mark.django_db
def test_a_management_loop_through_people_already_here(world: World) -> None:
    """The CEO manages the head of marketing, who manages the specialist: a file making the
    CEO report to the specialist closes the loop through two people not in the file."""
    User.objects.filter(pk=world.member.user_id).update(email="specialist@x.vn")
    User.objects.filter(pk=world.ceo.user_id).update(email="ceo@x.vn")
    rows = [["ceo@x.vn", "Ceo", "", "specialist@x.vn", "", "", ""]]
    problems = problems_by_line(preview_of(csv_content(rows)))
    assert list(problems) == [2]
    assert "ceo@x.vn → specialist@x.vn" in problems[2][0]
    assert "Head Marketing" in problems[2][0] or "head.marketing" in problems[2][0]


@pytest.mark.django_db
def test_a_file_without_the_email_column_is_refused_on_line_1() -> None:
    content = csv_content([["An", "Công ty"]], header=["full_name", "unit"])
    assert problems_by_line(preview_of(content)) == {
        1: [
            "The first row must name the columns (email, full_name, unit, manager_email, role, "
            "language, active, leads); “email” is missing."
        ]
    }


@pytest.mark.django_db
def test_paths_match_existing_units_ignoring_case_and_blanks(world: World) -> None:
    rows = [["new@x.vn", "New", "  sao viet /MARKETING/ content ", "", "", "", ""]]
    preview = import_content(csv_content(rows))
    assert preview.new_units == []
    assert person("new@x.vn").unit == world.content_team


@pytest.mark.django_db
def test_lead_role_moves_the_lead_and_member_role_takes_it_away(world: World) -> None:
    User.objects.filter(pk=world.lead.user_id).update(email="head@x.vn")
    User.objects.filter(pk=world.member.user_id).update(email="specialist@x.vn")
    rows = [
        ["head@x.vn", "Head Marketing", "Sao Viet/Marketing", "", "member", "", ""],
        ["specialist@x.vn", "Specialist", "Sao Viet/Marketing", "", "lead", "", ""],
    ]
    preview = import_content(csv_content(rows))
    world.marketing.refresh_from_db()
    assert world.marketing.lead == world.member
    head_changes = {c.field: (c.before, c.after) for c in preview.updated[0].changes}
    assert head_changes["leads"] == ("Sao Viet/Marketing", "")
    entry = AuditEntry.objects.filter(action="set_unit_lead", object_id=world.marketing.pk).latest(
        "pk"
    )
    assert entry.before == {"lead": world.lead.pk} and entry.after == {"lead": world.member.pk}
    rows[1][4] = "member"
    import_content(csv_content(rows))
    world.marketing.refresh_from_db()
    assert world.marketing.lead is None


@pytest.mark.django_db
def test_admin_role_and_inactive(world: World) -> None:
    User.objects.filter(pk=world.member.user_id).update(email="specialist@x.vn")
    rows = [["specialist@x.vn", "Specialist", "Sao Viet/Marketing", "", "admin", "", "no"]]
    import_content(csv_content(rows))
    world.member.refresh_from_db()
    world.member.user.refresh_from_db()
    assert world.member.is_admin and not world.member.user.is_active


@pytest.mark.django_db
def test_an_admin_cannot_lock_themselves_out(world: World) -> None:
    User.objects.filter(pk=world.admin.user_id).update(email="admin@x.vn")
    rows = [["admin@x.vn", "Admin", "Sao Viet", "", "member", "", "no"]]
    problems = problems_by_line(preview_of(csv_content(rows), world.admin.user))
    assert problems == {
        2: ["You cannot deactivate yourself.", "You cannot take away your own admin role."]
    }


@pytest.mark.django_db
def test_a_left_out_column_changes_nothing(world: World) -> None:
    User.objects.filter(pk=world.member.user_id).update(email="specialist@x.vn")
    Person.objects.filter(pk=world.member.pk).update(language="en")
    content = csv_content([["specialist@x.vn", "Specialist Marketing"]], ["email", "full_name"])
    preview = import_content(content)
    assert preview.unchanged == 1 and preview.change_count == 0
    world.member.refresh_from_db()
    assert world.member.unit == world.marketing and world.member.manager == world.lead


@pytest.mark.django_db
def test_a_username_taken_by_another_account_is_refused(world: World) -> None:
    User.objects.create(username="taken@x.vn", email="other@x.vn")
    preview = preview_of(csv_content([["Taken@x.vn", "Taken", "", "", "", "", ""]]))
    assert problems_by_line(preview) == {
        2: ["The username taken@x.vn belongs to an account with another email."]
    }


@pytest.mark.django_db
def test_formulas_are_kept_as_text_and_neutralised_on_export() -> None:
    formula = '=HYPERLINK("http://evil.example","Click")'
    import_content(csv_content([["f@x.vn", formula, "+Kho", "", "", "", ""]]))
    assert person("f@x.vn").full_name == formula
    exported = export_people("csv").decode("utf-8-sig")
    quoted = formula.replace('"', '""')
    assert f'"\'{quoted}"' in exported
    assert ",'+Kho," in exported
    # The export imports back unchanged: the guard apostrophe is dropped on reading.
    again = preview_of(export_people("csv"))
    assert again.change_count == 0 and again.problems == []
    sheet = load_workbook(io.BytesIO(export_people("xlsx"))).active
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == formula)
    assert cell.data_type == "s"


@pytest.mark.django_db
def test_an_export_imports_back_without_changes() -> None:
    import_content(csv_content(SMALL_COMPANY))
    for format_name in ("csv", "xlsx"):
        preview = preview_of(export_people(format_name), name=f"people.{format_name}")
        assert preview.problems == [] and preview.change_count == 0
        assert preview.unchanged == 3


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"%PDF-1.4 binary", "people.pdf", "“people.pdf” is not a CSV or XLSX file."),
        (b"email,full_name\n\xff\xfe,x\n", "people.csv", "The file is not UTF-8 text."),
        (b"PK\x03\x04 not really a zip", "people.xlsx", "This is not an XLSX workbook"),
        (b"   \n", "people.csv", "The file is empty."),
        (b"email\x00,full_name\n", "people.csv", "This is not a CSV file"),
    ],
)
def test_files_that_are_no_people_file_are_refused(content: bytes, name: str, message: str) -> None:
    with pytest.raises(UnreadableFile) as refused:
        read_table(content, name)
    assert str(refused.value).startswith(message)


def test_a_zip_bomb_is_refused_before_it_is_opened() -> None:
    from tests.library.test_upload_limits import zip_bomb

    with pytest.raises(UnreadableFile, match=r"zip bomb|would unpack"):
        read_table(zip_bomb(30_000_000), "people.xlsx")


@pytest.mark.django_db
def test_three_hundred_people_import_in_a_bounded_number_of_queries() -> None:
    """The import reads the organisation in a few queries and writes in bulk: a row-by-row
    import would need well over 300 queries here."""
    rows = []
    for index in range(300):
        team = f"Công ty/Khối {index % 3}/Nhóm {index % 12}"
        manager = f"p{index // 10}@x.vn" if index >= 10 else ""
        role = "lead" if index < 3 else ""
        rows.append([f"p{index}@x.vn", f"Người {index}", team, manager, role, "vi", "yes"])
    content = csv_content(rows)
    with CaptureQueriesContext(connection) as preview_queries:
        preview = preview_of(content)
    assert preview.problems == []
    with CaptureQueriesContext(connection) as write_queries:
        import_people(None, preview)
    assert Person.objects.count() == 300 and OrgUnit.objects.count() == 16
    assert len(preview_queries) <= 5, [q["sql"][:80] for q in preview_queries]
    assert len(write_queries) <= 40, len(write_queries)
    with CaptureQueriesContext(connection) as again:
        assert import_content(content).change_count == 0
    assert len(again) <= 5


@pytest.mark.django_db
def test_a_clash_found_while_writing_rolls_everything_back() -> None:
    """Someone takes a username between the preview and the write: nothing at all is saved."""
    preview = preview_of(csv_content(SMALL_COMPANY))
    User.objects.create(username="chi@congty.vn", email="someone.else@x.vn")
    with pytest.raises(ImportFailed, match="Someone changed the people or units"):
        import_people(None, preview)
    assert Person.objects.count() == 0 and OrgUnit.objects.count() == 0
    assert User.objects.count() == 1 and AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_an_account_without_a_profile_gets_one() -> None:
    root = User.objects.create_superuser(username="root", email="Root@x.vn", password="x" * 12)
    preview = import_content(
        csv_content([["root@x.vn", "Quản trị hệ thống", "", "", "", "", "no"]])
    )
    assert [line.line for line in preview.created] == [2]
    root.refresh_from_db()
    assert root.person.full_name == "Quản trị hệ thống"
    assert root.email == "root@x.vn" and not root.is_active and root.has_usable_password()


@pytest.mark.django_db
def test_every_problem_is_named_at_once() -> None:
    rows = [
        ["an@x.vn", "An", "", "binh@x.vn", "boss", "", ""],
        ["binh@x.vn", "", "", "an@x.vn", "", "fr", ""],
    ]
    problems = problems_by_line(preview_of(csv_content(rows)))
    assert [message.split(" ")[0] for message in problems[2]] == ["Unknown", "A"]
    assert [message.split(" ")[0] for message in problems[3]] == ["The", "Unknown", "A"]


@pytest.mark.django_db
def test_a_manager_chain_deeper_than_the_insert_levels() -> None:
    """Managers are inserted before their reports; past 30 levels the rest are set afterwards."""
    rows = [
        [f"p{index}@x.vn", f"Người {index}", "", f"p{index - 1}@x.vn" if index else "", "", "", ""]
        for index in reversed(range(40))
    ]
    import_content(csv_content(rows))
    chain = dict(Person.objects.values_list("user__email", "manager__user__email"))
    assert chain == {f"p{i}@x.vn": (f"p{i - 1}@x.vn" if i else None) for i in range(40)}
    entry = AuditEntry.objects.get(action="create_person", object_id=person("p39@x.vn").pk)
    assert entry.after["manager"] == person("p38@x.vn").pk


LEADS_HEADER = [*ENGLISH, "leads"]


@pytest.mark.django_db
def test_a_slash_in_a_unit_name_is_escaped_and_survives_the_round_trip() -> None:
    rows = [
        ["an@congty.vn", "An", "Công ty", "", "lead", "", ""],
        ["binh@congty.vn", "Bình", r"Công ty/Phòng R\/D", "an@congty.vn", "lead", "", ""],
        ["chi@congty.vn", "Chi", r"Công ty/Phòng R\/D/Nhóm A\\B", "binh@congty.vn", "", "", ""],
    ]
    import_content(csv_content(rows))
    research = OrgUnit.objects.get(name="Phòng R/D")
    assert research.parent.name == "Công ty" and research.lead == person("binh@congty.vn")
    assert OrgUnit.objects.get(name="Nhóm A\\B").parent == research
    exported = export_people("csv").decode("utf-8-sig")
    assert r"Công ty/Phòng R\/D/Nhóm A\\B" in exported
    for format_name in ("csv", "xlsx"):
        again = preview_of(export_people(format_name), name=f"people.{format_name}")
        assert again.problems == [] and again.change_count == 0 and again.unchanged == 3
    assert OrgUnit.objects.count() == 3


@pytest.mark.django_db
def test_a_lead_of_another_unit_is_written_in_leads_and_read_back() -> None:
    rows = [
        ["an@congty.vn", "An", "Công ty", "", "lead", "", "", "Công ty/Kho; Công ty/Phòng Bán"],
        ["binh@congty.vn", "Bình", "Công ty/Phòng Bán", "an@congty.vn", "", "", "", ""],
    ]
    import_content(csv_content(rows, header=LEADS_HEADER))
    an = person("an@congty.vn")
    assert set(OrgUnit.objects.filter(lead=an).values_list("name", flat=True)) == {
        "Công ty",
        "Kho",
        "Phòng Bán",
    }
    exported = export_people("csv").decode("utf-8-sig")
    assert exported.splitlines()[0].endswith(",leads")
    assert "Công ty/Kho; Công ty/Phòng Bán" in exported
    again = preview_of(export_people("csv"))
    assert again.problems == [] and again.change_count == 0
    # The "leads" column says every other unit: leaving one out hands it back.
    rows[0][7] = "Công ty/Kho"
    preview = import_content(csv_content(rows, header=LEADS_HEADER))
    assert OrgUnit.objects.get(name="Phòng Bán").lead is None
    changes = {(c.field, c.before, c.after) for c in preview.updated[0].changes}
    assert ("leads", "Công ty/Phòng Bán", "") in changes


@pytest.mark.django_db
def test_a_file_without_the_leads_column_keeps_the_older_rule() -> None:
    rows = [["an@congty.vn", "An", "Công ty", "", "lead", "", "", "Công ty/Kho"]]
    import_content(csv_content(rows, header=LEADS_HEADER))
    import_content(csv_content([row[:7] for row in rows]))
    assert OrgUnit.objects.get(name="Kho").lead is None
    assert OrgUnit.objects.get(name="Công ty").lead == person("an@congty.vn")


@pytest.mark.django_db
def test_two_rows_leading_the_same_other_unit_are_refused() -> None:
    rows = [
        ["an@congty.vn", "An", "Công ty", "", "lead", "", "", "Công ty/Kho"],
        ["binh@congty.vn", "Bình", "Công ty/Kho", "", "lead", "", "", ""],
    ]
    preview = preview_of(csv_content(rows, header=LEADS_HEADER))
    assert problems_by_line(preview) == {3: ["This unit already has its lead on line 2."]}
    assert not OrgUnit.objects.exists()
