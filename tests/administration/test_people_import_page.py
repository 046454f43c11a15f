"""The people import page: upload → preview → confirm for OKR admins only, and the export."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from okrflow.org.models import PeopleImportUpload, Person
from tests.administration.people_files import csv_content, import_content, xlsx_content
from tests.conftest import PASSWORD, World

PAGE = "administration:people_import"
EXPORT = "administration:people_export"
ROWS = [
    ["an@congty.vn", "Nguyễn Văn An", "Sao Viet/Kho", "", "lead", "vi", ""],
    ["binh@congty.vn", "Trần Thị Bình", "Sao Viet/Kho", "an@congty.vn", "", "", ""],
]


def signed_in(client: Client, world: World, persona: str) -> Client:
    assert client.login(username=getattr(world, persona).user.username, password=PASSWORD)
    return client


def upload(client: Client, content: bytes, name: str = "people.csv") -> object:
    return client.post(
        reverse(PAGE), {"action": "preview", "file": SimpleUploadedFile(name, content)}
    )


@pytest.mark.parametrize(
    ("persona", "status"), [("admin", 200), ("lead", 403), ("member", 403), ("outsider", 403)]
)
def test_only_admins_open_the_page_and_the_export(
    client: Client, world: World, persona: str, status: int
) -> None:
    signed_in(client, world, persona)
    assert client.get(reverse(PAGE)).status_code == status
    assert client.get(reverse(EXPORT) + "?format=csv").status_code == status
    response = upload(client, csv_content(ROWS))
    assert response.status_code == (200 if persona == "admin" else 403)
    assert Person.objects.filter(user__email="an@congty.vn").count() == 0


def test_signed_out_visitors_are_sent_to_sign_in(client: Client, world: World) -> None:
    for response in (client.get(reverse(PAGE)), upload(client, csv_content(ROWS))):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_tab_is_listed_for_admins(client: Client, world: World) -> None:
    signed_in(client, world, "admin")
    content = client.get(reverse("administration:home")).content.decode()
    assert reverse(PAGE) in content and "Import people" in content


def test_preview_then_confirm(client: Client, world: World) -> None:
    signed_in(client, world, "admin")
    people_before = Person.objects.count()
    response = upload(client, csv_content(ROWS))
    page = response.content.decode()
    assert response.status_code == 200
    assert "People to create" in page and "Sao Viet/Kho" in page and "an@congty.vn" in page
    # The preview is the dry run: nothing is saved but the file kept for the confirm step.
    assert Person.objects.count() == people_before
    stored = PeopleImportUpload.objects.get()
    assert stored.uploaded_by == world.admin.user
    assert 'name="expected" value="2-0-0-1"' in page
    response = client.post(
        reverse(PAGE), {"action": "confirm", "upload": str(stored.pk), "expected": "2-0-0-1"}
    )
    assert response.status_code == 302 and response["Location"] == reverse(PAGE)
    binh = Person.objects.get(user__email="binh@congty.vn")
    assert binh.manager.full_name == "Nguyễn Văn An" and binh.unit.parent == world.company
    assert binh.unit.lead.user.email == "an@congty.vn"
    assert not PeopleImportUpload.objects.exists()
    page = client.get(reverse(PAGE)).content.decode()
    assert "Imported: 2 people created, 0 updated, 1 units created." in page


def test_a_file_with_problems_shows_them_and_offers_no_confirm(
    client: Client, world: World
) -> None:
    signed_in(client, world, "admin")
    rows = [*ROWS, ["binh@congty.vn", "Bình again", "", "", "", "", ""]]
    response = upload(client, xlsx_content(rows), "people.xlsx")
    page = response.content.decode()
    assert "Nothing was imported" in page
    assert "binh@congty.vn is also on line 3." in page
    assert 'value="confirm"' not in page
    assert not PeopleImportUpload.objects.exists()
    assert not Person.objects.filter(user__email="an@congty.vn").exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"%PDF-1.4", "people.pdf", "is not a CSV or XLSX file"),
        (b"PK\x03\x04garbage", "people.xlsx", "This is not an XLSX workbook"),
        (b"email,full_name\n\xff,x\n", "people.csv", "The file is not UTF-8 text"),
    ],
)
def test_a_file_that_is_no_people_file_is_refused(
    client: Client, world: World, content: bytes, name: str, message: str
) -> None:
    signed_in(client, world, "admin")
    response = upload(client, content, name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PeopleImportUpload.objects.exists()


def test_a_file_over_the_limit_is_refused_while_it_uploads(client: Client, world: World) -> None:
    signed_in(client, world, "admin")
    content = csv_content(ROWS) + b"x" * 5_100_000
    response = upload(client, content)
    assert response.status_code == 400
    assert "The file is larger than 5 MB." in response.content.decode()
    assert not PeopleImportUpload.objects.exists()


def test_a_confirm_of_an_unknown_or_foreign_upload_imports_nothing(
    client: Client, world: World
) -> None:
    Person.objects.filter(pk=world.ceo.pk).update(is_admin=True)
    signed_in(client, world, "ceo")
    upload(client, csv_content(ROWS))
    foreign = PeopleImportUpload.objects.get()
    client.logout()
    signed_in(client, world, "admin")
    for value in (str(foreign.pk), "abc", "9" * 30, ""):
        response = client.post(reverse(PAGE), {"action": "confirm", "upload": value})
        assert response.status_code == 400
        assert "This preview is no longer kept" in response.content.decode()
    assert not Person.objects.filter(user__email="an@congty.vn").exists()


def test_the_page_refuses_other_methods(client: Client, world: World) -> None:
    signed_in(client, world, "admin")
    assert client.put(reverse(PAGE)).status_code == 405
    assert client.post(reverse(EXPORT)).status_code == 405


def test_the_export_downloads_csv_and_xlsx(client: Client, world: World) -> None:
    signed_in(client, world, "admin")
    response = client.get(reverse(EXPORT) + "?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "email,full_name,unit,manager_email,role,language,active,leads"
    assert ",Head Marketing,Sao Viet/Marketing,,lead,en,yes," in response.content.decode(
        "utf-8-sig"
    )
    response = client.get(reverse(EXPORT) + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]][:2] == ["email", "full_name"]
    assert sheet.max_row == Person.objects.count() + 1
    assert client.get(reverse(EXPORT) + "?format=pdf").status_code == 404


def test_the_page_speaks_vietnamese(client: Client, world: World) -> None:
    Person.objects.filter(pk=world.admin.pk).update(language="vi")
    signed_in(client, world, "admin")
    with translation.override("vi"):
        response = upload(client, csv_content([["", "Không email", "", "", "", "", ""]]))
    page = response.content.decode()
    assert "Nhập danh sách nhân sự" in page
    assert "Email đang để trống." in page


def test_a_confirm_after_the_people_changed_shows_the_new_preview(
    client: Client, world: World
) -> None:
    signed_in(client, world, "admin")
    upload(client, csv_content(ROWS))
    stored = PeopleImportUpload.objects.get()
    # Meanwhile someone else adds An: the file would now create one person, not two.
    import_content(csv_content(ROWS[:1]))
    response = client.post(
        reverse(PAGE), {"action": "confirm", "upload": str(stored.pk), "expected": "2-0-0-1"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The people changed since your preview" in page
    assert 'name="expected" value="1-0-1-0"' in page
    assert not Person.objects.filter(user__email="binh@congty.vn").exists()
