"""Library pages: browse and use templates, writing help, and the editor's JSON/partial hooks."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from okrflow.cycles.models import Cycle, CycleState
from okrflow.engine.kr_parser import parse_key_result
from okrflow.engine.quality_dates import Window
from okrflow.front.params import parse_id
from okrflow.library.actions import use_template
from okrflow.library.catalog import (
    GROUPS,
    LANGUAGES,
    default_window,
    filter_templates,
    find_template,
    render_template,
)
from okrflow.library.checking import check_template, check_text
from okrflow.library.forms import CheckForm, TemplateFilterForm, UseTemplateForm
from okrflow.library.labels import GROUP_LABELS, GROUP_NOTES, LEVEL_LABELS, MARKETING_LABELS
from okrflow.library.owners import choice_value, owner_from_choice
from okrflow.library.writing_help import check_writing
from okrflow.org.access import access_for
from okrflow.org.models import Organisation

MAX_SENTENCE = 500


def require_member(request: HttpRequest) -> None:
    """Refuse people who are not part of the organisation."""
    if not access_for(request.user).is_member:
        raise PermissionDenied(_("You are not a member of this organisation."))


def user_language(request: HttpRequest) -> str:
    language = (getattr(request, "LANGUAGE_CODE", "") or "vi")[:2]
    return language if language in LANGUAGES else "vi"


def page_cycle(request: HttpRequest) -> Cycle | None:
    """Return the cycle the page works in: the one chosen in the top bar when it is open."""
    from okrflow.front.cycle_choice import chosen_cycle

    asked = parse_id(request.GET.get("cycle") or request.POST.get("cycle") or "")
    if asked is not None:
        found = Cycle.objects.filter(pk=asked).first()
        if found is not None:
            return found
    cycle = chosen_cycle(request)
    if cycle is not None and cycle.state != CycleState.CLOSED:
        return cycle
    return Cycle.objects.exclude(state=CycleState.CLOSED).order_by("-start_date").first()


def cycle_window(cycle: Cycle | None) -> Window:
    if cycle is None:
        return default_window(timezone.localdate())
    return Window(cycle.start_date, cycle.end_date)


@require_GET
@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    """Browse the template library by level, marketing type and language."""
    require_member(request)
    form = TemplateFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    lang = filters.get("lang") or user_language(request)
    cycle = page_cycle(request)
    window = cycle_window(cycle)
    templates = filter_templates(filters.get("level", ""), filters.get("marketing", ""))
    groups = []
    for group in GROUPS:
        cards = [render_template(t, lang, window) for t in templates if t.group == group]
        if cards:
            groups.append(
                {
                    "key": group,
                    "label": GROUP_LABELS[group],
                    "note": GROUP_NOTES[group],
                    "cards": cards,
                }
            )
    context = {
        "form": form,
        "lang": lang,
        "groups": groups,
        "count": len(templates),
        "cycle": cycle,
        "level_labels": LEVEL_LABELS,
        "marketing_labels": MARKETING_LABELS,
        "section": "templates",
    }
    return render(request, "library/index.html", context)


def template_context(
    request: HttpRequest, key: str, form: UseTemplateForm | None = None
) -> dict[str, Any]:
    template = find_template(key)
    if template is None:
        raise Http404(_("No such template."))
    lang = request.GET.get("lang") or request.POST.get("lang") or user_language(request)
    lang = lang if lang in LANGUAGES else user_language(request)
    cycle = page_cycle(request)
    window = cycle_window(cycle)
    rendered = render_template(template, lang, window)
    if form is None:
        person = access_for(request.user).person
        initial = {"lang": lang, "cycle": cycle, "owner": choice_value(person) if person else ""}
        form = UseTemplateForm(initial=initial, user=request.user)
    parent = find_template(template.parent_key) if template.parent_key else None
    return {
        "template": template,
        "rendered": rendered,
        "lang": lang,
        "cycle": cycle,
        "parent": render_template(parent, lang, window) if parent else None,
        "findings": check_template(rendered, window, Organisation.current().focus_rules()),
        "form": form,
        "level_labels": LEVEL_LABELS,
        "marketing_labels": MARKETING_LABELS,
        "section": "templates",
    }


@require_GET
@login_required
def template_detail(request: HttpRequest, key: str) -> HttpResponse:
    """Preview one template for a cycle and language, with its quality notes."""
    require_member(request)
    return render(request, "library/template_detail.html", template_context(request, key))


def objective_url(objective: Any) -> str:
    try:
        return reverse("objective_detail", args=[objective.pk])
    except NoReverseMatch:
        return f"{reverse('overview')}?cycle={objective.cycle_id}"


@require_POST
@login_required
def template_use(request: HttpRequest, key: str) -> HttpResponse:
    """Copy a template into a cycle as a draft objective for an owner the user may edit."""
    require_member(request)
    template = find_template(key)
    if template is None:
        raise Http404(_("No such template."))
    form = UseTemplateForm(request.POST, user=request.user)
    if form.is_valid():
        owner = owner_from_choice(form.cleaned_data["owner"])
        if owner is None:
            raise Http404(_("No such owner."))
        try:
            outcome = use_template(
                request.user,
                template,
                cycle=form.cleaned_data["cycle"],
                owner=owner,
                lang=form.cleaned_data["lang"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Draft objective “%(title)s” created with %(count)d key results.")
                % {"title": outcome.value.title, "count": outcome.value.key_results.count()},
            )
            for warning in outcome.warnings:
                messages.warning(request, warning)
            return redirect(objective_url(outcome.value))
    elif "owner" in form.errors and owner_from_choice(request.POST.get("owner", "")):
        # A real owner the user may not create objectives for: seen, but not theirs to change.
        raise PermissionDenied(_("You cannot create objectives for this owner."))
    context = template_context(request, key, form)
    return render(request, "library/template_detail.html", context, status=400)


@require_GET
@login_required
def parse_kr(request: HttpRequest) -> JsonResponse:
    """Return the KR parser's JSON for a typed sentence (GET ?text=&lang=)."""
    require_member(request)
    text = request.GET.get("text", "").strip()
    lang = request.GET.get("lang", "").strip() or None
    if lang is not None and lang not in LANGUAGES:
        return JsonResponse({"error": _("Unknown language; use vi or en.")}, status=400)
    if not text:
        return JsonResponse({"error": _("Type a key-result sentence.")}, status=400)
    if len(text) > MAX_SENTENCE:
        return JsonResponse({"error": _("The sentence is too long.")}, status=400)
    return JsonResponse(parse_key_result(text, lang).to_json())


@require_GET
@login_required
def writing_check(request: HttpRequest) -> HttpResponse:
    """Writing help: type an objective and its key results, see how they read and what to fix."""
    require_member(request)
    form = CheckForm(request.GET or None)
    cycle = page_cycle(request)
    result = None
    if form.is_valid() and form.cleaned_data["text"].strip():
        result = check_writing(
            form.cleaned_data["text"],
            lang=form.cleaned_data["lang"] or None,
            window=cycle_window(cycle) if cycle else None,
            rules=Organisation.current().focus_rules(),
        )
    context = {"form": form, "result": result, "cycle": cycle, "section": "check"}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "library/_check_results.html", context)
    return render(request, "library/check.html", context)


@require_GET
@login_required
def quality(request: HttpRequest) -> HttpResponse:
    """Render the quality findings of one objective (GET ?objective=&kr=&kr=&lang=&cycle=)."""
    require_member(request)
    lang = request.GET.get("lang") or None
    if lang is not None and lang not in LANGUAGES:
        lang = None
    cycle = page_cycle(request) if request.GET.get("cycle") else None
    findings = check_text(
        request.GET.get("objective", "")[:MAX_SENTENCE],
        [text[:MAX_SENTENCE] for text in request.GET.getlist("kr")[:20]],
        lang=lang,
        window=cycle_window(cycle) if cycle else None,
        rules=Organisation.current().focus_rules(),
    )
    return render(request, "library/_quality_findings.html", {"findings": findings})
