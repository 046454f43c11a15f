"""The task queue: a Celery app, its worker and beat, and the tasks every part can enqueue.

`celery -A okrflow.background worker` and `celery -A okrflow.background beat` run it;
`python3 dev.py run` starts both beside the web server.
"""

from __future__ import annotations

from okrflow.background.celery_app import app

__all__ = ["app"]
