"""okrflow's settings with one more page: the floor every benchmark figure is paired with
(bench_urls.py). `DJANGO_SETTINGS_MODULE=bench_site` with `bench/` on the path; bench.py sets
both, in-process and for gunicorn."""

from okrflow.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
