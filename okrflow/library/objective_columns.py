"""Read an objective's own columns: kind, state, privacy, tags, description, ref, parents."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from okrflow.library.plans import ObjectivePlan, ParentLink, RawObjective
from okrflow.library.values import CellError, read_bool, read_choice, read_decimal, read_tags

KINDS = {
    "committed": "committed",
    "aspirational": "aspirational",
    "stretch": "aspirational",
    "cam kết": "committed",
    "mở rộng": "aspirational",
}
# Archived objectives are not imported; a file may bring drafts, proposals or active ones.
STATES = {"draft": "draft", "proposed": "proposed", "active": "active", "nháp": "draft"}


def read_objective_columns(raw: RawObjective, plan: ObjectivePlan) -> list[str]:
    """Fill the plan from the objective's columns; return what could not be read."""
    columns = raw.columns
    errors: list[str] = []
    try:
        if "kind" in columns:
            plan.kind = read_choice(columns["kind"], KINDS, _("objective kind"))
        if "state" in columns:
            plan.state = read_choice(columns["state"], STATES, _("state"))
        if "private" in columns:
            plan.is_private = read_bool(columns["private"])
    except CellError as error:
        errors.append(str(error))
    plan.tags = read_tags(columns.get("tags"))
    plan.description = str(columns.get("description") or "").strip()
    plan.ref = str(columns.get("ref") or "").strip()
    plan.parents = read_parents(raw, errors)
    return errors


def read_parents(raw: RawObjective, errors: list[str]) -> list[ParentLink]:
    """Read a `parent` ref, or JSON `alignments` [{"parent", "primary", "weight"}]."""
    links = []
    parent = str(raw.columns.get("parent") or "").strip()
    if parent:
        links.append(ParentLink(parent))
    alignments = raw.columns.get("alignments") or []
    for item in alignments if isinstance(alignments, list) else []:
        if not isinstance(item, dict) or not str(item.get("parent") or "").strip():
            errors.append(_("An alignment needs a parent ref."))
            continue
        try:
            weight = read_decimal(item.get("weight"), "en") or Decimal(1)
            primary = read_bool(item.get("primary", False))
        except CellError as error:
            errors.append(str(error))
            continue
        links.append(ParentLink(str(item["parent"]).strip(), primary, weight))
    return links
