"""`okrflow parse-kr`: read a key-result sentence (or a file of them) into structured fields.

okrflow parse-kr "Tăng nhận diện thương hiệu từ 65% lên 80%" --json
okrflow parse-kr --file krs.txt --json        # one sentence per line -> a JSON array
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from okrflow.engine.kr_parser import ParsedKeyResult, parse_key_result
from okrflow.engine.numbers import LANGUAGES


def read_sentences(path: str) -> list[str]:
    """Return the non-blank lines of a UTF-8 file, or explain why it cannot be read."""
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"No such file: {path}")
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise CommandError(f"{path} is not UTF-8 text.") from error
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror}") from error
    sentences = [line.strip() for line in text.splitlines() if line.strip()]
    if not sentences:
        raise CommandError(f"{path} has no sentences (one key result per line).")
    return sentences


def summary(parsed: ParsedKeyResult) -> str:
    """Describe a parse in a few readable lines."""
    data = parsed.to_json()
    figures = []
    if data["start"] is not None:
        figures.append(f"from {data['start']}")
    if data["target"] is not None:
        figures.append(f"target {data['target']}{' ' + data['unit'] if data['unit'] else ''}")
    if data["per"]:
        figures.append(f"per {data['per']}")
    deadline = data["deadline"]
    when = ""
    if deadline:
        when = ", ".join(f"{k} {v}" for k, v in deadline.items() if v is not None)
    lines = [
        f"“{parsed.text}” [{parsed.lang}]",
        f"  kind:       {data['kind']}{'' if data['measurable'] else ' (not measurable)'}",
        f"  direction:  {data['direction']}{' (relative change)' if data['relative'] else ''}",
        f"  figures:    {', '.join(figures) or '–'}",
        f"  deadline:   {when or '–'}",
    ]
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Parse key-result sentences (Vietnamese or English) into structured fields."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("text", nargs="?", help="The key-result sentence.")
        parser.add_argument("--file", help="A UTF-8 file with one sentence per line.")
        parser.add_argument(
            "--lang", choices=LANGUAGES, help="Language of the text (default: detected)."
        )
        parser.add_argument("--json", action="store_true", help="Print JSON for scripts.")

    def handle(self, *args: Any, **options: Any) -> None:
        text, path = options["text"], options["file"]
        if text is not None and path:
            raise CommandError("Give either a sentence or --file, not both.")
        if path:
            sentences = read_sentences(path)
        elif text is not None and text.strip():
            sentences = [text.strip()]
        else:
            raise CommandError('Give a key-result sentence, e.g. okrflow parse-kr "Tăng 20% …".')
        parsed = [parse_key_result(sentence, options["lang"]) for sentence in sentences]
        if options["json"]:
            data: Any = [p.to_json() for p in parsed] if path else parsed[0].to_json()
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write("\n\n".join(summary(p) for p in parsed))
