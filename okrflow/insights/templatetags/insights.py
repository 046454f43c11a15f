"""Template filters for the insights pages."""

from __future__ import annotations

from decimal import Decimal
from html import escape as html_escape
from typing import Any

from django import template
from django.template.defaultfilters import linebreaksbr
from django.template.defaulttags import CsrfTokenNode
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from okrflow.engine.numbers import format_fixed
from okrflow.front.templatetags.okrflow import kr_value, path_to, percent, status_label, width
from okrflow.insights.charts import Sparkline

register = template.Library()


@register.filter
def score(value: Decimal | float | None) -> str:
    """Show a grade as 0.84 in English, 0,84 in Vietnamese."""
    return score_in(value, (get_language() or "vi")[:2])


def score_in(value: Decimal | float | None, lang: str) -> str:
    """Show a grade in a language ("en", "vi"): `score` with the language looked up once."""
    if value is None:
        return "–"
    return format_fixed(Decimal(str(value)), lang, 2)


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


def esc(value: Any) -> str:
    """Escape a value as the templates' autoescaping does (`conditional_escape`), without its
    lazy-string wrapper: the tags below draw hundreds of values a page."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html_escape(str(value))


def sparkline_svg(line: Sparkline | None) -> str:
    """Draw a key result's sparkline as HTML (empty without one)."""
    if line is None:
        return ""
    return (
        f'<svg class="ins-spark" viewBox="0 0 {esc(line.width)} {esc(line.height)}" '
        f'width="{esc(line.width)}" height="{esc(line.height)}" aria-hidden="true">'
        f'<polyline class="spark-pace" points="{esc(line.pace_path)}"/>'
        f'<polyline class="spark-line" points="{esc(line.path)}"/>'
        f'<circle cx="{esc(line.last_x)}" cy="{esc(line.last_y)}" r="2.5"/></svg>'
    )


@register.simple_tag
def heat_rows(rows: list[Any], progress_word: str, pace_word: str, empty_word: str) -> SafeString:
    """Draw the heat map's rows (`boards.HeatRow`): the unit with its link and number of key
    results, its cells (`heat_cells`) and its forecast, one tag rather than a loop of tags."""
    return mark_safe(
        "".join(
            f'\n    <tr>\n      <th scope="row" style="padding-left: {esc(indent(row.unit.depth))}">'
            f'<a href="{esc(path_to(row.unit.pk, "insights:unit"))}">{esc(row.unit.name)}</a> '
            f'<span class="ins-heat-n">{esc(row.key_results)}</span></th>\n'
            f"      {heat_cells(row.cells, progress_word, pace_word, empty_word)}\n"
            f'      <td class="ins-heat-forecast">{esc(percent(row.forecast))}</td>\n    </tr>\n  '
            for row in rows
        )
    )


@register.simple_tag
def sparkline(line: Sparkline | None) -> SafeString:
    """Draw a key result's sparkline (lists draw dozens: a tag, not an included template)."""
    # Numbers and escaped point lists.
    return mark_safe(sparkline_svg(line))


NO_FORECAST = mark_safe("&nbsp;")


def labels_of(function: Any, values: Any) -> dict[Any, str]:
    """Translate each distinct value once (a list repeats a handful of statuses)."""
    return {value: function(value) for value in set(values)}


@register.simple_tag
def key_result_items(rows: list[Any]) -> SafeString:
    """Draw a listed objective's key results (`listing.KeyResultRow`), each a list item with
    its sparkline: the unit and person pages list dozens, one tag rather than a loop of tags."""
    return mark_safe(key_result_html(rows, labels_of(status_label, (row.status for row in rows))))


def key_result_html(rows: list[Any], statuses: dict[Any, str]) -> str:
    """The items of `key_result_items`, every value escaped; `statuses` their labels."""
    return "\n".join(
        f'<li><a class="ins-kr-link" href="{esc(path_to(row.key_result.pk, "insights:key_result"))}">'
        f"{esc(row.key_result.title)}</a>\n{sparkline_svg(row.sparkline)}\n"
        f'<span class="ins-kr-progress">{esc(percent(row.progress))}</span>\n'
        f'<span class="ins-kr-forecast">'
        f"{NO_FORECAST if row.forecast is None else esc(f'→ {percent(row.forecast)}')}</span>\n"
        f'<span class="dot status-{esc(row.status)}" title="{esc(statuses[row.status])}"></span></li>'
        for row in rows
    )


def outlook_html(outlook: str, labels: dict[Any, str], forecast_word: str, forecast: Any) -> str:
    """An objective's outlook and forecast (`labels`: the outlooks' words; the word "forecast"
    already escaped)."""
    return (
        f'<span class="ins-outlook outlook-{esc(outlook)}" title="{esc(labels[outlook])}">'
        f"{forecast_word} {esc(percent(forecast))}</span>"
    )


@register.simple_tag
def objective_items(rows: list[Any]) -> SafeString:
    """Draw the unit and person pages' listed objectives (`listing.ObjectiveRow`), each an
    article with its figures and key results: one tag rather than some twenty nodes a row."""
    forecast_word = esc(_("forecast"))
    statuses = labels_of(
        status_label,
        [row.status for row in rows] + [kr.status for row in rows for kr in row.key_results],
    )
    outlooks = labels_of(outlook_label, (row.outlook for row in rows))
    drawn = []
    for row in rows:
        objective = row.objective
        status = esc(row.status)
        drawn.append(
            f'\n  <article class="ins-objective status-{status}">\n    <header>\n      <div>\n'
            f'        <h3><a href="{esc(path_to(objective.pk, "objective_detail"))}">'
            f"{esc(objective.title)}</a></h3>\n"
            f'        <p class="meta"><span class="owner owner-{esc(objective.owner_kind)}">'
            f"{esc(objective.owner_name)}</span> "
            f'<span class="badge badge-{esc(objective.kind)}">{esc(objective.get_kind_display())}'
            f"</span></p>\n      </div>\n"
            f'      <div class="ins-objective-figures">\n'
            f'        <span class="status-pill status-{status}">{esc(statuses[row.status])}</span>\n'
            f'        <span class="ins-objective-percent">{esc(percent(row.progress))}</span>\n'
            f"        {outlook_html(row.outlook, outlooks, forecast_word, row.forecast)}"
            f"\n      </div>\n    </header>\n"
            f'    <ul class="ins-kr-rows">\n      {key_result_html(row.key_results, statuses)}\n'
            f"    </ul>\n  </article>\n  "
        )
    return mark_safe("".join(drawn))


@register.simple_tag
def alignment_map_items(rows: list[Any]) -> SafeString:
    """Draw the company dashboard's alignment map rows (`stored.StoredMapRow`): thirty a page
    and thirty more a "Show more", one tag rather than some fifteen nodes a row."""
    forecast_word = esc(_("forecast"))
    statuses = labels_of(status_label, (row.snapshot.status for row in rows))
    outlooks = labels_of(outlook_label, (row.snapshot.outlook for row in rows))
    drawn = []
    for row in rows:
        shown, objective = row.snapshot, row.objective
        status = esc(shown.status)
        drawn.append(
            f'\n  <li class="ins-map-row status-{status}" style="--depth: {esc(row.depth)}">\n'
            f'    <span class="dot status-{status}" title="{esc(statuses[shown.status])}"></span>\n'
            f'    <span class="ins-map-title"><a href="{esc(path_to(objective.pk, "objective_detail"))}">'
            f'{esc(objective.title)}</a><span class="ins-map-owner">{esc(objective.owner_name)}'
            f"</span></span>\n"
            f'    <span class="ins-map-progress"><span class="bar bar-small">'
            f'<span class="bar-fill" style="width: {esc(width(shown.progress))}"></span>'
            f'<span class="bar-expected" style="left: {esc(width(shown.expected))}"></span></span>'
            f'<span class="ins-map-percent">{esc(percent(shown.progress))}</span></span>\n'
            f"    {outlook_html(shown.outlook, outlooks, forecast_word, shown.forecast)}"
            f"\n  </li>\n  "
        )
    return mark_safe("".join(drawn))


@register.simple_tag
def risk_items(rows: list[Any]) -> SafeString:
    """Draw a list of worded risks (`boards.RiskRow`): a person's page lists up to a hundred,
    one tag rather than some twenty nodes a row."""
    drawn = []
    for row in rows:
        item, risk = row.item, row.item.risk
        severity, kind = esc(risk.severity), esc(risk.kind)
        if item.key_result:
            title = (
                f'<a href="{esc(path_to(item.key_result.pk, "insights:key_result"))}">'
                f"{esc(item.key_result.title)}</a>\n"
                f'      <span class="ins-risk-parent">{esc(item.objective.title)}</span>\n      '
            )
        else:
            title = (
                f'<a href="{esc(path_to(item.objective.pk, "objective_detail"))}">'
                f"{esc(item.objective.title)}</a>"
            )
        drawn.append(
            f'\n  <li class="ins-risk severity-{severity} kind-{kind}">\n'
            f'    <div class="ins-risk-head">\n'
            f'      <span class="ins-severity severity-{severity}">{esc(row.severity_label)}</span>\n'
            f'      <span class="ins-kind kind-{kind}">{esc(row.kind_label)}</span>\n'
            f'      <span class="ins-owner">{esc(item.owner_name)}</span>\n'
            f"    </div>\n"
            f'    <p class="ins-risk-title">\n      {title}\n    </p>\n'
            f'    <p class="ins-evidence">{esc(row.evidence)}</p>\n'
            f'    <p class="ins-suggestion"><span aria-hidden="true">→</span> '
            f"{esc(row.suggestion)}</p>\n  </li>\n  "
        )
    return mark_safe("".join(drawn))


@register.simple_tag
def graded_key_results(lines: list[Any]) -> SafeString:
    """Draw the review's table rows of an objective's graded key results (`KeyResultLine`):
    a page of twenty objectives has some eighty, one tag rather than a loop of tags."""
    return mark_safe(graded_rows(lines, (get_language() or "vi")[:2]))


def graded_rows(lines: list[Any], lang: str) -> str:
    """The rows of `graded_key_results`, every value escaped, scores shown in `lang`."""
    return "".join(
        f'<tr><td><a href="{esc(path_to(line.key_result.pk, "insights:key_result"))}">'
        f"{esc(line.key_result.title)}</a></td>"
        f"<td>{esc(kr_value(line.key_result, line.final_value))}</td>"
        f"<td>{esc(kr_value(line.key_result, line.target))}</td>"
        f'<td><span class="ins-score-small band-{esc(line.band)}">{esc(score_in(line.score, lang))}'
        f"</span></td></tr>"
        for line in lines
    )


# A review header's fixed words, by language: translated once, not twenty times a page.
_grade_words: dict[str, dict[str, str]] = {}


def grade_words() -> dict[str, str]:
    language = get_language() or "vi"
    words = _grade_words.get(language)
    if words is None:
        # Translated outside the f-strings: `makemessages` reads no call inside one.
        success, not_reached = esc(_("Success")), esc(_("Not reached"))
        key_result, final, target, score_word = (
            esc(_("Key result")),
            esc(_("Final")),
            esc(_("Target")),
            esc(_("Score")),
        )
        words = _grade_words[language] = {
            "success": success,
            "not reached": not_reached,
            "head": (
                f'      <thead><tr><th scope="col">{key_result}</th>'
                f'<th scope="col">{final}</th><th scope="col">{target}</th>'
                f'<th scope="col">{score_word}</th></tr></thead>\n'
            ),
        }
    return words


@register.simple_tag
def grade_head(line: Any) -> SafeString:
    """Draw a review line's header (title, owner, kind, bar, score, success) and its key
    results' table: a page of twenty objectives, one tag each rather than some thirty nodes."""
    objective = line.objective
    lang = (get_language() or "vi")[:2]
    words = grade_words()
    bar = _("succeeds at %(bar)s") % {"bar": score_in(line.bar, lang)}
    return mark_safe(
        '<header class="ins-grade-head">\n      <div>\n'
        f'        <h3><a href="{esc(path_to(objective.pk, "objective_detail"))}">'
        f"{esc(objective.title)}</a></h3>\n"
        f'        <p class="meta"><span class="owner owner-{esc(objective.owner_kind)}">'
        f"{esc(objective.owner_name)}</span> "
        f'<span class="badge badge-{esc(objective.kind)}">{esc(objective.get_kind_display())}</span>'
        f' <span class="muted small">'
        f"{esc(bar)}"
        "</span></p>\n"
        "      </div>\n"
        '      <div class="ins-grade-score">\n'
        f'        <span class="ins-score band-{esc(line.band)}">{esc(score_in(line.score, lang))}'
        "</span>\n"
        f'        <span class="ins-success {"yes" if line.success else "no"}">'
        f"{words['success'] if line.success else words['not reached']}</span>\n"
        "      </div>\n    </header>\n"
        '    <table class="ins-table ins-table-compact">\n'
        f"{words['head']}"
        f"      <tbody>{graded_rows(line.key_results, lang)}</tbody>\n    </table>"
    )


@register.simple_tag(takes_context=True)
def review_lines(context: Any, lines: list[Any]) -> SafeString:
    """Draw a review section's objectives (`review.ObjectiveLine`): each an article with its
    grade (`grade_head`), reflection and actions; a page of twenty, one tag rather than some
    forty nodes each."""
    editable = context.get("editable") or ()
    review = context.get("review")
    later_cycles = context.get("later_cycles")
    carry_form = bool(review is not None and review.is_final and later_cycles)
    csrf = CsrfTokenNode().render(context) if carry_form else ""
    drawn = []
    for line in lines:
        objective = line.objective
        pk = esc(objective.pk)
        mine = objective.pk in editable
        reflection = line.reflection
        notes = ""
        if reflection:
            # Translated outside the f-strings: `makemessages` does not look into them.
            went_well = note_html(_("What went well"), reflection.went_well)
            went_badly = note_html(_("What did not go well"), reflection.went_badly)
            lessons = note_html(_("Lessons"), reflection.lessons)
            notes = (
                "\n      <dl>\n        "
                f"{went_well}\n        "
                f"{went_badly}\n        "
                f"{lessons}\n      </dl>\n      "
            )
        edit = ""
        if mine:
            label = _("Edit reflection") if reflection else _("Write a reflection")
            edit = (
                f'<a class="button small" href="{esc(path_to(objective.pk, "insights:reflection"))}">'
                f"{esc(label)}</a>"
            )
        carry = ""
        if line.carried_to:
            carried = _("Carried into %(cycle)s") % {"cycle": esc(line.carried_to.cycle.name)}
            open_label = _("open")
            carry = (
                f'<span class="muted small">{carried} · '
                f'<a href="{esc(path_to(line.carried_to.pk, "objective_detail"))}">'
                f"{esc(open_label)}</a></span>\n        "
            )
        elif carry_form and mine and line.score < 1:
            carry_into, carry_over = _("Carry the rest into"), _("Carry over")
            options = "".join(
                f'<option value="{esc(option.pk)}">{esc(option.name)}</option>'
                for option in later_cycles
            )
            carry = (
                f'\n        <form method="post" action="{esc(path_to(objective.pk, "insights:carry_over"))}"'
                ' class="inline-form">\n'
                f"          {csrf}\n"
                f'          <label for="carry-{pk}">{esc(carry_into)}</label>\n'
                f'          <select id="carry-{pk}" name="cycle">{options}</select>\n'
                f'          <button type="submit" class="button small">{esc(carry_over)}</button>\n'
                "        </form>\n        "
            )
        drawn.append(
            f'\n  <article class="panel ins-grade band-{esc(line.band)}" id="objective-{pk}">\n'
            f"    {grade_head(line)}\n"
            f'    <div class="ins-reflection">\n      {notes}\n'
            f'      <div class="toolbar">\n        {edit}\n        {carry}\n'
            "      </div>\n    </div>\n  </article>\n  "
        )
    # Every value is escaped above; the notes by `linebreaksbr`.
    return mark_safe("".join(drawn))


def note_html(word: str, text: str) -> str:
    """One part of a reflection, when written: its word and its text, line breaks kept."""
    if not text:
        return ""
    return f"<div><dt>{esc(word)}</dt><dd>{linebreaksbr(text, autoescape=True)}</dd></div>"


CURRENT_ROW = ' aria-current="true" class="is-current"'


@register.simple_tag
def section_rows(sections: list[Any], chosen: Any) -> SafeString:
    """Draw a large review's departments table rows (`review.StoredSection`, a few dozen):
    one tag rather than a loop of tags."""
    lang = (get_language() or "vi")[:2]
    current = chosen.key
    return mark_safe(
        "".join(
            f"<tr{CURRENT_ROW if key == current else ''}>"
            f'<td><a href="?section={esc(key)}">{esc(section.name)}</a></td>'
            f"<td>{esc(section.count)}</td><td>{esc(score_in(section.mean_score, lang))}</td>"
            f"<td>{esc(section.successes)}</td></tr>"
            for section in sections
            for key in [section.key]
        )
    )
