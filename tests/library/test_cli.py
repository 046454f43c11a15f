"""The library's commands: parse-kr, lint, import and export."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from okrflow.okrs.models import KeyResult, Objective
from tests.conftest import World, make_objective
from tests.library.conftest import ARTICLE


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_parse_kr_json_is_the_parser_object() -> None:
    data = json.loads(run("parse-kr", "Tăng nhận diện thương hiệu từ 65% lên 80%", "--json"))
    assert {k: data[k] for k in ("kind", "start", "target", "direction", "lang")} == {
        "kind": "percentage",
        "start": 65,
        "target": 80,
        "direction": "increase",
        "lang": "vi",
    }


def test_parse_kr_summary_and_forced_language() -> None:
    out = run("parse-kr", "Hold the customer conference in April", "--lang", "en")
    assert "kind:       milestone" in out and "month 4" in out
    assert "[en]" in out


def test_parse_kr_file_gives_an_array(tmp_path: Path) -> None:
    file = tmp_path / "krs.txt"
    file.write_text("Ít nhất 10.000 theo dõi\n\nTổ chức hội nghị khách hàng trong tháng 4\n")
    data = json.loads(run("parse-kr", "--file", str(file), "--json"))
    assert [(d["kind"], d["target"], d["direction"]) for d in data] == [
        ("metric", 10000, "at_least"),
        ("milestone", None, "achieve"),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("parse-kr",), "Give a key-result sentence"),
        (("parse-kr", "   "), "Give a key-result sentence"),
        (("parse-kr", "--file", "/no/such/file"), "No such file"),
        (("parse-kr", "x", "--file", "/no/such/file"), "either a sentence or --file"),
        (("parse-kr", "x", "--lang", "fr"), "invalid choice"),
    ],
)
def test_parse_kr_bad_input(args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_parse_kr_empty_or_binary_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n")
    with pytest.raises(CommandError, match="has no sentences"):
        run("parse-kr", "--file", str(empty))
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\xff\xfe\xfa")
    with pytest.raises(CommandError, match="not UTF-8"):
        run("parse-kr", "--file", str(binary))


def test_lint_the_article(world: World) -> None:
    data = json.loads(run("lint", str(ARTICLE), "--json", "--cycle", "Q2 2026"))
    assert (data["objectives"], data["key_results"], data["problems"]) == (18, 45, [])
    flagged = {(f["line"], f["rule"]) for f in data["findings"]}
    assert (110, "kr_is_activity") in flagged  # Tổ chức hội nghị khách hàng trong tháng 4
    assert (77, "kr_deadline_outside_cycle") in flagged  # … trong tháng 3
    assert (66, "objective_has_number") in flagged  # Top 3
    assert (116, "kr_missing_baseline") in flagged  # +25% compared with nothing
    text = run("lint", str(ARTICLE))
    assert text.startswith(f"{ARTICLE} (text): 18 objectives, 45 key results")
    assert "line 110" in text and "→ " in text


def test_lint_bad_input(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No such file"):
        run("lint", str(tmp_path / "missing.txt"))
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    with pytest.raises(CommandError, match="is empty"):
        run("lint", str(empty))
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    data = json.loads(run("lint", str(broken), "--json"))
    assert data["problems"][0]["message"].startswith("This is not valid JSON")


def test_import_dry_run_then_import(world: World) -> None:
    out = run(
        "import", str(ARTICLE), "--cycle", "Q2 2026", "--owner", "unit:Marketing", "--dry-run"
    )
    assert "Q2 2026: 18 objectives, 45 key results, 16 alignments, 3 initiatives (text)" in out
    assert "Dry run: nothing was saved." in out
    assert Objective.objects.count() == 0
    out = run("import", str(ARTICLE), "--cycle", "q2 2026", "--owner", "head.marketing")
    assert "Imported 18 objectives and 45 key results into Q2 2026: 16 alignments" in out
    # Headings naming no owner of this organisation fall to --owner; the others keep theirs.
    assert Objective.objects.filter(owner_person=world.lead).count() == 14
    assert KeyResult.objects.count() == 45


def test_import_refuses_a_file_with_errors_and_saves_nothing(world: World, tmp_path: Path) -> None:
    file = tmp_path / "plan.txt"
    file.write_text("Marketing\nO: Good\n- KR1: Tuyển 2 người trước 30/5\nNobody\nO: Orphan\n")
    with pytest.raises(CommandError, match="Nothing was imported: 1 error"):
        run("import", str(file), "--cycle", "Q2 2026")
    assert Objective.objects.count() == 0
    data = json.loads(
        run("import", str(file), "--cycle", "Q2 2026", "--owner", "sales", "--json", "--dry-run")
    )
    assert data["objectives"] == 2 and data["problems"][0]["line"] == 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("import", "/no/file.txt", "--cycle", "Q2 2026"), "No such file"),
        (("import", str(ARTICLE), "--cycle", "Q9 1999"), "No cycle named"),
        (("import", str(ARTICLE), "--cycle", "Q2 2026", "--owner", "nobody"), "--owner: No person"),
        (("import", str(ARTICLE), "--cycle", "Q2 2026", "--format", "pdf"), "invalid choice"),
    ],
)
def test_import_bad_input(world: World, args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_export_formats(world: World, tmp_path: Path) -> None:
    make_objective(world, world.marketing, "Own the SEO for brand consulting")
    text = run("export", "--cycle", "Q2 2026", "--format", "text")
    assert text.splitlines()[:3] == [
        "Marketing",
        "O1: Own the SEO for brand consulting",
        "- KR1: Raise retention from 80% to 95%",
    ]
    data = json.loads(run("export", "--cycle", "Q2 2026", "--format", "json"))
    assert data["objectives"][0]["key_results"][0]["start"] == "80"
    target = tmp_path / "okrs.xlsx"
    run("export", "--cycle", "Q2 2026", "--format", "xlsx", "--output", str(target))
    assert target.read_bytes().startswith(b"PK")
    with pytest.raises(CommandError, match="XLSX is binary"):
        run("export", "--cycle", "Q2 2026", "--format", "xlsx")
    with pytest.raises(CommandError, match="Cannot write"):
        run(
            "export",
            "--cycle",
            "Q2 2026",
            "--format",
            "csv",
            "--output",
            str(tmp_path / "no" / "x"),
        )
