"""The review as rows of words and numbers, shared by the PDF, XLSX and CSV writers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from okrflow.front.templatetags.okrflow import kr_value
from okrflow.insights.review import CycleReview, KeyResultLine, ObjectiveLine
from okrflow.insights.templatetags.insights import score
from okrflow.okrs.models import ObjectiveKind

BAND_LABELS = {"red": "0.0–0.3", "yellow": "0.4–0.6", "green": "0.7–1.0"}
BAND_COLOURS = {"red": "#c53030", "yellow": "#b7791f", "green": "#138a4b"}


def kind_name(kind: str) -> str:
    return str(ObjectiveKind(kind).label) if kind in ObjectiveKind.values else kind


def success_word(line: ObjectiveLine) -> str:
    return _("Yes") if line.success else _("No")


def score_text(score: Decimal | None) -> str:
    return "–" if score is None else f"{score:.2f}"


def value_text(kr_line: KeyResultLine, value: Decimal | None) -> str:
    return kr_value(kr_line.key_result, value)


def objective_headers() -> list[str]:
    return [
        _("Unit"),
        _("Objective"),
        _("Owner"),
        _("Kind"),
        _("Score"),
        _("Band"),
        _("Success"),
        _("What went well"),
        _("What did not go well"),
        _("Lessons"),
        _("Carried into"),
    ]


def objective_rows(review: CycleReview) -> list[list[Any]]:
    rows = []
    for section in review.sections:
        for line in section.lines:
            reflection = line.reflection
            rows.append(
                [
                    section.name,
                    line.objective.title,
                    line.objective.owner_name,
                    kind_name(line.objective.kind),
                    float(line.score),
                    BAND_LABELS.get(line.band, line.band),
                    success_word(line),
                    reflection.went_well if reflection else "",
                    reflection.went_badly if reflection else "",
                    reflection.lessons if reflection else "",
                    line.carried_to.cycle.name if line.carried_to else "",
                ]
            )
    return rows


def key_result_headers() -> list[str]:
    return [
        _("Unit"),
        _("Objective"),
        _("Key result"),
        _("Final value"),
        _("Target graded on"),
        _("Score"),
        _("Band"),
    ]


def key_result_rows(review: CycleReview) -> list[list[Any]]:
    rows = []
    for section in review.sections:
        for line in section.lines:
            for kr_line in line.key_results:
                rows.append(
                    [
                        section.name,
                        line.objective.title,
                        kr_line.key_result.title,
                        value_text(kr_line, kr_line.final_value),
                        value_text(kr_line, kr_line.target),
                        float(kr_line.score),
                        BAND_LABELS.get(kr_line.band, kr_line.band),
                    ]
                )
    return rows


def headline(review: CycleReview) -> list[tuple[str, str]]:
    """Return the title page's figures as (label, value)."""
    committed_ok, committed = review.success_rate(ObjectiveKind.COMMITTED)
    stretch_ok, stretch = review.success_rate(ObjectiveKind.ASPIRATIONAL)
    bands = review.bands
    return [
        (_("Objectives graded"), str(len(review.lines))),
        (_("Mean score"), score(review.mean_score)),
        (_("Committed objectives at 1.0"), f"{committed_ok} / {committed}"),
        (_("Aspirational objectives at 0.7 or more"), f"{stretch_ok} / {stretch}"),
        (
            _("Bands 0.7–1.0 · 0.4–0.6 · 0.0–0.3"),
            f"{bands['green']} · {bands['yellow']} · {bands['red']}",
        ),
    ]
