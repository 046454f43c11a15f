"""Imported files cannot hurt the server: zip bombs, deep JSON, oversized uploads, and who may
upload at all — settled before any parser runs."""

from __future__ import annotations

import io
import json
import struct
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from okrflow.audit.models import AuditEntry
from okrflow.library import formats
from okrflow.library.formats import read_file
from okrflow.library.owners import choice_value
from okrflow.library.uploads import (
    MAX_COMMAND_IMPORT_BYTES,
    MAX_IMPORT_BYTES,
    MAX_JSON_DEPTH,
    MAX_UNPACKED_BYTES,
    check_zip,
    json_depth,
)
from okrflow.okrs.models import Objective
from tests.conftest import PASSWORD, World
from tests.library.conftest import signed_in

SHEET = "xl/worksheets/sheet1.xml"
ROW = b'<row><c t="inlineStr"><is><t>Grow</t></is></c></row>'


def workbook_bytes() -> bytes:
    """A real, small workbook: the parts a zip bomb dresses itself in."""
    book = Workbook()
    book.active.append(["objective", "key_result"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bomb(unpacked_bytes: int) -> bytes:
    """A workbook whose sheet repeats one row until it unpacks to `unpacked_bytes`.

    Written in chunks, so the test itself never holds the unpacked sheet in memory.
    """
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for info in source.infolist():
            if info.filename != SHEET:
                bomb.writestr(info.filename, source.read(info.filename))
        with bomb.open(SHEET, "w", force_zip64=True) as sheet:
            sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/')
            sheet.write(b'spreadsheetml/2006/main"><sheetData>')
            chunk = ROW * (1_000_000 // len(ROW))
            written = 0
            while written < unpacked_bytes:
                sheet.write(chunk)
                written += len(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def lying_bomb(unpacked_bytes: int, declared: int) -> bytes:
    """A zip bomb whose headers claim the sheet unpacks to only `declared` bytes."""
    content = bytearray(zip_bomb(unpacked_bytes))
    # Rewrite the central directory's size field (offset 24) and any ZIP64 extra field.
    directory = content.find(b"PK\x01\x02")
    while directory != -1:
        name_length = struct.unpack_from("<H", content, directory + 28)[0]
        name = bytes(content[directory + 46 : directory + 46 + name_length])
        if name == SHEET.encode():
            struct.pack_into("<I", content, directory + 24, declared)
            extra_length = struct.unpack_from("<H", content, directory + 30)[0]
            extra = directory + 46 + name_length
            if extra_length and struct.unpack_from("<H", content, extra)[0] == 1:
                # ZIP64: a real size here would win over the 32-bit field.
                struct.pack_into("<I", content, directory + 24, 0xFFFFFFFF)
                struct.pack_into("<Q", content, extra + 4, declared)
            break
        directory = content.find(b"PK\x01\x02", directory + 4)
    return bytes(content)


def test_a_zip_bomb_is_refused_before_openpyxl_opens_it() -> None:
    bomb = zip_bomb(MAX_UNPACKED_BYTES + 5_000_000)
    assert len(bomb) < 200_000  # small on disk, like the 613 KB file of the report
    tracemalloc.start()
    result = read_file(bomb, "xlsx")
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert result.objectives == []
    assert "MB; the limit is 25 MB" in result.problems[0].message
    assert peak < 5_000_000  # nothing was unpacked


def test_a_small_bomb_with_an_absurd_ratio_is_refused() -> None:
    bomb = zip_bomb(10_000_000)
    result = read_file(bomb, "xlsx")
    assert "possible zip bomb" in result.problems[0].message


def test_a_bomb_whose_headers_lie_is_cut_at_the_declared_size() -> None:
    bomb = lying_bomb(MAX_UNPACKED_BYTES + 5_000_000, declared=500_000)
    check_zip(bomb)  # the headers pass the limits…
    tracemalloc.start()
    result = read_file(bomb, "xlsx")
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # …but reading stops at the declared size: a problem, never gigabytes.
    assert result.problems and peak < 30_000_000


def test_too_many_members_are_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for index in range(300):
            archive.writestr(f"part{index}.xml", b"<x/>")
    assert "300 parts" in read_file(out.getvalue(), "xlsx").problems[0].message


def test_a_real_workbook_still_reads() -> None:
    book = Workbook()
    book.active.append(["owner", "objective", "key_result"])
    for index in range(2000):
        book.active.append(["head.marketing", f"Objective {index}", "Reach 100 leads by 30/6"])
    out = io.BytesIO()
    book.save(out)
    result = read_file(out.getvalue(), "xlsx")
    assert not result.problems and len(result.objectives) == 2000


def deep_json(depth: int) -> bytes:
    return b'{"objectives": ' + b"[" * depth + b"]" * depth + b"}"


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH, 5_000, 400_000])
def test_deeply_nested_json_is_refused_with_a_message(depth: int) -> None:
    result = read_file(deep_json(depth), "json")
    assert result.objectives == []
    assert f"nested more than {MAX_JSON_DEPTH} levels" in result.problems[0].message


def test_json_depth_ignores_brackets_in_strings() -> None:
    text = json.dumps({"objectives": [{"title": '[[[{{ \\" ]]', "tags": ["a"]}]})
    assert json_depth(text.encode()) == 4
    # Escaped quotes cannot hide brackets, and hostile quoting is read in one pass.
    assert json_depth(b'["\\"", [[]]]') == 3
    assert json_depth(b'"\\"' * 300_000) == 0


def depth_by_copies(content: bytes) -> int:
    """The depth as first computed: escapes, then strings, cut out of copies of the text."""
    import re

    without_strings = re.sub(rb'"[^"]*"', b"", re.sub(rb"\\.", b"_", content, flags=re.DOTALL))
    depth = deepest = 0
    for byte in without_strings:
        if byte in b"[{":
            depth += 1
            deepest = max(deepest, depth)
        elif byte in b"]}":
            depth -= 1
    return deepest


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=40) | st.text(alphabet='[]{}"\\a,:', max_size=40).map(str.encode))
def test_json_depth_equals_cutting_strings_out_of_a_copy(content: bytes) -> None:
    assert json_depth(content) == min(depth_by_copies(content), json_depth(content))
    if depth_by_copies(content) <= MAX_JSON_DEPTH:
        assert json_depth(content) == depth_by_copies(content)


def test_json_depth_needs_no_copy_of_the_text() -> None:
    content = json.dumps([{"title": f"KR {n} \\ [x]", "n": "1"} for n in range(20_000)]).encode()
    tracemalloc.start()
    try:
        assert json_depth(content) == 2
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < len(content)  # a few of its brackets at a time, never a copy


def test_an_export_document_is_well_inside_the_limit(world: World) -> None:
    document = {
        "format": "okrflow-okrs",
        "objectives": [
            {
                "title": "Grow",
                "owner": {"kind": "unit", "name": "Marketing"},
                "alignments": [{"parent": "O1"}],
                "key_results": [{"title": "Reach 10 leads", "shape": "metric"}],
            }
        ],
    }
    result = read_file(json.dumps(document).encode(), "json")
    assert not result.problems and len(result.objectives) == 1


def test_the_message_is_in_the_persons_language() -> None:
    with translation.override("vi"):
        message = read_file(deep_json(100), "json").problems[0].message
    assert "lồng" in message


def parser_that_must_not_run(content: bytes) -> Any:
    raise AssertionError("the file was parsed before the upload was refused")


@pytest.fixture
def exploding_parsers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every reader fails the test if called: a refusal must come before any parsing."""
    for name in formats.READERS:
        monkeypatch.setitem(formats.READERS, name, parser_that_must_not_run)


def bomb_upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("okrs.xlsx", zip_bomb(MAX_UNPACKED_BYTES + 5_000_000))


@pytest.mark.usefixtures("exploding_parsers")
def test_someone_outside_the_organisation_is_refused_before_the_parser(
    client: Client, world: World
) -> None:
    get_user_model().objects.create_user("stranger", password=PASSWORD)
    client.login(username="stranger", password=PASSWORD)
    data = {"cycle": world.cycle.pk, "action": "confirm", "file": bomb_upload()}
    assert client.post("/library/import/", data).status_code == 403


@pytest.mark.usefixtures("exploding_parsers")
def test_anonymous_uploads_go_to_sign_in_unparsed(client: Client, world: World) -> None:
    response = client.post("/library/import/", {"cycle": world.cycle.pk, "file": bomb_upload()})
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


@pytest.mark.usefixtures("exploding_parsers")
@pytest.mark.parametrize("persona", ["member", "outsider"])
def test_an_owner_the_person_may_not_choose_is_refused_before_the_parser(
    client: Client, world: World, persona: str
) -> None:
    signed_in(client, world, persona)
    data = {"cycle": world.cycle.pk, "owner": choice_value(world.marketing), "file": bomb_upload()}
    response = client.post("/library/import/", data)
    assert response.status_code == 400
    assert Objective.objects.count() == 0


@pytest.mark.usefixtures("exploding_parsers")
def test_an_upload_over_the_limit_is_not_read_past_it(client: Client, world: World) -> None:
    signed_in(client, world, "member")
    big = SimpleUploadedFile("okrs.xlsx", b"PK\x03\x04" + b"x" * MAX_IMPORT_BYTES)
    response = client.post("/library/import/", {"cycle": world.cycle.pk, "file": big})
    assert response.status_code == 400
    assert "The file is larger than 1 MB." in response.content.decode()
    assert "Choose a file" not in response.content.decode()


def test_a_pasted_text_or_carried_payload_over_the_limit_is_refused(
    client: Client, world: World
) -> None:
    signed_in(client, world, "member")
    text = {"cycle": world.cycle.pk, "text": "O: x\n" * (MAX_IMPORT_BYTES // 5 + 1)}
    assert client.post("/library/import/", text).status_code == 400
    payload = {"cycle": world.cycle.pk, "payload": "A" * (MAX_IMPORT_BYTES * 2)}
    assert client.post("/library/import/", payload).status_code == 400


@pytest.mark.parametrize("persona", ["admin", "lead", "member", "outsider"])
def test_a_zip_bomb_upload_is_answered_with_a_message_for_every_persona(
    client: Client, world: World, persona: str
) -> None:
    signed_in(client, world, persona)
    data = {"cycle": world.cycle.pk, "action": "confirm", "checked": "x", "file": bomb_upload()}
    response = client.post("/library/import/", data)
    assert response.status_code == 200
    assert "MB; the limit is 25 MB" in response.content.decode()
    assert Objective.objects.count() == 0


def test_deep_json_upload_is_answered_in_vietnamese(client: Client, world: World) -> None:
    world.member.language = "vi"
    world.member.save()
    signed_in(client, world, "member")
    upload = SimpleUploadedFile("okrs.json", deep_json(100_000))
    response = client.post("/library/import/", {"cycle": world.cycle.pk, "file": upload})
    assert response.status_code == 200
    assert "lồng" in response.content.decode()


def test_the_import_page_still_checks_csrf(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    signed_in(client, world, "lead")
    data = {"cycle": world.cycle.pk, "text": "Marketing\nO: Grow\n- KR1: Reach 10 leads by 30/6"}
    assert client.post("/library/import/", data).status_code == 403
    client.get("/library/import/")
    token = client.cookies["csrftoken"].value
    assert client.post("/library/import/", data | {"csrfmiddlewaretoken": token}).status_code == 200


def test_the_command_refuses_a_big_file_unread_and_a_bomb_with_a_message(
    world: World, tmp_path: Path
) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as sparse:  # no need to write 20 MB: only its size is ever read
        sparse.truncate(MAX_COMMAND_IMPORT_BYTES + 1)
    with pytest.raises(CommandError, match="larger than 20 MB"):
        call_command("import", str(big), "--cycle", "Q2 2026", stdout=io.StringIO())
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(zip_bomb(MAX_UNPACKED_BYTES + 5_000_000))
    with pytest.raises(CommandError, match="No cycle named"):
        call_command("import", str(bomb), "--cycle", "Nope", stdout=io.StringIO())
    out = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import", str(bomb), "--cycle", "Q2 2026", stdout=out)
    assert "MB; the limit is 25 MB" in out.getvalue()
    assert Objective.objects.count() == 0


def with_part(name: str, data: bytes) -> bytes:
    """A real workbook with one part replaced."""
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            archive.writestr(info.filename, data if info.filename == name else source.read(info))
    return out.getvalue()


PARTS = [info.filename for info in zipfile.ZipFile(io.BytesIO(workbook_bytes())).infolist()]


@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize("data", [b"garbage<<", b"", b"<?xml version='1.0'?><x/>"])
def test_a_damaged_workbook_part_is_a_problem_not_a_crash(part: str, data: bytes) -> None:
    result = read_file(with_part(part, data), "xlsx")
    assert result.problems or result.objectives == []


def test_a_damaged_workbook_upload_is_answered(client: Client, world: World) -> None:
    signed_in(client, world, "member")
    upload = SimpleUploadedFile("okrs.xlsx", with_part("xl/workbook.xml", b"garbage<<"))
    response = client.post("/library/import/", {"cycle": world.cycle.pk, "file": upload})
    assert response.status_code == 200
    assert "This is not an XLSX workbook" in response.content.decode()


def test_the_command_as_a_person_is_refused_before_the_file_is_read(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in formats.READERS:
        monkeypatch.setitem(formats.READERS, name, parser_that_must_not_run)
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(zip_bomb(MAX_UNPACKED_BYTES + 5_000_000))
    get_user_model().objects.create_user("stranger", password=PASSWORD)
    args = ("import", str(bomb), "--cycle", "Q2 2026")
    with pytest.raises(CommandError, match="not a member"):
        call_command(*args, "--as", "stranger", stdout=io.StringIO())
    with pytest.raises(CommandError, match="cannot create objectives for that --owner"):
        call_command(*args, "--as", "outsider", "--owner", "unit:Marketing", stdout=io.StringIO())
    with pytest.raises(CommandError, match="no user named"):
        call_command(*args, "--as", "nobody", stdout=io.StringIO())


def test_the_command_as_a_person_imports_with_their_rights(world: World, tmp_path: Path) -> None:
    text = tmp_path / "okrs.txt"
    text.write_text("Marketing\nO: Grow\n- KR1: Reach 10 leads by 30/6\n", encoding="utf-8")
    args = ("import", str(text), "--cycle", "Q2 2026", "--lang", "en")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command(*args, "--as", "specialist.marketing", stdout=io.StringIO())
    assert Objective.objects.count() == 0
    call_command(*args, "--as", "head.marketing", stdout=io.StringIO())
    objective = Objective.objects.get()
    assert objective.owner_unit == world.marketing
    assert AuditEntry.objects.filter(action="create_objective").get().actor == world.lead.user
