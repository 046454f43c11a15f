"""The API v1 object: its routers, who may call it, its rate limit and its error answers."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from okrflow.api.auth import PageSessionAuth, TokenAuth
from okrflow.api.endpoints import (
    checkins,
    comments,
    insights,
    key_results,
    kpis,
    objectives,
    organisation,
    parts,
    strategy,
)
from okrflow.api.errors import CONTENT_TYPE, install_handlers
from okrflow.api.throttle import PerCallerRate

DESCRIPTION = """\
okrflow's REST API. Send a personal access token (made on your settings page, or by
`okrflow token create USERNAME`) as `Authorization: Bearer okr_…`. Lists are paged with an
opaque `cursor` (pass the `next_cursor` of the previous page). Updates may send `If-Match`
with the resource's `ETag`: a stale one answers 412 and changes nothing. Errors are RFC 9457
problem details in the caller's language.
"""


class OkrflowAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """Describe error answers with the media type they are sent with."""
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, answer in operation.get("responses", {}).items():
                    content = answer.get("content", {})
                    if str(status).startswith(("4", "5")) and "application/json" in content:
                        answer["content"] = {CONTENT_TYPE: content["application/json"]}
        return schema


api = OkrflowAPI(
    title="okrflow API",
    version="1.0.0",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=[TokenAuth(), PageSessionAuth(csrf=True)],
    throttle=[PerCallerRate()],
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_handlers(api)
for module in (
    organisation,
    strategy,
    objectives,
    key_results,
    parts,
    checkins,
    insights,
    comments,
    kpis,
):
    api.add_router("/", module.router)
