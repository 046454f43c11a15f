"""WSGI entry point for gunicorn and other servers (runserver loads it too)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "okrflow.settings")
application = get_wsgi_application()

from okrflow.front.checks import refuse_demo_secret  # noqa: E402 - needs the settings loaded

refuse_demo_secret()

# Load every URL pattern, and with it every view module, now rather than in each worker's first
# request: a gunicorn worker otherwise answers its first request a few seconds late.
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018 - loading is the point
