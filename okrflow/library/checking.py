"""Run the quality checker on plans, templates or typed text, and word its findings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from okrflow.engine.focus import FocusRules
from okrflow.engine.kr_parser import detect_language
from okrflow.engine.quality import TIP, Finding, check_objectives
from okrflow.engine.quality_dates import Window
from okrflow.engine.quality_drafts import (
    KeyResultDraft,
    ObjectiveDraft,
    draft_from_figures,
    draft_from_sentence,
)
from okrflow.library.headings import guess_owner_kind
from okrflow.library.quality_messages import describe


@dataclass(frozen=True, slots=True)
class CheckedFinding:
    """A finding with its words and where it points (line, "O2 · KR1")."""

    rule: str
    severity: str
    message: str
    hint: str
    line: int | None
    label: str
    subject: str

    @property
    def is_tip(self) -> bool:
        return self.severity == TIP

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "hint": self.hint,
            "line": self.line,
            "label": self.label,
            "subject": self.subject,
        }


def word_findings(
    findings: Sequence[Finding],
    titles: Sequence[tuple[str, int | None, Sequence[tuple[str, int | None]]]],
) -> list[CheckedFinding]:
    """Attach messages and positions; `titles` lists (objective, line, [(kr, line)])."""
    worded = []
    # A large file repeats the same few findings thousands of times ("repeats KR 1"): each is
    # worded once (the words depend only on the rule and its parameters, in the language of
    # the call) and each text is kept once.
    words: dict[tuple[str, str], tuple[str, str]] = {}
    texts: dict[str, str] = {}
    for finding in findings:
        key = words_key(finding)
        known = words.get(key)
        if known is None:
            known = words[key] = describe(finding)
        message, hint = known
        message, hint = texts.setdefault(message, message), texts.setdefault(hint, hint)
        label, subject, line = "", "", None
        if finding.objective is not None:
            title, line, key_results = titles[finding.objective]
            label, subject = f"O{finding.objective + 1}", title
            if finding.key_result is not None:
                subject, line = key_results[finding.key_result]
                label += f" · KR{finding.key_result + 1}"
        worded.append(
            CheckedFinding(finding.rule, finding.severity, message, hint, line, label, subject)
        )
    return worded


def words_key(finding: Finding) -> tuple[str, str]:
    """What a finding's words depend on: its rule and parameters (by their `repr`, which tells
    1 from 1.0 and Decimal("1") from Decimal("1.0"), unlike equality)."""
    return finding.rule, repr(finding.params)


def objective_lang(title: str, key_results: Sequence[KeyResultDraft]) -> str:
    return key_results[0].lang if key_results else detect_language(title)


def check_plans(
    plans: Sequence[Any], window: Window | None, rules: FocusRules
) -> list[CheckedFinding]:
    """Check an import preview's objective plans."""
    drafts = []
    for plan in plans:
        key_results = tuple(kr.draft for kr in plan.key_results if kr.draft is not None)
        owner_key = plan.owner_label or plan.heading or None
        kind = plan.owner_kind or (guess_owner_kind(plan.heading) if plan.heading else None)
        drafts.append(
            ObjectiveDraft(
                plan.title, objective_lang(plan.title, key_results), owner_key, kind, key_results
            )
        )
    titles = [
        (plan.title, plan.line or None, [(kr.title, kr.line or None) for kr in plan.key_results])
        for plan in plans
    ]
    return word_findings(check_objectives(drafts, window, rules), titles)


def check_text(
    objective: str,
    key_results: Sequence[str],
    *,
    lang: str | None = None,
    window: Window | None = None,
    rules: FocusRules | None = None,
) -> list[CheckedFinding]:
    """Check one objective and its key-result sentences, as typed in an editor."""
    drafts = tuple(draft_from_sentence(text, lang, window) for text in key_results if text.strip())
    language = lang or objective_lang(objective, drafts)
    draft = ObjectiveDraft(objective, language, None, None, drafts)
    findings = check_objectives([draft], window, rules or FocusRules())
    if not objective.strip():
        findings = [f for f in findings if f.key_result is not None]
    titles = [(objective, None, [(kr.text, None) for kr in drafts])]
    return word_findings(findings, titles)


def check_template(rendered: Any, window: Window, rules: FocusRules) -> list[CheckedFinding]:
    """Check a rendered library template, as the editor would check the same objective."""
    drafts = tuple(
        draft_from_figures(
            kr.title,
            shape=kr.shape,
            lang=rendered.lang,
            direction=kr.direction,
            start=kr.start_value,
            target=kr.target_value,
            unit=kr.unit,
            relative_change=kr.relative_change,
            baseline_label=kr.baseline_label,
            per_period=kr.per_period,
            due=kr.due_date,
        )
        for kr in rendered.key_results
    )
    draft = ObjectiveDraft(rendered.title, rendered.lang, None, None, drafts)
    titles = [(rendered.title, None, [(kr.title, None) for kr in rendered.key_results])]
    return word_findings(check_objectives([draft], window, rules), titles)
