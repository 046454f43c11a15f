"""A web worker holds only what its pages need: the libraries that write or read a workbook or
a calendar file are imported by the requests that do, not when the URLs are loaded (openpyxl
alone is some 15 MB in every gunicorn worker, against the issue's 150 MB a worker)."""

from __future__ import annotations

from pathlib import Path

from tests.deployment.test_production_settings import PRODUCTION, okrflow_env, run_python

LOADED_BY_URLS = (
    "import django, os, sys; os.environ['DJANGO_SETTINGS_MODULE'] = 'okrflow.settings'; "
    "django.setup(); import okrflow.wsgi; from django.urls import get_resolver; "
    "get_resolver().url_patterns; "
    "print(' '.join(sorted({name.split('.')[0] for name in sys.modules})))"
)


def test_loading_the_urls_imports_neither_openpyxl_nor_icalendar(tmp_path: Path) -> None:
    result = run_python(okrflow_env(tmp_path, **PRODUCTION), "-c", LOADED_BY_URLS)
    assert result.returncode == 0, result.stderr
    loaded = set(result.stdout.split())
    assert "okrflow" in loaded and "django" in loaded  # the probe saw the application
    assert not {"openpyxl", "icalendar"} & loaded
