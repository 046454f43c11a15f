"""The real worker fixtures of the webhook tests serve the report tests too."""

from __future__ import annotations

from tests.webhooks.conftest import embedded_queue, redis_queue  # noqa: F401
