"""WSGI entry point for gunicorn and other servers (runserver loads it too)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "okrflow.settings")
application = get_wsgi_application()

from okrflow.front.checks import refuse_demo_secret  # noqa: E402 - needs the settings loaded

refuse_demo_secret()
