"""Measure the key-result parser on the labelled corpus of real sentences.

    python scripts/parser_accuracy.py [CORPUS.jsonl] [--min 90]

Runs `okrflow parse-kr --file … --json` on every sentence of the corpus
(tests/engine/parser_corpus/key_results.jsonl by default) and compares each parse with its
label field by field (kind, measurable, start, target, unit, direction, relative, deadline, per,
slot, and the detected language). Prints, per language, the number of lines, how many are fully right,
the percentage, and every wrong line with its differences. Exits 1 when either language is
below the minimum percentage (90 by default), 2 when the corpus cannot be read.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT / "tests" / "engine" / "parser_corpus" / "key_results.jsonl"
FIELDS = ("kind", "measurable", "start", "target", "unit", "direction", "relative")
FIELDS += ("deadline", "per", "slot")


def read_corpus(path: Path) -> list[dict[str, Any]]:
    """Read the labelled lines; every line has sentence, lang, source and expected."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        missing = {"sentence", "lang", "source", "expected"} - set(row)
        if missing:
            raise ValueError(f"{path}:{number}: missing {', '.join(sorted(missing))}")
        if "\n" in row["sentence"] or not row["sentence"].strip():
            raise ValueError(f"{path}:{number}: a sentence must be one non-blank line")
        rows.append(row)
    return rows


def parse_all(sentences: list[str]) -> list[dict[str, Any]]:
    """Run `okrflow parse-kr --file` on the sentences and return its JSON array."""
    with tempfile.TemporaryDirectory() as folder:
        file = Path(folder) / "sentences.txt"
        file.write_text("\n".join(sentences) + "\n", encoding="utf-8")
        env = {**os.environ, "OKRFLOW_DATA_DIR": os.environ.get("OKRFLOW_DATA_DIR", folder)}
        command = [sys.executable, "-m", "okrflow", "parse-kr", "--file", str(file), "--json"]
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    parsed: list[dict[str, Any]] = json.loads(done.stdout)
    if len(parsed) != len(sentences):
        raise RuntimeError(f"parse-kr returned {len(parsed)} parses for {len(sentences)} lines")
    return parsed


def differences(row: dict[str, Any], got: dict[str, Any]) -> list[str]:
    """List the fields where the parse differs from the label."""
    expected = row["expected"]
    wrong = [
        f"{field}: expected {expected.get(field)!r}, got {got.get(field)!r}"
        for field in FIELDS
        if got.get(field) != expected.get(field)
    ]
    if got.get("lang") != row["lang"]:
        wrong.append(f"lang: expected {row['lang']!r}, got {got.get('lang')!r}")
    return wrong


def report(rows: list[dict[str, Any]], parsed: list[dict[str, Any]], minimum: float) -> bool:
    """Print the per-language figures and wrong lines; return whether both pass."""
    passed = True
    for lang in sorted({row["lang"] for row in rows}, reverse=True):
        pairs = [(r, p) for r, p in zip(rows, parsed, strict=True) if r["lang"] == lang]
        wrong = [(r, differences(r, p)) for r, p in pairs]
        wrong = [(r, d) for r, d in wrong if d]
        right = len(pairs) - len(wrong)
        share = 100 * right / len(pairs) if pairs else 0.0
        print(f"== {lang}: {len(pairs)} lines, {right} fully right ({share:.1f}%)")
        for row, diffs in wrong:
            print(f"  ✗ {row['sentence']}")
            for diff in diffs:
                print(f"      {diff}")
        passed = passed and share >= minimum
    return passed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--min", type=float, default=90.0, help="Minimum % per language.")
    args = parser.parse_args(argv)
    try:
        rows = read_corpus(args.corpus)
    except (OSError, ValueError) as error:
        print(f"Cannot read the corpus: {error}", file=sys.stderr)
        return 2
    parsed = parse_all([row["sentence"] for row in rows])
    ok = report(rows, parsed, args.min)
    print(f"== parser accuracy {'passed' if ok else 'FAILED'} (minimum {args.min:g}% per language)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
