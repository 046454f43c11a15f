"""Check a whole file before anything is saved: owners, permissions, figures, quality.

`build_preview` never writes. It lists what an import would create and every problem with its
line (or row, or JSON path). Errors block the import; warnings (a deadline moved into the
cycle, a baseline recorded as an index, a heading that names no known owner) do not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from okrflow.cycles.models import Cycle, CycleState
from okrflow.engine.quality_dates import Window
from okrflow.library.checking import CheckedFinding, check_plans
from okrflow.library.headings import heading_level, heading_marketing_type
from okrflow.library.keyresults import build_key_result
from okrflow.library.mapping import HeadingMapper, heading_key, new_project_for
from okrflow.library.objective_columns import read_objective_columns
from okrflow.library.owners import OwnerFinder, owner_kind, owner_name
from okrflow.library.plans import (
    WARNING,
    KeyResultPlan,
    ObjectivePlan,
    ParentLink,
    Problem,
    RawObjective,
    ReadResult,
)
from okrflow.library.prose import PROSE_REF
from okrflow.okrs.actions.key_results import build_key_result as check_key_result
from okrflow.okrs.actions.key_results import relative_target_value, validate_key_result
from okrflow.okrs.actions.objectives import contribution_weight, owner_fields
from okrflow.okrs.actions.shapes import stage_compound
from okrflow.okrs.models import KeyResult, Objective
from okrflow.org.access import access_for
from okrflow.org.models import Organisation, OrgUnit, Person, Project


@dataclass
class ImportPreview:
    """What an import would create, and what stands in its way."""

    format: str
    cycle: Cycle
    objectives: list[ObjectivePlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    findings: list[CheckedFinding] = field(default_factory=list)
    unknown_owners: list[str] = field(default_factory=list)
    skipped: list[ObjectivePlan] = field(default_factory=list)
    new_projects: list[Project] = field(default_factory=list)
    on_duplicate: str = ""

    @property
    def creating(self) -> list[ObjectivePlan]:
        """The objectives the import creates (a duplicate is skipped or updated instead)."""
        return [plan for plan in self.objectives if plan.duplicate_of is None]

    @property
    def duplicates(self) -> list[ObjectivePlan]:
        return [plan for plan in self.objectives if plan.duplicate_of is not None]

    @property
    def alignment_count(self) -> int:
        return sum(len(plan.parents) for plan in self.objectives)

    @property
    def initiative_count(self) -> int:
        return sum(len(kr.initiatives) for o in self.objectives for kr in o.key_results)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def can_import(self) -> bool:
        return bool(self.objectives) and not self.errors

    @property
    def key_result_count(self) -> int:
        return sum(len(o.key_results) for o in self.objectives)

    @property
    def error_lines(self) -> set[int]:
        return {p.line for p in self.errors if p.line}

    def sorted_problems(self) -> list[Problem]:
        return sorted(self.problems, key=lambda p: (not p.is_error, p.line or 0, p.where))


# A checked key result kept until the write: its column values (`KeyResult(*values)` makes it
# again) and the compound parts staged on it. A tuple takes a quarter of a model instance's
# memory: 150,000 of them are what a large file holds between its check and its write.
StagedKeyResult = tuple[tuple[Any, ...], list[Any] | None]


# A key result's column values in column order, read in one call.
column_values = attrgetter(*(f.attname for f in KeyResult._meta.concrete_fields))


def compact(kr: KeyResult) -> StagedKeyResult:
    """A checked, unsaved key result as the values of its columns (and its staged parts)."""
    return column_values(kr), getattr(kr, "staged_parts", None)


def validation_messages(error: ValidationError) -> list[str]:
    if hasattr(error, "message_dict"):
        return [m for messages in error.message_dict.values() for m in messages]
    return list(error.messages)


class PreviewBuilder:
    """Resolve and check one file for one actor, caching owners and permissions."""

    def __init__(
        self,
        cycle: Cycle,
        actor: Any,
        default_owner: Any,
        lang: str | None,
        number_lang: str,
        mapper: HeadingMapper | None = None,
    ) -> None:
        self.cycle = cycle
        self.actor = actor
        self.default_owner = default_owner
        self.lang = lang
        self.number_lang = number_lang
        self.window = Window(cycle.start_date, cycle.end_date)
        self.problems: list[Problem] = []
        self.owners = OwnerFinder()
        self.allowed: dict[tuple[str, int], bool] = {}
        self.fallback_noted: set[str] = set()
        self.leads: dict[tuple[str, int], Person | None] = {}
        self.mapper = mapper or HeadingMapper()
        self.mapper.finder = self.owners
        self.new_projects: dict[str, Project] = {}
        self.home: OrgUnit | None = None
        self.skip_noted: set[str] = set()
        self.on_duplicate = ""

    def error(self, message: str, line: int | None, where: str = "") -> None:
        self.problems.append(Problem(message, line or None, where=where))

    def warn(self, message: str, line: int | None, where: str = "") -> None:
        self.problems.append(Problem(message, line or None, WARNING, where))

    def resolve(self, raw: RawObjective) -> Any:
        """Find the objective's owner: its heading or owner column, else the default owner."""
        line, where = raw.line, raw.where
        if not raw.owner:
            if self.default_owner is None:
                message = _("No owner: put a heading naming the owner above it, or choose one.")
                self.error(message, line, where)
            return self.default_owner
        found = self.mapper.resolve(raw.owner, raw.scope)
        if found.owner is not None:
            return found.owner
        if found.skip:
            return SKIPPED
        if found.create:
            return self.new_project(raw.owner)
        if found.how == "" and raw.owner not in self.mapper.unknown:
            self.error(found.error, line, where)  # a mapping that names no owner
            return None
        if self.default_owner is None:
            hint = _("Map it to an owner, create it as a project, or skip its objectives.")
            self.error(f"{found.error} {hint}", line, where)
            return None
        if raw.owner not in self.fallback_noted:
            self.fallback_noted.add(raw.owner)
            message = _("“%(heading)s” names no known owner; %(owner)s will own it.") % {
                "heading": raw.owner,
                "owner": owner_name(self.default_owner),
            }
            self.warn(message, line, where)
        return self.default_owner

    def new_project(self, heading: str) -> Project:
        """The project "create" makes for a heading: one per heading, saved by the import."""
        key = heading_key(heading)
        if key not in self.new_projects:
            self.new_projects[key] = new_project_for(heading, self.home, self.actor)
        return self.new_projects[key]

    def may_create_for(self, owner: Any) -> bool:
        if self.actor is None:
            return True
        if owner.pk is None:  # a project the import creates: who may create projects
            access = access_for(self.actor)
            return access.is_member and (access.is_admin or access.is_unit_lead)
        key = (owner_kind(owner), owner.pk)
        if key not in self.allowed:
            access = access_for(self.actor)
            probe = Objective(cycle=self.cycle, **owner_fields(owner))
            self.allowed[key] = access.is_member and access.can_edit_objective(probe)
        return self.allowed[key]

    def objective_plan(self, raw: RawObjective) -> ObjectivePlan:
        owner = self.resolve(raw)
        skipped = owner is SKIPPED
        if skipped:
            owner = None
        if isinstance(owner, Project) and owner.pk is None and owner.lead_id is None:
            message = _("Nobody can lead the new project “%(name)s”; map it to an owner.") % {
                "name": owner.name
            }
            self.error(message, raw.line, raw.where)
        elif owner is not None and not self.may_create_for(owner):
            message = _("You cannot create objectives for %(owner)s.") % {
                "owner": owner_name(owner)
            }
            self.error(message, raw.line, raw.where)
        if len(raw.title) > 300:
            self.error(_("Keep the objective under 300 characters."), raw.line, raw.where)
        plan = ObjectivePlan(
            line=raw.line,
            title=raw.title,
            owner=owner,
            owner_label=owner_name(owner) if owner is not None else raw.owner,
            heading=raw.heading,
            level=heading_level(raw.heading) if raw.heading else None,
            marketing_type=heading_marketing_type(raw.heading) if raw.heading else None,
            where=raw.where,
        )
        for message in read_objective_columns(raw, plan):
            self.error(message, raw.line, raw.where)
        plan.parent_level = str(raw.columns.get("parent_level") or "")
        if skipped:
            plan.owner_label = raw.owner
            self.skipped_plans.append(plan)
            if raw.owner not in self.skip_noted:
                self.skip_noted.add(raw.owner)
                message = _("The objectives under “%(heading)s” are skipped.") % {
                    "heading": raw.owner
                }
                self.warn(message, raw.line, raw.where)
        if plan.marketing_type and plan.marketing_type not in plan.tags:
            plan.tags.append(plan.marketing_type)
        return plan

    def key_result_owner(self, plan: KeyResultPlan, objective: ObjectivePlan) -> Any:
        """Return the key result's owner: its column, else whoever the action would choose."""
        if plan.owner_ref:
            match = self.owners.resolve(plan.owner_ref, "person")
            if match.owner is None:
                self.error(match.error, plan.line, plan.where)
            return match.owner
        owner = objective.owner
        if isinstance(owner, Person):
            return owner
        lead = self.lead_of(owner)
        if lead is None and self.actor is not None:
            lead = access_for(self.actor).person
        if lead is None and owner is not None:
            message = _("%(owner)s has no lead to own this key result; name its owner.") % {
                "owner": owner_name(owner)
            }
            self.error(message, plan.line, plan.where)
        return lead

    def prefetch_leads(self) -> None:
        """Read the leads of every unit and project the file names, a query per 500 owners."""
        for model in (OrgUnit, Project):
            ids = sorted(
                {m.owner.pk for m in self.owners.answers.values() if type(m.owner) is model}
            )
            for start in range(0, len(ids), 500):
                chunk = model.objects.select_related("lead__user").filter(
                    pk__in=ids[start : start + 500]
                )
                for fresh in chunk:
                    self.leads[(owner_kind(fresh), fresh.pk)] = fresh.lead

    def lead_of(self, owner: Any) -> Person | None:
        """Return the current lead of a unit or project (read fresh, once per owner)."""
        if not isinstance(owner, OrgUnit | Project):
            return None
        if owner.pk is None:
            return owner.lead
        key = (owner_kind(owner), owner.pk)
        if key not in self.leads:
            fresh = type(owner).objects.select_related("lead__user").filter(pk=owner.pk).first()
            self.leads[key] = fresh.lead if fresh is not None else None
        return self.leads[key]

    def validate(self, plan: KeyResultPlan, probe: Objective) -> None:
        """Run the checks `create_key_result` runs, without saving (`probe`: the unsaved
        objective in the cycle, with its owner and state, one per objective of the file).

        With an owner and an open cycle, these are the action's own checks (`build_key_result`)
        and the key result they build is kept on the plan: the import writes it unchecked."""
        if plan.shape == "currency" and not plan.currency:
            plan.currency = "VND"
        if plan.shape == "percentage" and not plan.unit:
            plan.unit = "%"
        plan.unit, plan.baseline_label = plan.unit[:50], plan.baseline_label[:100]
        plan.checked = None
        try:
            if plan.owner is None or self.cycle.state == CycleState.CLOSED:
                # Already an error of the file: the figures are still checked, the action is not.
                fields = plan.action_fields()
                fields.pop("owner")
                kr = KeyResult(objective=probe, **fields)
                if kr.shape == "relative":
                    kr.target_value = relative_target_value(kr)
                validate_key_result(kr)
                stage_compound(kr, plan.parts)
            else:
                # The system's checks (`None`): who imports is checked once per objective.
                kr = check_key_result(None, probe, **plan.action_fields())
                plan.checked = compact(stage_compound(kr, plan.parts))
        except ValidationError as error:
            for message in validation_messages(error):
                self.error(message, plan.line, plan.where)

    def build(self, read: ReadResult) -> ImportPreview:
        preview = ImportPreview(read.format, self.cycle)
        self.problems.extend(read.problems)
        if self.cycle.state == CycleState.CLOSED:
            self.error(_("The cycle “%(name)s” is closed.") % {"name": self.cycle.name}, None)
        self.owners.prepare(
            {(raw.scope, raw.owner) for raw in read.objectives if raw.owner}
            | {
                ("person", str(kr.columns.get("kr_owner") or "").strip())
                for raw in read.objectives
                for kr in raw.key_results
                if str(kr.columns.get("kr_owner") or "").strip()
            }
        )
        self.prefetch_leads()
        self.skipped_plans: list[ObjectivePlan] = []
        mapping_errors = self.mapper.check_keys([raw.owner for raw in read.objectives])
        for message in mapping_errors:
            self.error(message, None)
        self.home = self.home_unit(read.objectives)
        found_any = bool(read.objectives)
        # Each raw objective is let go once its plan is made (`read.objectives` is emptied): a
        # file of 150,000 key results never holds both forms of every row at once.
        raws = read.objectives
        raws.reverse()
        while raws:
            raw = raws.pop()
            plan = self.objective_plan(raw)
            if any(plan is other for other in self.skipped_plans):
                continue
            probe = Objective(cycle=self.cycle, title=plan.title, state=plan.state)
            if plan.owner is not None:
                for name, value in owner_fields(plan.owner).items():
                    setattr(probe, name, value)
                plan.checked_for = plan.owner
            for raw_kr in raw.key_results:
                built = build_key_result(
                    raw_kr, self.window, lang=self.lang, number_lang=self.number_lang
                )
                self.problems.extend(built.problems)
                if plan.owner is not None:
                    built.plan.owner = self.key_result_owner(built.plan, plan)
                if not any(p.is_error for p in built.problems):
                    self.validate(built.plan, probe)
                built.plan.initiatives = raw_kr.initiatives  # the raw row is let go
                plan.key_results.append(built.plan)
            preview.objectives.append(plan)
        preview.skipped = self.skipped_plans
        preview.unknown_owners = list(self.mapper.unknown)
        preview.new_projects = list(self.new_projects.values())
        drop_skipped_parents(preview.objectives, preview.skipped)
        if read.format in ("text", "md"):
            cascade(preview.objectives)
        self.find_duplicates(preview)
        self.check_parents(preview.objectives)
        if not found_any and not read.problems:
            self.error(_("No objective was found. Start each one with “O: …”."), None)
        preview.problems = self.problems
        rules = Organisation.current().focus_rules()
        preview.findings = check_plans(preview.objectives, self.window, rules)
        for plan in preview.objectives:
            for kr in plan.key_results:
                kr.draft = None  # read by the checker alone: a large file need not keep it
        return preview

    def home_unit(self, raws: list[RawObjective]) -> OrgUnit | None:
        """The unit new projects belong to: the file's own department heading's unit."""
        for raw in raws:
            prose = str(raw.columns.get("ref") or "").startswith(PROSE_REF)
            if raw.owner and not prose and heading_level(raw.owner) == "department":
                found = self.mapper.resolve(raw.owner, raw.scope)
                if isinstance(found.owner, OrgUnit):
                    return found.owner
        return None

    def find_duplicates(self, preview: ImportPreview) -> None:
        """Mark the objectives the cycle already has (same title, same owner)."""
        titles = {plan.title.casefold() for plan in preview.objectives if plan.owner is not None}
        # The cycle's titles are read once, streamed (a file may hold tens of thousands of
        # titles: too many for one IN list); only the matches are then loaded.
        rows = (
            Objective.objects.filter(cycle=self.cycle)
            .exclude(state="archived")
            .order_by("-pk")
            .values_list("pk", "title", "owner_person_id", "owner_unit_id", "owner_project_id")
        )
        matched: dict[tuple[str, tuple[Any, ...]], int] = {}
        for pk, title, *owner in rows.iterator(chunk_size=5000):
            if title.casefold() in titles:
                matched[(title.casefold(), tuple(owner))] = pk  # the oldest wins
        if not matched:
            return
        ids = sorted(set(matched.values()))
        loaded: dict[int, Objective] = {}
        for start in range(0, len(ids), 500):
            loaded |= Objective.objects.in_bulk(ids[start : start + 500])
        for plan in preview.objectives:
            if plan.owner is None or plan.owner.pk is None:
                continue
            key = (plan.title.casefold(), owner_key_of(Objective(**owner_fields(plan.owner))))
            if key in matched:
                plan.duplicate_of = loaded[matched[key]]
        duplicates = preview.duplicates
        if not duplicates:
            return
        preview.on_duplicate = self.on_duplicate
        if self.on_duplicate not in ("skip", "update"):
            for plan in duplicates:
                message = _(
                    "“%(title)s” is already in %(cycle)s for %(owner)s: choose to skip or "
                    "update the duplicates."
                ) % {"title": plan.title, "cycle": self.cycle.name, "owner": plan.owner_label}
                self.error(message, plan.line, plan.where)
            return
        if self.on_duplicate == "skip":
            message = ngettext(
                "%(count)d objective is already in this cycle; it will be skipped.",
                "%(count)d objectives are already in this cycle; they will be skipped.",
                len(duplicates),
            )
        else:
            message = ngettext(
                "%(count)d objective is already in this cycle; it will be updated.",
                "%(count)d objectives are already in this cycle; they will be updated.",
                len(duplicates),
            )
        message %= {"count": len(duplicates)}
        self.warn(message, None)

    def check_parents(self, plans: list[ObjectivePlan]) -> None:
        refs = {plan.ref for plan in plans if plan.ref}
        for plan in plans:
            for link in plan.parents:
                if link.ref not in refs or link.ref == plan.ref:
                    message = _("The parent “%(ref)s” is not another objective in this file.") % {
                        "ref": link.ref
                    }
                    self.error(message, plan.line, plan.where)
                try:
                    contribution_weight(link.weight)  # the check `align_objective` runs
                except ValidationError as error:
                    for message in error.messages:
                        self.error(message, plan.line, plan.where)


def owner_key_of(objective: Objective) -> tuple[Any, ...]:
    return (objective.owner_person_id, objective.owner_unit_id, objective.owner_project_id)


RANKS = {"company": 0, "department": 1, "department_head": 2, "specialist": 3}
RANKED = {rank: level for level, rank in RANKS.items()}


def drop_skipped_parents(plans: list[ObjectivePlan], skipped: list[ObjectivePlan]) -> None:
    gone = {plan.ref for plan in skipped if plan.ref}
    for plan in plans:
        plan.parents = [link for link in plan.parents if link.ref not in gone]


def serves_marketing(plan: ObjectivePlan) -> bool:
    """A marketing type's objective ("Inbound Marketing", …): not a level of the org."""
    return bool(plan.marketing_type) and plan.level not in RANKS


def cascade(plans: list[ObjectivePlan]) -> None:
    """Align the article's levels: department → company, head → department, specialist → head
    (each to the nearest objective of the level above it), a prose project to the company's
    objective, and a marketing type's objective (Inbound, Content, Event, Email) to the
    Marketing department's, whose goals the types serve. An objective the file already aligns
    is left as it is."""
    latest: dict[str, ObjectivePlan] = {}
    written = [p for p in plans if not p.ref.startswith(PROSE_REF)]
    first_company = next((p for p in written if p.level == "company"), None)
    marketing_department = next(
        (p for p in written if p.level == "department" and "marketing" in p.heading.casefold()),
        None,
    )
    for plan in plans:
        parent = None
        if not plan.parents and plan.parent_level == "company":
            parent = first_company
        elif not plan.parents and plan.level in RANKS and RANKS[plan.level] > 0:
            parent = latest.get(RANKED[RANKS[plan.level] - 1])
        elif not plan.parents and serves_marketing(plan):
            parent = marketing_department
        if parent is not None and parent is not plan:
            parent.ref = parent.ref or f"line-{parent.line}"
            plan.parents = [ParentLink(parent.ref)]
        if plan.level in RANKS and not plan.ref.startswith(PROSE_REF):
            latest[plan.level] = plan


SKIPPED = object()


def build_preview(
    read: ReadResult,
    cycle: Cycle,
    actor: Any,
    *,
    default_owner: Any = None,
    lang: str | None = None,
    number_lang: str = "vi",
    mapper: HeadingMapper | None = None,
    on_duplicate: str = "",
) -> ImportPreview:
    """Resolve, validate and quality-check a file's OKRs for an import into `cycle`.

    `mapper` holds the person's mapping of headings to owners; `on_duplicate` ("skip" or
    "update") says what to do with objectives the cycle already has (else they are errors).
    Empties `read.objectives` as their plans are made (a large file's memory goes back).
    """
    builder = PreviewBuilder(cycle, actor, default_owner, lang, number_lang, mapper)
    builder.on_duplicate = on_duplicate
    return builder.build(read)
