"""The Celery app, configured from okrflow's settings (see `config.py`)."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "okrflow.settings")

app = Celery("okrflow")
# Read lazily, when the first task is sent or the worker starts: Django's settings by then.
app.config_from_object("okrflow.background.config")
app.autodiscover_tasks(
    [
        "okrflow.background",
        "okrflow.webhooks",
        "okrflow.notifications",
        "okrflow.datasources",
        "okrflow.insights",
    ],
    related_name="tasks",
)
