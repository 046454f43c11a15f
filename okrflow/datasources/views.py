"""A key result's data source: settings, "Test now", removal, the push secret and the push URL."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from okrflow.action_support import to_decimal
from okrflow.datasources.actions import (
    can_manage_source,
    find_push_source,
    new_push_secret,
    remove_data_source,
    save_data_source,
    source_secrets_summary,
)
from okrflow.datasources.forms import DataSourceForm
from okrflow.datasources.models import DataSource
from okrflow.datasources.reading import problem_message
from okrflow.datasources.running import record_source_value, try_source
from okrflow.engine.source_values import SourceProblem, number_from_json, to_number
from okrflow.front.errors import apply_errors, error_text
from okrflow.okrs.models import KeyResult, KeyResultValue, Objective

MAX_PUSH_BYTES = 4096


def managed_key_result(request: HttpRequest, kr_id: int) -> KeyResult:
    """The key result if the user may change its source: 404 if they may not see it, 403 else."""
    kr = get_object_or_404(
        KeyResult.objects.select_related("objective__cycle", "objective__owner_person", "owner"),
        pk=kr_id,
    )
    if not Objective.objects.visible_to(request.user).filter(pk=kr.objective_id).exists():
        raise Http404
    if not can_manage_source(request.user, kr):
        raise PermissionDenied(
            _("Only the key result's owner, its co-owners and admins can change its source.")
        )
    return kr


def page_url(kr: KeyResult) -> str:
    return reverse("insights:key_result", args=[kr.pk])


def initial_of(source: DataSource | None) -> dict[str, Any]:
    if source is None:
        return {}
    names = ("kind", "schedule", "url", "json_path", "file_path", "sheet", "row", "column", "query")
    return {name: getattr(source, name) for name in names}


@require_http_methods(["GET", "POST"])
@login_required
def source_settings(request: HttpRequest, kr_id: int) -> HttpResponse:
    """Set up or change the key result's source."""
    kr = managed_key_result(request, kr_id)
    source = DataSource.objects.filter(key_result=kr).first()
    push_token = ""
    if request.method == "POST":
        form = DataSourceForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = save_data_source(
                    request.user,
                    kr,
                    kind=data["kind"],
                    schedule=data.get("schedule") or "",
                    url=data.get("url") or "",
                    json_path=data.get("json_path") or "",
                    file_path=data.get("file_path") or "",
                    sheet=data.get("sheet") or "",
                    row=data.get("row") or "",
                    column=data.get("column") or "",
                    query=data.get("query") or "",
                    headers=data.get("headers") or "",
                    database_url=data.get("database_url") or "",
                    clear_headers=bool(data.get("clear_headers")),
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                if not saved.push_token:
                    messages.success(request, _("Data source saved."))
                    return redirect(page_url(kr))
                source, push_token = saved.source, saved.push_token
                form = DataSourceForm(initial=initial_of(source))
    else:
        form = DataSourceForm(initial=initial_of(source))
    return render(
        request,
        "datasources/settings.html",
        {
            "kr": kr,
            "objective": kr.objective,
            "source": source,
            "form": form,
            "secrets": source_secrets_summary(source) if source else None,
            "push_url": push_url(request, push_token) if push_token else "",
            "error": problem_message(source.last_error_code, source.last_error_detail)
            if source and source.last_error_code
            else "",
        },
    )


def push_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("datasources:push", args=[token]))


@require_POST
@login_required
def test_now(request: HttpRequest, kr_id: int) -> HttpResponse:
    """Read the source now and show what it gives, recording nothing."""
    kr = managed_key_result(request, kr_id)
    source = DataSource.objects.filter(key_result=kr).first()
    if source is None or not source.is_pull:
        messages.error(request, _("Only a pulled source (JSON, CSV, SQL) can be tested."))
        return redirect(reverse("datasources:settings", args=[kr.pk]))
    result = try_source(source)
    return render(
        request,
        "datasources/test_result.html",
        {"kr": kr, "objective": kr.objective, "source": source, "result": result},
    )


@require_POST
@login_required
def remove(request: HttpRequest, kr_id: int) -> HttpResponse:
    kr = managed_key_result(request, kr_id)
    if remove_data_source(request.user, kr):
        messages.success(request, _("Data source removed; the values it recorded stay."))
    return redirect(page_url(kr))


@require_POST
@login_required
def push_secret(request: HttpRequest, kr_id: int) -> HttpResponse:
    """Make a new push URL (the old one stops working) and show it once."""
    kr = managed_key_result(request, kr_id)
    try:
        token = new_push_secret(request.user, kr)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect(reverse("datasources:settings", args=[kr.pk]))
    source = DataSource.objects.get(key_result=kr)
    return render(
        request,
        "datasources/settings.html",
        {
            "kr": kr,
            "objective": kr.objective,
            "source": source,
            "form": DataSourceForm(initial=initial_of(source)),
            "secrets": source_secrets_summary(source),
            "push_url": push_url(request, token),
            "error": "",
        },
    )


def push_answer(status: int, message: str, **extra: Any) -> JsonResponse:
    return JsonResponse({"ok": 200 <= status < 300, "message": message, **extra}, status=status)


def pushed_number(request: HttpRequest) -> Any:
    """The number in a push: a plain-text number, or JSON {"value": n} or a bare JSON number."""
    body = request.body
    kind = (request.content_type or "").lower()
    if kind == "application/json" or body.lstrip()[:1] in (b"{", b"["):
        try:
            return number_from_json(body, "value" if body.lstrip()[:1] == b"{" else "")
        except SourceProblem as problem:
            if problem.code == "no_value":
                raise SourceProblem("no_value", 'send {"value": 123}') from None
            raise
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise SourceProblem("not_a_number", "not UTF-8 text") from None
    if not text.strip():
        raise SourceProblem("no_value", "empty body")
    return to_number(text)


@csrf_exempt
@require_http_methods(["POST"])
def push(request: HttpRequest, token: str) -> HttpResponse:
    """Receive a value for a key result from a script; the secret in the path is the key."""
    source = find_push_source(token)
    if source is None:
        return push_answer(404, "Unknown push URL.")
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > MAX_PUSH_BYTES:
        return push_answer(413, f"Send at most {MAX_PUSH_BYTES} bytes.")
    try:
        number = pushed_number(request)
    except SourceProblem as problem:
        return push_answer(400, f"{problem_message(problem.code)} {problem.detail}".strip())
    try:
        number = to_decimal(
            number, "value", required=True, column=KeyResultValue._meta.get_field("value")
        )
    except ValidationError as error:
        return push_answer(400, error_text(error))
    try:
        result = record_source_value(source.pk, number)
    except DataSource.DoesNotExist:  # removed a moment ago
        return push_answer(404, "Unknown push URL.")
    if not result.ok:
        return push_answer(409, result.error)
    return push_answer(
        200,
        "Recorded." if result.recorded else "Unchanged today.",
        value=str(result.value),
    )
