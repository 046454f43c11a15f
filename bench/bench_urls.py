"""okrflow's pages plus a trivial signed-in one, the benchmarks' floor: the same middleware
(sessions, CSRF, authentication, language, CSP, axes) and nothing else."""

from __future__ import annotations

import os

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import include, path


@login_required
def floor(request: HttpRequest) -> HttpResponse:
    """Answer a signed-in request with a few bytes: the cost of the stack alone."""
    return HttpResponse(f"ok {request.user.pk}", content_type="text/plain")


urlpatterns = [
    path("bench/floor/", floor, name="bench_floor"),
    path("", include("okrflow.urls")),
]

if os.environ.get("OKRFLOW_BENCH_NO_LIVE_INSIGHTS") == "1":
    # Measure the write path alone: the stored insights are not refreshed inside the request
    # (what a task queue would take over); loaded once the apps are ready, in every worker.
    from okrflow.insights.live_updates import listen

    listen(on=False)
