#!/usr/bin/env python3
"""Fill the Vietnamese catalogue: list what is missing, or set translations from a JSON file.

    .venv/bin/python scripts/translate.py --missing          # untranslated and fuzzy msgids, as JSON
    .venv/bin/python scripts/translate.py FILE.json          # {"msgid": "msgstr", ...}; a plural
                                                             # msgid maps to its one Vietnamese form
Then compile: `cd okrflow && ../.venv/bin/okrflow compilemessages`.
Run `okrflow makemessages -l vi` (in okrflow/) first so the catalogue holds every new msgid.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parent.parent / "okrflow/locale/vi/LC_MESSAGES/django.po"


def missing(catalogue: polib.POFile) -> dict[str, str]:
    entries = catalogue.untranslated_entries() + catalogue.fuzzy_entries()
    return {entry.msgid: "" for entry in entries if not entry.obsolete}


def apply(catalogue: polib.POFile, translations: dict[str, str]) -> list[str]:
    unknown = []
    for msgid, text in translations.items():
        entry = catalogue.find(msgid)
        if entry is None:
            unknown.append(msgid)
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {0: text}
        else:
            entry.msgstr = text
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
    return unknown


def main() -> int:
    catalogue = polib.pofile(str(CATALOGUE), wrapwidth=79)
    if sys.argv[1:] == ["--missing"]:
        print(json.dumps(missing(catalogue), ensure_ascii=False, indent=1))
        return 0
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    unknown = apply(catalogue, json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")))
    catalogue.save()
    # Re-wrap the way gettext (and so `makemessages`) does, so the file's diff stays small.
    subprocess.run(["msgcat", "-o", str(CATALOGUE), str(CATALOGUE)], check=True)
    for msgid in unknown:
        print(f"not in the catalogue: {msgid!r}", file=sys.stderr)
    left = missing(catalogue)
    print(f"{len(left)} msgid(s) still without a Vietnamese translation")
    return 1 if unknown else 0


if __name__ == "__main__":
    sys.exit(main())
