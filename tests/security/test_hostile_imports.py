"""Every import format fed every hostile value: the planted cycle is exported in each format, its
titles replaced by hostile values (a different one per title, so a few files carry them all),
previewed, then confirmed. Never a 5xx; a refused import stores nothing.
"""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from okrflow.library.exporter import export_cycle
from okrflow.library.formats import FORMATS
from okrflow.okrs.models import KeyResult, Objective
from tests.security.counts import record_counts
from tests.security.endpoints import forms_of
from tests.security.hostile_values import HOSTILE_VALUES, HostileValue
from tests.security.planting import Planted
from tests.security.requests import fingerprint, fingerprint_sql

pytestmark = pytest.mark.django_db

# Failures that belong to another helper's part of issue #10 (format, value regex, helper, reason).
PENDING_ELSEWHERE: list[tuple[str, str, str, str]] = []


def pending(format_name: str, values: list[HostileValue]) -> str | None:
    for on_format, value_re, helper, reason in PENDING_ELSEWHERE:
        if format_name == on_format and any(re.search(value_re, repr(v)) for v in values):
            return f"{helper}: {reason}"
    return None


def as_text(value: HostileValue) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="surrogateescape")
    if isinstance(value, list):
        return ", ".join(value)
    return value


def escaped(value: HostileValue, format_name: str) -> str:
    text = as_text(value)
    return json.dumps(text)[1:-1] if format_name == "json" else text


def with_values(content: bytes, format_name: str, titles: list[str], values: list[Any]) -> bytes:
    """The exported file with each title replaced by the next hostile value."""
    if format_name == "xlsx":
        from openpyxl import load_workbook
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        book = load_workbook(io.BytesIO(content))
        mapping = dict(zip(titles, values, strict=False))
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.value in mapping:
                        # openpyxl refuses control characters in cells: the rest goes in.
                        cell.value = ILLEGAL_CHARACTERS_RE.sub("", as_text(mapping[cell.value]))
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    text = content.decode("utf-8")
    for title, value in zip(titles, values, strict=False):
        text = text.replace(title, escaped(value, format_name))
    return text.encode("utf-8", errors="surrogateescape")


@pytest.mark.parametrize("format_name", FORMATS)
def test_no_hostile_import_breaks_the_import(
    format_name: str, planted: Planted, frozen_wednesday: None, request: pytest.FixtureRequest
) -> None:
    world = planted.world
    client = Client(raise_request_exception=False)
    client.force_login(world.admin.user)
    cycle = world.cycle
    titles = sorted(
        {o.title for o in Objective.objects.filter(cycle=cycle)}
        | {k.title for k in KeyResult.objects.filter(objective__cycle=cycle)},
        key=len,
        reverse=True,
    )
    exported = export_cycle(cycle, format_name, user=world.admin.user, lang="en")
    sql = fingerprint_sql()
    counts = {"requests": 0, "5xx": 0, "files": 0, "pending": 0}
    failures: list[str] = []
    for start in range(0, len(HOSTILE_VALUES), len(titles)):
        values = HOSTILE_VALUES[start : start + len(titles)]
        content = with_values(exported, format_name, titles, values)
        counts["files"] += 1
        upload = SimpleUploadedFile(f"okrs.{format_name}", content)
        data = {"cycle": cycle.pk, "format": format_name, "owner": "", "file": upload}
        before = fingerprint(sql)
        preview = client.post("/library/import/", data)
        counts["requests"] += 1
        if preview.status_code >= 500:
            if pending(format_name, values):
                counts["pending"] += 1
                continue
            failures.append(f"{format_name} preview of values {start}…: {preview.status_code}")
            counts["5xx"] += 1
            continue
        if preview.status_code >= 400 and fingerprint(sql) != before:
            failures.append(f"{format_name} refused preview {start}… changed the stored data")
        confirm = next(
            (
                form
                for form in forms_of(preview.content.decode(errors="replace"), "/library/import/")
                if form.values.get("action") == ["confirm"]
            ),
            None,
        )
        if confirm is None:
            continue
        fields = {name: values_[0] for name, values_ in confirm.values.items() if values_}
        done = client.post("/library/import/", fields)
        counts["requests"] += 1
        if done.status_code >= 500:
            failures.append(f"{format_name} import of values {start}…: {done.status_code}")
            counts["5xx"] += 1
    names = {"import formats": {format_name}, "values": {repr(v) for v in HOSTILE_VALUES}}
    record_counts(request.node, "hostile imports", counts, names)
    assert not failures, "\n".join(failures)
