"""okrflow's settings with one more page: the floor every benchmark figure is paired with
(bench_urls.py). `DJANGO_SETTINGS_MODULE=bench_site` with `bench/` on the path; bench.py sets
both, in-process and for gunicorn."""

import os

from okrflow.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"

if os.environ.get("OKRFLOW_BENCH_PROFILE"):
    # bench.py --profile: where a worker's time goes under load (bench_profile.py).
    MIDDLEWARE = ["bench_profile.ProfileMiddleware", *MIDDLEWARE]  # noqa: F405
