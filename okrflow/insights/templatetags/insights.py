"""Template filters for the insights pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from okrflow.engine.numbers import format_fixed
from okrflow.front.templatetags.okrflow import kr_value, path_to, percent, status_label
from okrflow.insights.charts import Sparkline

register = template.Library()


@register.filter
def score(value: Decimal | float | None) -> str:
    """Show a grade as 0.84 in English, 0,84 in Vietnamese."""
    if value is None:
        return "–"
    return format_fixed(Decimal(str(value)), (get_language() or "vi")[:2], 2)


@register.filter
def signed_percent(ratio: float | None) -> str:
    """Show a gap as +4% or −12%."""
    if ratio is None:
        return "–"
    number = round(ratio * 100)
    return f"+{number}%" if number > 0 else f"−{abs(number)}%" if number < 0 else "0%"


# Marked for translation here, translated one at a time (a list of 150 rows asks for one each).
OUTLOOK_LABELS = {
    "likely": gettext_noop("Likely to succeed"),
    "close": gettext_noop("Close to the bar"),
    "short": gettext_noop("Forecast short of the bar"),
    "done": gettext_noop("Done"),
    "unknown": gettext_noop("Not enough data"),
}


@register.filter
def outlook_label(outlook: str) -> str:
    label = OUTLOOK_LABELS.get(outlook)
    return _(label) if label else outlook


@register.filter
def band_label(band: str) -> str:
    labels = {"red": ("0.0", "0.3"), "yellow": ("0.4", "0.6"), "green": ("0.7", "1.0")}
    if band not in labels:
        return band
    lang = (get_language() or "vi")[:2]
    low, high = (format_fixed(Decimal(end), lang, 1) for end in labels[band])
    return f"{low}–{high}"


@register.filter
def band_meaning(band: str) -> str:
    meanings = {
        "red": _("failed to make real progress"),
        "yellow": _("progress, but short of the goal"),
        "green": _("delivered"),
    }
    return meanings.get(band, "")


@register.filter
def clamp_width(ratio: float | None) -> str:
    """Return a CSS width for a share, clamped to 0–100%."""
    if ratio is None:
        return "0%"
    return f"{max(0.0, min(1.0, float(ratio))) * 100:.1f}%"


@register.filter
def indent(depth: int) -> str:
    """Return a left padding for a tree row."""
    return f"{int(depth) * 1.4:.1f}rem"


@register.filter
def get(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key) if mapping else None


@register.simple_tag
def heat_cells(cells: list[Any], progress_word: str, pace_word: str, empty_word: str) -> SafeString:
    """Draw a heat-map row's cells (a company's map has hundreds: one tag, not a loop of tags)."""
    progress_word, pace_word, empty = escape(progress_word), escape(pace_word), escape(empty_word)
    drawn = []
    for cell in cells:
        if cell.progress is None:
            drawn.append(f'<td class="heat-empty" title="{empty}">–</td>')
            continue
        shown = percent(cell.progress)
        drawn.append(
            f'<td class="heat-{cell.level}" title="{progress_word} {shown} · {pace_word} '
            f'{percent(cell.pace)}">{shown}</td>'
        )
    # Class names and figures; the words are escaped above.
    return mark_safe("".join(drawn))


@register.simple_tag
def sparkline(line: Sparkline | None) -> SafeString:
    """Draw a key result's sparkline (lists draw dozens: a tag, not an included template)."""
    if line is None:
        return mark_safe("")
    return format_html(
        '<svg class="ins-spark" viewBox="0 0 {width} {height}" width="{width}" height="{height}"'
        ' aria-hidden="true"><polyline class="spark-pace" points="{pace}"/>'
        '<polyline class="spark-line" points="{path}"/>'
        '<circle cx="{x}" cy="{y}" r="2.5"/></svg>',
        width=line.width,
        height=line.height,
        pace=line.pace_path,
        path=line.path,
        x=line.last_x,
        y=line.last_y,
    )


NO_FORECAST = mark_safe("&nbsp;")


@register.simple_tag
def key_result_items(rows: list[Any]) -> SafeString:
    """Draw a listed objective's key results (`listing.KeyResultRow`), each a list item with
    its sparkline: the unit and person pages list dozens, one tag rather than a loop of tags."""
    return format_html_join(
        "\n",
        '<li><a class="ins-kr-link" href="{}">{}</a>\n{}\n<span class="ins-kr-progress">{}</span>'
        '\n<span class="ins-kr-forecast">{}</span>\n'
        '<span class="dot status-{}" title="{}"></span></li>',
        (
            (
                path_to(row.key_result.pk, "insights:key_result"),
                row.key_result.title,
                sparkline(row.sparkline),
                percent(row.progress),
                NO_FORECAST if row.forecast is None else f"→ {percent(row.forecast)}",
                row.status,
                status_label(row.status),
            )
            for row in rows
        ),
    )


@register.simple_tag
def graded_key_results(lines: list[Any]) -> SafeString:
    """Draw the review's table rows of an objective's graded key results (`KeyResultLine`):
    a page of twenty objectives has some eighty, one tag rather than a loop of tags."""
    return format_html_join(
        "",
        '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td>'
        '<td><span class="ins-score-small band-{}">{}</span></td></tr>',
        (
            (
                path_to(line.key_result.pk, "insights:key_result"),
                line.key_result.title,
                kr_value(line.key_result, line.final_value),
                kr_value(line.key_result, line.target),
                line.band,
                score(line.score),
            )
            for line in lines
        ),
    )


@register.simple_tag
def grade_head(line: Any) -> SafeString:
    """Draw a review line's header (title, owner, kind, bar, score, success) and its key
    results' table: a page of twenty objectives, one tag each rather than some thirty nodes."""
    objective = line.objective
    return format_html(
        '<header class="ins-grade-head">\n      <div>\n'
        '        <h3><a href="{}">{}</a></h3>\n'
        '        <p class="meta"><span class="owner owner-{}">{}</span> '
        '<span class="badge badge-{}">{}</span> <span class="muted small">{}</span></p>\n'
        "      </div>\n"
        '      <div class="ins-grade-score">\n'
        '        <span class="ins-score band-{}">{}</span>\n'
        '        <span class="ins-success {}">{}</span>\n'
        "      </div>\n    </header>\n"
        '    <table class="ins-table ins-table-compact">\n'
        '      <thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th>'
        '<th scope="col">{}</th></tr></thead>\n'
        "      <tbody>{}</tbody>\n    </table>",
        path_to(objective.pk, "objective_detail"),
        objective.title,
        objective.owner_kind,
        objective.owner_name,
        objective.kind,
        objective.get_kind_display(),
        _("succeeds at %(bar)s") % {"bar": score(line.bar)},
        line.band,
        score(line.score),
        "yes" if line.success else "no",
        _("Success") if line.success else _("Not reached"),
        _("Key result"),
        _("Final"),
        _("Target"),
        _("Score"),
        graded_key_results(line.key_results),
    )
