"""Check a file's OKRs against the writing rules without importing anything."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from okrflow.engine.focus import FocusRules
from okrflow.engine.quality_dates import Window
from okrflow.library.checking import CheckedFinding, check_plans
from okrflow.library.keyresults import build_key_result
from okrflow.library.owners import owner_name, resolve_owner
from okrflow.library.plans import ObjectivePlan, Problem, ReadResult


@dataclass
class LintReport:
    format: str
    objectives: int
    key_results: int
    problems: list[Problem] = field(default_factory=list)
    findings: list[CheckedFinding] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "objectives": self.objectives,
            "key_results": self.key_results,
            "problems": [p.to_json() for p in self.problems],
            "findings": [f.to_json() for f in self.findings],
        }


def lint_read(
    read: ReadResult,
    window: Window | None,
    *,
    rules: FocusRules,
    lang: str | None = None,
    number_lang: str = "vi",
) -> LintReport:
    """Build what the checker needs from a read file and check it.

    Owners are looked up only to count objectives per owner the right way (a person may hold
    1–3, a unit 3–5); an owner that is not found is not an error here.
    """
    report = LintReport(read.format, len(read.objectives), read.key_result_count)
    report.problems.extend(read.problems)
    plans = []
    for raw in read.objectives:
        owner = resolve_owner(raw.owner, raw.scope).owner if raw.owner else None
        plan = ObjectivePlan(
            line=raw.line,
            title=raw.title,
            owner=owner,
            owner_label=owner_name(owner) if owner is not None else raw.owner,
            heading=raw.heading,
            where=raw.where,
        )
        for raw_kr in raw.key_results:
            built = build_key_result(raw_kr, window, lang=lang, number_lang=number_lang)
            report.problems.extend(p for p in built.problems if p.is_error)
            plan.key_results.append(built.plan)
        plans.append(plan)
    report.findings = check_plans(plans, window, rules)
    return report
