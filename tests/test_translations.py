"""The Vietnamese catalogue is complete, current and compiled."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "okrflow"
PO = PACKAGE / "locale" / "vi" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def need(tool: str) -> str:
    """Return the gettext tool's path; CI must have it, a laptop without it skips."""
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} (GNU gettext) is required in CI")
        pytest.skip(f"{tool} is not installed")
    return path


def entries(po_text: str) -> list[dict[str, str | bool]]:
    """Split a .po file into entries with msgid, msgstr(s) and the fuzzy flag."""
    found = []
    for block in po_text.strip().split("\n\n"):
        lines = block.splitlines()
        if all(line.startswith("#~") for line in lines if line.strip()):
            continue
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        text = "\n".join(line for line in lines if not line.startswith("#"))
        msgid = "".join(re.findall(r'"(.*)"', text.split("msgstr")[0].split("msgid_plural")[0]))
        msgstrs = [
            "".join(re.findall(r'"(.*)"', part))
            for part in re.split(r"msgstr(?:\[\d\])?", text)[1:]
        ]
        found.append({"msgid": msgid, "fuzzy": fuzzy, "translated": all(msgstrs) and bool(msgstrs)})
    return found


def test_every_entry_is_translated_and_none_is_fuzzy() -> None:
    items = [e for e in entries(PO.read_text(encoding="utf-8")) if e["msgid"]]
    assert len(items) > 100
    untranslated = [e["msgid"] for e in items if not e["translated"]]
    fuzzy = [e["msgid"] for e in items if e["fuzzy"]]
    assert untranslated == []
    assert fuzzy == []


def test_catalogue_covers_every_string_in_the_code(tmp_path: Path) -> None:
    need("xgettext")
    copy = tmp_path / "okrflow"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "vi",
            "--no-obsolete",
            "-i",
            "demo/content.py",
            "-i",
            "library/examples.py",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        env=dict(os.environ, DJANGO_SETTINGS_MODULE="okrflow.settings"),
    )
    fresh = {
        e["msgid"]
        for e in entries((copy / "locale/vi/LC_MESSAGES/django.po").read_text(encoding="utf-8"))
    }
    committed = {e["msgid"] for e in entries(PO.read_text(encoding="utf-8"))}
    assert sorted(fresh - committed) == [], (
        "run `okrflow makemessages -l vi` in okrflow/ and translate"
    )


def test_compiled_catalogue_is_current(tmp_path: Path) -> None:
    msgfmt = need("msgfmt")
    compiled = tmp_path / "django.mo"
    subprocess.run([msgfmt, "--check", "-o", str(compiled), str(PO)], check=True)
    assert compiled.read_bytes() == MO.read_bytes(), "run `okrflow compilemessages` in okrflow/"


TRANSLATING = {"_", "gettext", "gettext_lazy", "ngettext", "pgettext", "npgettext"}


def test_no_string_is_translated_inside_an_f_string() -> None:
    # `makemessages` (xgettext) reads an f-string as one literal: a `_("…")` inside it is never
    # extracted, and the next run drops its Vietnamese from the catalogue.
    import ast

    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.JoinedStr):
                continue
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.Call)
                    and isinstance(inner.func, ast.Name)
                    and inner.func.id in TRANSLATING
                    and inner.args
                    and isinstance(inner.args[0], ast.Constant)
                ):
                    found.append(f"{path.relative_to(PACKAGE)}:{inner.lineno}")
    assert found == []
