"""The import contracts of pyproject.toml ([tool.importlinter]) hold, and they can fail."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"},
    )


def test_every_contract_is_kept() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_forbidden_import_breaks_its_contract(tmp_path: Path) -> None:
    """Planted in a copy of the package's shape: each circle the contracts forbid is caught."""
    (tmp_path / "pyproject.toml").write_text(
        (ROOT / "pyproject.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    planted = {
        "engine/progress.py": "import django\nfrom okrflow.org import models\n",
        "org/access.py": "from okrflow.okrs import models\n",
        "okrs/models.py": "from okrflow.org import access\n",
        "okrs/command.py": "from okrflow.checkins import export\n",
        "okrs/serving.py": "from okrflow.strategy import models\n",
        "front/overview.py": "from okrflow.insights import stored\n",
        "library/catalog.py": "from okrflow.demo import content\n",
        "org/actions_people.py": "from okrflow.okrs import models\n",
    }
    for package in (
        "engine",
        "org",
        "okrs",
        "checkins",
        "front",
        "insights",
        "library",
        "demo",
        "strategy",
    ):
        (tmp_path / "okrflow" / package).mkdir(parents=True)
        (tmp_path / "okrflow" / package / "__init__.py").write_text("")
        (tmp_path / "okrflow" / package / "models.py").write_text("")
    (tmp_path / "okrflow" / "__init__.py").write_text("")
    for name in ("export", "stored", "content", "access"):
        for package in ("checkins", "insights", "demo", "org"):
            (tmp_path / "okrflow" / package / f"{name}.py").touch()
    for path, text in planted.items():
        (tmp_path / "okrflow" / path).write_text(textwrap.dedent(text))
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "0 kept, 6 broken" in result.stdout, result.stdout + result.stderr
    # No ignored import any more: the people actions reaching okrs is caught too.
    assert "okrflow.org.actions_people -> okrflow.okrs.models" in result.stdout


def test_okrs_fills_the_people_actions_hook() -> None:
    from okrflow.okrs.handover import OKR_WORK
    from okrflow.org.open_work import open_work

    assert open_work() is OKR_WORK
