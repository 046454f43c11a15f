"""Writing OKRs: the objective editor with its key results, alignment, targets, initiatives."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from itertools import takewhile
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, When
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from okrflow.engine.kr_suggest import suggest_key_result
from okrflow.front.cycle_choice import chosen_cycle
from okrflow.front.errors import apply_errors, error_text
from okrflow.front.folding import folded_contains
from okrflow.front.forms import (
    SHAPE_FIELDS,
    KeyResultForm,
    ObjectiveForm,
    TargetChangeForm,
    resolve_owner,
)
from okrflow.front.params import parse_id, parse_small_int
from okrflow.front.parts_editor import form_summary, parts_editor, parts_summary, save_key_result
from okrflow.front.views.objective import visible_objective
from okrflow.okrs.actions import (
    ComposeError,
    align_objective,
    change_key_result_target,
    create_initiative,
    create_key_result,
    create_objective_with_key_results,
    move_key_result,
    record_key_result_value,
    set_initiative_done,
    unalign_objective,
    update_objective,
)
from okrflow.okrs.actions.objectives import alignable_cycle_ids, owner_fields
from okrflow.okrs.models import Initiative, KeyResult, Objective, ObjectiveState
from okrflow.okrs.objective_choices import Choice, all_choices
from okrflow.org.access import access_for
from okrflow.org.models import OrgUnit

KEY_RESULT_ROWS = 3
MAX_KEY_RESULT_ROWS = 8


class DryRun(Exception):
    """Raised inside a transaction to undo a validation-only run of the actions."""


def error_summary(form: ObjectiveForm, kr_forms: list[KeyResultForm]) -> list[tuple[str, str, str]]:
    """Name every error of the editor as (where, message, id of the field to focus), in page order."""
    summary: list[tuple[str, str, str]] = [
        (_("Objective"), str(e), "objective-editor") for e in form.non_field_errors()
    ]
    summary += [
        (str(form.fields[name].label), str(e), form[name].auto_id)
        for name in form.fields
        if name in form.errors
        for e in form.errors[name]
    ]
    for index, kr_form in enumerate(kr_forms, start=1):
        if kr_form.is_blank():
            continue
        row_id = f"{kr_form.prefix}-row"
        summary += [
            (_("KR%(index)s") % {"index": index}, str(e), row_id)
            for e in kr_form.non_field_errors()
        ]
        for name in kr_form.fields:
            number = _("KR%(index)s") % {"index": index}
            label = f"{number} {kr_form.fields[name].label}"
            summary += [
                (label, str(e), kr_form[name].auto_id) for e in kr_form.errors.get(name, [])
            ]
    return summary


def key_result_forms(data: Any, count: int) -> list[KeyResultForm]:
    return [KeyResultForm(data, prefix=f"kr-{index}") for index in range(count)]


def row_count(data: Any) -> int:
    raw = data.get("kr-count", KEY_RESULT_ROWS) if data else KEY_RESULT_ROWS
    return parse_small_int(raw, default=KEY_RESULT_ROWS, low=1, high=MAX_KEY_RESULT_ROWS)


def extra_owner_choice(request: HttpRequest) -> tuple[str, str] | None:
    """Offer the owner named in ?owner= (e.g. from a person's page) when the user may write for them."""
    code = request.GET.get("owner") or request.POST.get("owner") or ""
    owner = resolve_owner(code)
    if owner is None:
        return None
    probe = Objective(**owner_fields(owner))
    if not access_for(request.user).can_edit_objective(probe):
        return None
    name = getattr(owner, "full_name", None) or getattr(owner, "name", "")
    return (code, name)


def compose(
    request: HttpRequest, form: ObjectiveForm, kr_forms: list[KeyResultForm], *, dry_run: bool
) -> tuple[Objective | None, list[str]]:
    """Validate (and unless dry_run, save) an objective with its key results through the actions."""
    cycle = chosen_cycle(request)
    form_valid = form.is_valid()
    rows_valid = all([f.is_valid() for f in kr_forms if not f.is_blank()])
    if not (form_valid and rows_valid):
        return None, []
    filled = [f for f in kr_forms if not f.is_blank()]
    if not all([f.is_valid() for f in filled]):  # validate every row, so each shows its errors
        return None, []
    owner = resolve_owner(form.cleaned_data["owner"])
    parent_id = form.cleaned_data.get("parent")
    parent = (
        Objective.objects.visible_to(request.user).filter(pk=parent_id).first()
        if parent_id
        else None
    )
    if cycle is None:
        form.add_error(None, _("There is no cycle to add objectives to."))
        return None, []
    try:
        with transaction.atomic():
            outcome = create_objective_with_key_results(
                request.user,
                objective={
                    "cycle": cycle,
                    "title": form.cleaned_data["title"],
                    "owner": owner,
                    "kind": form.cleaned_data["kind"],
                    "description": form.cleaned_data["description"],
                    "is_private": form.cleaned_data["is_private"],
                    "tags": form.tag_list(),
                    "state": ObjectiveState.DRAFT,
                },
                key_results=[f.action_fields() for f in filled],
                parent=parent,
            )
            if dry_run:
                raise DryRun(outcome.warnings)
    except DryRun as run:
        return None, list(run.args[0])
    except ComposeError as error:
        if error.objective_error is not None:
            apply_errors(form, error.objective_error, {"cycle": "owner"})
        for index, kr_error in error.key_result_errors.items():
            apply_errors(filled[index], kr_error)
        return None, []
    return outcome.value, outcome.warnings


@require_http_methods(["GET", "POST"])
@login_required
def objective_create(request: HttpRequest) -> HttpResponse:
    """Write an objective and its key results in one screen ("I will … as measured by …")."""
    access = access_for(request.user)
    if not access.is_member:
        raise Http404(_("You are not part of this organisation."))
    extra = extra_owner_choice(request)
    parent_id = request.GET.get("parent", "")
    initial = {
        "owner": extra[0] if extra else None,
        "parent": parse_id(parent_id),
    }
    form = ObjectiveForm(request.POST or None, access=access, extra_owner=extra, initial=initial)
    count = row_count(request.POST)
    kr_forms = key_result_forms(request.POST or None, count)
    warnings: list[str] = []
    if request.method == "POST":
        objective, warnings = compose(request, form, kr_forms, dry_run=False)
        if objective is not None:
            for warning in warnings:
                messages.warning(request, warning)
            messages.success(
                request, _("Saved as a draft. Propose it for agreement when it is ready.")
            )
            return redirect("objective_detail", objective.pk)
        # A row left empty is skipped, not wrong: show it empty rather than "required".
        kr_forms = [KeyResultForm(prefix=f.prefix) if f.is_blank() else f for f in kr_forms]
    parent = None
    parent_value = form["parent"].value()
    parent_pk = parse_id(parent_value)
    if parent_pk is not None:
        parent = Objective.objects.visible_to(request.user).filter(pk=parent_pk).first()
    return render(
        request,
        "front/objective_form.html",
        {
            "form": form,
            "kr_forms": kr_forms,
            "kr_count": count,
            "warnings": warnings,
            "shape_fields": SHAPE_FIELDS,
            "parent": parent,
            "creating": True,
            "error_summary": error_summary(form, kr_forms) if request.method == "POST" else [],
            "filled": sum(1 for f in kr_forms if not f.is_blank()),
            "parse_url": reverse("key_result_suggest"),
        },
    )


@require_POST
@login_required
def live_check(request: HttpRequest) -> HttpResponse:
    """Validate the editor's content without saving and show focus counts and errors (htmx)."""
    access = access_for(request.user)
    form = ObjectiveForm(request.POST, access=access, extra_owner=extra_owner_choice(request))
    kr_forms = key_result_forms(request.POST, row_count(request.POST))
    _objective, warnings = compose(request, form, kr_forms, dry_run=True)
    errors = error_summary(form, kr_forms)
    filled = sum(1 for f in kr_forms if not f.is_blank())
    return render(
        request,
        "front/_live_check.html",
        {"warnings": warnings, "errors": errors, "filled": filled},
    )


@require_http_methods(["GET", "POST"])
@login_required
def objective_edit(request: HttpRequest, objective_id: int) -> HttpResponse:
    objective = visible_objective(request, objective_id)
    access = access_for(request.user)
    if not access.can_edit_objective(objective):
        raise_forbidden()
    owner_code = f"{objective.owner_kind}:{objective.owner.pk}"
    initial = {
        "owner": owner_code,
        "title": objective.title,
        "description": objective.description,
        "kind": objective.kind,
        "is_private": objective.is_private,
        "version": objective.version,
        "tags": ", ".join(objective.tags.values_list("name", flat=True)),
    }
    offered = offered_choices(request, objective)
    initial |= {choice.key: choice.initial(objective) for choice in offered}
    form = ObjectiveForm(
        request.POST or None,
        access=access,
        extra_owner=(owner_code, objective.owner_name),
        initial=initial,
    )
    for choice, options in offered.items():
        form.fields[choice.key] = forms.CharField(
            label=choice.label(),
            required=False,
            help_text=choice.help_text(),
            widget=forms.Select(choices=options),
        )
    if request.method == "POST" and form.is_valid():
        owner = resolve_owner(form.cleaned_data["owner"])
        try:
            # The objective and what other apps attach to it (issue #16) are saved together.
            with transaction.atomic():
                outcome = update_objective(
                    request.user,
                    objective,
                    expected_version=form.cleaned_data.get("version"),
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                    kind=form.cleaned_data["kind"],
                    is_private=form.cleaned_data["is_private"],
                    tags=form.tag_list(),
                    owner=owner if form.cleaned_data["owner"] != owner_code else None,
                )
                for choice in offered:
                    choice.save(request.user, objective, form.cleaned_data.get(choice.key) or "")
        except ValidationError as error:
            apply_errors(form, error)
        else:
            for warning in outcome.warnings:
                messages.warning(request, warning)
            messages.success(request, _("Saved."))
            return redirect("objective_detail", objective.pk)
    return render(
        request,
        "front/objective_form.html",
        {
            "form": form,
            "objective": objective,
            "creating": False,
            "shape_fields": SHAPE_FIELDS,
            "error_summary": error_summary(form, []) if request.method == "POST" else [],
            "extra_fields": [form[choice.key] for choice in offered],
        },
    )


def offered_choices(
    request: HttpRequest, objective: Objective
) -> dict[Choice, list[tuple[str, str]]]:
    """The extra fields other apps offer for this objective (issue #16), with their options."""
    offered = {}
    for choice in all_choices():
        options = choice.options(request.user, objective)
        if options is not None:
            offered[choice] = options
    return offered


def raise_forbidden() -> None:
    from django.core.exceptions import PermissionDenied

    raise PermissionDenied(_("You cannot change this objective."))


@require_http_methods(["GET", "POST"])
@login_required
def align(request: HttpRequest, objective_id: int) -> HttpResponse:
    """Choose a parent objective (in any unit) and whether it is the primary one."""
    objective = visible_objective(request, objective_id)
    if not access_for(request.user).can_edit_objective(objective):
        raise_forbidden()
    error = ""
    if request.method == "POST":
        parent_pk = parse_id(request.POST.get("parent", ""))
        parent = (
            Objective.objects.visible_to(request.user).filter(pk=parent_pk).first()
            if parent_pk is not None
            else None
        )
        if parent is None:
            error = _("Choose the objective this one contributes to.")
        else:
            try:
                align_objective(
                    request.user,
                    objective,
                    parent,
                    primary=request.POST.get("primary") == "1",
                    weight=request.POST.get("weight") or "1",
                )
            except ValidationError as exc:
                error = error_text(exc)
            else:
                messages.success(request, _("Aligned to “%(title)s”.") % {"title": parent.title})
                return redirect("objective_detail", objective.pk)
    return render(
        request,
        "front/align.html",
        {
            "objective": objective,
            "error": error,
            "results": search_parents(request, objective, request.GET.get("q", "")),
            "query": request.GET.get("q", ""),
        },
    )


PARENT_RESULTS = 60


@dataclass
class ParentGroup:
    """One unit of the alignment picker's tree, with the candidate parents it owns."""

    name: str
    depth: int
    objectives: list[Objective] = field(default_factory=list)


def search_parents(request: HttpRequest, objective: Objective, query: str) -> list[ParentGroup]:
    """Objectives the user may see, matching the text, other than this one: of the same cycle
    and of the cycles around it (a month objective may serve its quarter's), this cycle first,
    grouped under their unit (a person's objective under the person's unit) as the org tree.

    The match ignores case and diacritics: "ban hang" finds "Bán hàng".
    """
    cycle_ids = alignable_cycle_ids(objective.cycle)
    candidates = (
        Objective.objects.visible_to(request.user)
        .live()
        .filter(cycle_id__in=cycle_ids)
        .exclude(pk=objective.pk)
        .select_related("owner_person__unit", "owner_unit", "owner_project", "cycle")
        .annotate(
            other_cycle=Case(When(cycle_id=objective.cycle_id, then=0), default=1),
        )
        .order_by("other_cycle", "-cycle__start_date", "owner_unit__depth", "title")
    )
    query = query.strip()
    if query:
        candidates = candidates.filter(folded_contains(["title"], query))
    return parent_tree(list(candidates[:PARENT_RESULTS]))


def home_unit(objective: Objective) -> OrgUnit | None:
    if objective.owner_unit_id:
        return objective.owner_unit
    if objective.owner_person_id:
        return objective.owner_person.unit
    return None


def parent_tree(candidates: list[Objective]) -> list[ParentGroup]:
    """Group candidates by unit, with the units above them as headings, in the org's order."""
    homes = {pk: home_unit(o) for pk, o in ((o.pk, o) for o in candidates)}
    unit_ids = {
        int(part) for unit in homes.values() if unit for part in unit.path.split("/") if part
    }
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__in=unit_ids)} if unit_ids else {}
    groups: dict[int, ParentGroup] = {
        pk: ParentGroup(unit.name, unit.depth)
        for pk, unit in sorted(units.items(), key=lambda item: item[1].path)
    }
    elsewhere = ParentGroup(str(_("Projects and others")), 0)
    for candidate in candidates:
        unit = homes[candidate.pk]
        (groups[unit.pk] if unit else elsewhere).objectives.append(candidate)
    # A heading stays when it or a unit below it holds a candidate.
    ordered = list(groups.values()) + ([elsewhere] if elsewhere.objectives else [])
    kept = []
    for index, group in enumerate(ordered):
        below = ordered[index + 1 :]
        deeper = takewhile(lambda other, depth=group.depth: other.depth > depth, below)
        if group.objectives or any(other.objectives for other in deeper):
            kept.append(group)
    return kept


@require_GET
@login_required
def parent_search(request: HttpRequest, objective_id: int) -> HttpResponse:
    objective = visible_objective(request, objective_id)
    results = search_parents(request, objective, request.GET.get("q", ""))
    return render(
        request, "front/_parent_results.html", {"objective": objective, "results": results}
    )


@require_POST
@login_required
def unalign(request: HttpRequest, objective_id: int, parent_id: int) -> HttpResponse:
    objective = visible_objective(request, objective_id)
    parent = get_object_or_404(Objective, pk=parent_id)
    try:
        unalign_objective(request.user, objective, parent)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Alignment removed."))
    return redirect("objective_detail", objective.pk)


@require_http_methods(["GET", "POST"])
@login_required
def key_result_create(request: HttpRequest, objective_id: int) -> HttpResponse:
    objective = visible_objective(request, objective_id)
    if not access_for(request.user).can_edit_objective(objective):
        raise_forbidden()
    form = KeyResultForm(request.POST or None, prefix="kr-0")
    if request.method == "POST" and form.is_valid():
        try:
            outcome = create_key_result(request.user, objective, **form.action_fields())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            for warning in outcome.warnings:
                messages.warning(request, warning)
            messages.success(request, _("Key result added."))
            return redirect("objective_detail", objective.pk)
    return render(
        request,
        "front/key_result_form.html",
        {
            "objective": objective,
            "kr_form": form,
            "shape_fields": SHAPE_FIELDS,
            "index": 1,
            "parse_url": reverse("key_result_suggest"),
        },
    )


SUGGESTION_NOTES = {
    "activity": gettext_lazy(
        "This reads as an activity, not an outcome: make it an initiative, or say what number it will move."
    ),
    "needs_baseline": gettext_lazy("Add the starting value (the baseline)."),
    "period_approximated": gettext_lazy(
        "Only weekly and monthly rhythms are kept; check the period."
    ),
    "deadline_outside_cycle": gettext_lazy(
        "The deadline in the sentence falls outside this cycle."
    ),
    "template": gettext_lazy(
        "This is still a template: replace the placeholders ([…], X, Y) with real figures."
    ),
}


def short_date(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def suggestion_note(note: str, facts: dict[str, str], cycle: Any) -> str:
    """Explain one choice the sentence mapping made, in the person's language."""
    if note == "deadline_moved_to_cycle_end":
        if "stated" not in facts:
            return str(SUGGESTION_NOTES["deadline_outside_cycle"])
        return _(
            "The deadline %(stated)s falls outside the cycle (%(start)s – %(end)s); the due "
            "date is set to %(due)s."
        ) % {
            "stated": short_date(datetime.date.fromisoformat(facts["stated"])),
            "start": short_date(cycle.start_date),
            "end": short_date(cycle.end_date),
            "due": short_date(cycle.end_date),
        }
    return str(SUGGESTION_NOTES.get(note, note))


@require_GET
@login_required
def key_result_suggest(request: HttpRequest) -> HttpResponse:
    """Read a typed key-result sentence and return the fields of its shape (the editor fills them)."""
    text = request.GET.get("text", "").strip()[:300]
    cycle = chosen_cycle(request)
    if not text or cycle is None:
        return JsonResponse(
            {"fields": {}, "notes": [str(_("Type the key result first."))]}, status=400
        )
    lang = request.GET.get("lang") if request.GET.get("lang") in ("vi", "en") else None
    suggestion = suggest_key_result(text, cycle.start_date, cycle.end_date, lang)
    notes = [suggestion_note(note, suggestion.facts, cycle) for note in suggestion.notes]
    return JsonResponse({"fields": suggestion.fields, "notes": notes})


@require_GET
@login_required
def key_result_fields(request: HttpRequest) -> HttpResponse:
    """Return one more empty key result row for the editor (htmx "add a key result")."""
    index = parse_id(request.GET.get("index", ""))
    if index is None or index >= MAX_KEY_RESULT_ROWS:
        raise Http404(_("No more key result rows."))
    form = KeyResultForm(prefix=f"kr-{index}")
    return render(
        request,
        "front/_key_result_row.html",
        {
            "kr_form": form,
            "index": index + 1,
            "shape_fields": SHAPE_FIELDS,
            "next_index": index + 1,
            "parse_url": reverse("key_result_suggest"),
            "max_rows": MAX_KEY_RESULT_ROWS,
        },
    )


def editable_key_result(request: HttpRequest, kr_id: int) -> KeyResult:
    kr = get_object_or_404(KeyResult.objects.select_related("objective"), pk=kr_id)
    objective = visible_objective(request, kr.objective_id)
    if not access_for(request.user).can_edit_objective(objective):
        raise_forbidden()
    kr.objective = objective
    return kr


@require_http_methods(["GET", "POST"])
@login_required
def key_result_edit(request: HttpRequest, kr_id: int) -> HttpResponse:
    """Edit a key result; its parts section makes it compound (#16) in the same save."""
    kr = editable_key_result(request, kr_id)
    form = KeyResultForm(request.POST or None, prefix="kr-0", initial=key_result_initial(kr))
    editor = parts_editor(kr, request.POST or None)
    summary: list[tuple[str, str, str]] = []
    if request.method == "POST" and not request.POST.get("add_part"):
        if save_key_result(request.user, kr, form, editor, request.POST, dry_run=False):
            messages.success(request, _("Key result saved."))
            return redirect("objective_detail", kr.objective_id)
        summary = form_summary(form) + parts_summary(editor)
    return render(
        request,
        "front/key_result_form.html",
        {
            "objective": kr.objective,
            "kr_form": form,
            "kr": kr,
            "parts_editor": editor,
            "shape_fields": SHAPE_FIELDS,
            "index": 1,
            "parse_url": reverse("key_result_suggest"),
            "error_summary": summary,
        },
    )


@require_POST
@login_required
def key_result_live_check(request: HttpRequest, kr_id: int) -> HttpResponse:
    """Check the key result editor's content, parts included, without saving (htmx)."""
    kr = editable_key_result(request, kr_id)
    form = KeyResultForm(request.POST, prefix="kr-0", initial=key_result_initial(kr))
    editor = parts_editor(kr, request.POST)
    save_key_result(request.user, kr, form, editor, request.POST, dry_run=True)
    errors = form_summary(form) + parts_summary(editor)
    return render(request, "front/_kr_live_check.html", {"errors": errors})


def key_result_initial(kr: KeyResult) -> dict[str, Any]:
    initial = {name: getattr(kr, name) for name in KeyResultForm.base_fields if hasattr(kr, name)}
    for name in ("start_value", "target_value", "relative_change", "weight"):
        value = getattr(kr, name)
        initial[name] = "" if value is None else format_plain(value)
    initial["per_period"] = kr.per_period or ""
    return initial


def format_plain(value: Any) -> str:
    """Show a stored number in the user's locale for an edit field (10.000 / 1,5 in Vietnamese)."""
    from okrflow.front.templatetags.okrflow import number

    return number(value)


@require_http_methods(["GET", "POST"])
@login_required
def key_result_target(request: HttpRequest, kr_id: int) -> HttpResponse:
    kr = editable_key_result(request, kr_id)
    form = TargetChangeForm(request.POST or None, initial={"version": kr.version})
    if request.method == "POST" and form.is_valid():
        try:
            change_key_result_target(
                request.user,
                kr,
                new_target=form.cleaned_data["new_target"],
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data.get("version"),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Target changed; the old one is kept in the history."))
            return redirect("objective_detail", kr.objective_id)
    return render(request, "front/key_result_target.html", {"kr": kr, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def key_result_move(request: HttpRequest, kr_id: int) -> HttpResponse:
    kr = editable_key_result(request, kr_id)
    access = access_for(request.user)
    targets = [
        o
        for o in Objective.objects.visible_to(request.user)
        .live()
        .filter(cycle_id=kr.objective.cycle_id)
        .exclude(pk=kr.objective_id)
        .select_related("owner_person", "owner_unit", "owner_project")
        .order_by("title")[:200]
        if access.can_edit_objective(o)
    ]
    error = ""
    if request.method == "POST":
        target = next((o for o in targets if str(o.pk) == request.POST.get("objective")), None)
        if target is None:
            error = _("Choose an objective you can edit.")
        else:
            try:
                move_key_result(request.user, kr, target)
            except ValidationError as exc:
                error = error_text(exc)
            else:
                messages.success(request, _("Key result moved."))
                return redirect("objective_detail", target.pk)
    return render(
        request, "front/key_result_move.html", {"kr": kr, "targets": targets, "error": error}
    )


@require_POST
@login_required
def key_result_value(request: HttpRequest, kr_id: int) -> HttpResponse:
    kr = get_object_or_404(KeyResult, pk=kr_id)
    visible_objective(request, kr.objective_id)
    try:
        record_key_result_value(request.user, kr, value=request.POST.get("value", ""))
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Value recorded."))
    return redirect(f"/objectives/{kr.objective_id}/#kr-{kr.pk}")


@require_POST
@login_required
def initiative_create(request: HttpRequest, kr_id: int) -> HttpResponse:
    kr = get_object_or_404(KeyResult, pk=kr_id)
    visible_objective(request, kr.objective_id)
    try:
        create_initiative(request.user, kr, title=request.POST.get("title", ""))
    except ValidationError as error:
        messages.error(request, error_text(error))
    return redirect(f"/objectives/{kr.objective_id}/#kr-{kr.pk}")


@require_POST
@login_required
def initiative_done(request: HttpRequest, initiative_id: int) -> HttpResponse:
    initiative = get_object_or_404(
        Initiative.objects.select_related("key_result"), pk=initiative_id
    )
    visible_objective(request, initiative.key_result.objective_id)
    try:
        set_initiative_done(request.user, initiative, request.POST.get("done") == "1")
    except ValidationError as error:
        messages.error(request, error_text(error))
    return redirect(
        f"/objectives/{initiative.key_result.objective_id}/#kr-{initiative.key_result_id}"
    )
