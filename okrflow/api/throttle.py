"""A request-rate limit per token (or per signed-in user), counted in Django's cache."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from okrflow.api.auth import caller_key

WINDOW_SECONDS = 60


class PerCallerRate(BaseThrottle):
    """Allow OKRFLOW_API_RATE_PER_MINUTE requests per caller in each clock minute."""

    def __init__(self) -> None:
        self.seconds_left = 0

    def allow_request(self, request: HttpRequest) -> bool:
        now = time.time()
        window = int(now // WINDOW_SECONDS)
        key = f"okrflow-api-rate:{caller_key(request)}:{window}"
        # add() then incr(): atomic on Redis and on the local-memory cache alike.
        cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
        try:
            count = cache.incr(key)
        except ValueError:  # evicted between add and incr: count this request as the first
            cache.set(key, 1, timeout=WINDOW_SECONDS * 2)
            count = 1
        self.seconds_left = max(1, int((window + 1) * WINDOW_SECONDS - now + 0.999))
        return count <= settings.OKRFLOW_API_RATE_PER_MINUTE

    def wait(self) -> float:
        return float(self.seconds_left)
