"""Writing help: read typed OKRs the way an import would, and say what to improve.

The text may use the article's format ("O: …" then "- KR1: …"); when it has no objective
line, the first line is the objective and every other line a key result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from okrflow.engine.focus import FocusRules
from okrflow.engine.quality_dates import Window
from okrflow.library.checking import CheckedFinding, check_plans
from okrflow.library.formats_text import read_lines
from okrflow.library.keyresults import build_key_result
from okrflow.library.plans import ObjectivePlan, Problem, RawKeyResult, RawObjective, ReadResult

MAX_LINES = 200


@dataclass
class WritingResult:
    objectives: list[ObjectivePlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    findings: list[CheckedFinding] = field(default_factory=list)

    def findings_for(self, line: int | None) -> list[CheckedFinding]:
        return [f for f in self.findings if f.line == line]

    @property
    def rows(self) -> list[dict[str, Any]]:
        """Each objective with its own findings and its key results with theirs."""
        return [
            {
                "objective": plan,
                "findings": self.findings_for(plan.line),
                "key_results": [(kr, self.findings_for(kr.line)) for kr in plan.key_results],
            }
            for plan in self.objectives
        ]

    @property
    def warning_count(self) -> int:
        return sum(1 for f in self.findings if not f.is_tip)


def read_typed(text: str) -> ReadResult:
    """Read typed OKRs, falling back to "first line objective, other lines key results"."""
    lines = text.splitlines()[:MAX_LINES]
    read = read_lines(lines, "text")
    if read.objectives:
        return read
    numbered = [(number, line.strip()) for number, line in enumerate(lines, 1) if line.strip()]
    if not numbered:
        return read
    (first_line, title), *rest = numbered
    objective = RawObjective(first_line, title.lstrip("-•* ").strip())
    objective.key_results = [
        RawKeyResult(number, line.lstrip("-•*–+ ").strip()) for number, line in rest
    ]
    return ReadResult("text", [objective], [])


def check_writing(
    text: str,
    *,
    lang: str | None = None,
    window: Window | None = None,
    rules: FocusRules | None = None,
) -> WritingResult:
    """Read, map and check typed OKRs; nothing is saved."""
    read = read_typed(text)
    result = WritingResult(problems=list(read.problems))
    for raw in read.objectives:
        plan = ObjectivePlan(raw.line, raw.title, None, raw.owner, heading=raw.heading)
        for raw_kr in raw.key_results:
            built = build_key_result(raw_kr, window, lang=lang, number_lang=lang or "vi")
            result.problems += built.problems
            plan.key_results.append(built.plan)
        result.objectives.append(plan)
    result.findings = check_plans(result.objectives, window, rules or FocusRules())
    return result
