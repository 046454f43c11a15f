"""Template filters that show OKR figures the way each language writes them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_noop, ngettext
from django.utils.translation import gettext as _

from okrflow.engine.numbers import format_money, format_number

register = template.Library()


def language() -> str:
    return (get_language() or "vi")[:2]


@register.filter
def percent(ratio: float | None) -> str:
    """Show a 0..1 ratio as a whole percentage."""
    if ratio is None:
        return "–"
    return f"{round(ratio * 100)}%"


@register.filter
def width(ratio: float | None) -> str:
    """Return a CSS width for a 0..1 ratio, clamped."""
    if ratio is None:
        return "0%"
    return f"{max(0.0, min(1.0, ratio)) * 100:.1f}%"


@register.filter
def number(value: Decimal | None) -> str:
    """Show a number with the language's separators (10.000 / 10,000)."""
    if value is None:
        return "–"
    return format_number(Decimal(value), language())


# Marked for translation here, translated one at a time (a long list asks for one a row).
STATUS_LABELS = {
    "on_track": gettext_noop("On track"),
    "at_risk": gettext_noop("At risk"),
    "off_track": gettext_noop("Off track"),
    "done": gettext_noop("Done"),
    "no_data": gettext_noop("No data yet"),
}


@register.filter
def status_label(status: Any) -> str:
    label = STATUS_LABELS.get(str(status))
    return _(label) if label else str(status)


@register.filter
def short_date(day: Any) -> str:
    """Show a date as 15/4 in Vietnamese and 15 Apr in English (day first, as the dates are)."""
    if day is None:
        return ""
    if language() == "vi":
        return f"{day.day}/{day.month}"
    return day.strftime("%-d %b")


@register.simple_tag
def kr_value(kr: Any, value: Decimal | None) -> str:
    """Show one value of a key result with its unit, as its shape reads it."""
    if value is None:
        return "–"
    if kr.shape == "milestone":
        return _("done") if value >= 1 else _("not done")
    if kr.shape == "currency":
        return format_money(Decimal(value), kr.currency or "VND", language())
    text = format_number(Decimal(value), language())
    if kr.shape == "percentage" or kr.unit == "%":
        return f"{text}%"
    return f"{text} {kr.unit}".strip()


@register.simple_tag
def kr_number(kr: Any, value: Decimal | None) -> str:
    """Show a value of a key result without its unit, for a compact start → current / target."""
    if value is None:
        return "–"
    if kr.shape == "currency":
        return format_money(Decimal(value), kr.currency or "VND", language())
    text = format_number(Decimal(value), language())
    return f"{text}%" if kr.shape == "percentage" or kr.unit == "%" else text


@register.filter
def actor_name(user: Any) -> str:
    """Name who made a change: the person's name, else the username, else the system."""
    if user is None:
        return "okrflow"
    person = getattr(user, "person", None)
    return getattr(person, "full_name", None) or user.get_username()


@register.simple_tag
def kr_figures(kr: Any, row: Any) -> str:
    """A key result's figures as its shape reads them; `row` is its KeyResultReport.

    One tag rather than an included template: a page of cards draws it for every key result.
    """
    if kr.shape == "milestone":
        return kr_value(kr, kr.current_value)
    if kr.shape == "recurring":
        done = kr.current_value if kr.current_value is not None else Decimal(0)
        return _("%(done)s of %(total)s times") % {
            "done": number(done),
            "total": number(row.target),
        }
    if kr.shape == "threshold":
        bound = _("at most") if kr.direction == "at_most" else _("at least")
        current, target = kr_value(kr, kr.current_value), kr_value(kr, kr.target_value)
        return f"{current} · {bound} {target}"
    return format_html(
        "{} → <strong>{}</strong> / {}",
        kr_number(kr, kr.start_value),
        kr_number(kr, kr.current_value),
        kr_value(kr, row.target),
    )


# A placeholder id: a page of a hundred rows links each to its objective, owner and so on;
# reversing once per view name and script prefix, then putting the id in, costs a fraction of
# the `{% url %}` tag each time.
PLACEHOLDER = 987654321
_paths: dict[tuple[str, str], str] = {}


@register.filter
def path_to(pk: Any, view_name: str) -> str:
    """The path of the view `view_name` taking one id: `{{ pk|path_to:"objective_detail" }}`."""
    key = (view_name, get_script_prefix())
    pattern = _paths.get(key)
    if pattern is None:
        pattern = _paths[key] = reverse(view_name, args=[PLACEHOLDER])
    return pattern.replace(str(PLACEHOLDER), str(int(pk)))


@register.simple_tag
def mini_progress(progress: float | None, expected: float | None, status: Any) -> str:
    """A compact progress bar with percent and status (`_mini_progress.html` draws it too).

    One tag rather than an included template: the alignment tree draws one per objective.
    """
    shown = percent(progress)
    return format_html(
        '<span class="browse-progress status-{status}">'
        '<span class="bar bar-small" role="progressbar" aria-valuemin="0" aria-valuemax="100"'
        ' aria-valuenow="{now}" aria-label="{label}"><span class="bar-fill" style="width: {fill}">'
        '</span><span class="bar-expected" style="left: {mark}" title="{expected_label}: '
        '{expected}"></span></span> <span class="browse-percent">{shown}</span> '
        '<span class="status-pill status-{status}">{status_label}</span></span>',
        status=status,
        now=shown.replace("%", ""),
        label=_("Progress"),
        fill=width(progress),
        mark=width(expected),
        expected_label=_("Expected by today"),
        expected=percent(expected),
        shown=shown,
        status_label=status_label(status),
    )


OWNER_LINKS = (
    ("owner_unit_id", "owner-unit", "unit_detail"),
    ("owner_project_id", "owner-project", "project_detail"),
    ("owner_person_id", "owner-person", "person_detail"),
)


@register.simple_tag
def tree_node(row: Any) -> str:
    """One node of the alignment tree (a `browse_data.TreeRow`): owner, title, badges, progress
    and the hand-offs it waits for. A tag, not an included template: a tree draws hundreds."""
    report, objective = row.report, row.report.objective
    owner_field, owner_class, owner_view = next(
        (link for link in OWNER_LINKS if getattr(objective, link[0])), OWNER_LINKS[-1]
    )
    badges = []
    if objective.is_private:
        badges.append(format_html('<span class="badge badge-private">{}</span>', _("Private")))
    if objective.state != "active":
        badges.append(
            format_html(
                '<span class="badge badge-state-{}">{}</span>',
                objective.state,
                objective.get_state_display(),
            )
        )
    if getattr(row, "serves", ""):
        badges.append(
            format_html(
                '<span class="badge badge-serves">{}</span>',
                _("Serves: %(name)s") % {"name": row.serves},
            )
        )
    link = path_to(objective.pk, "objective_detail")
    if row.hidden:
        more = ngettext("%(counter)s more aligned →", "%(counter)s more aligned →", row.hidden) % {
            "counter": row.hidden
        }
        badges.append(format_html('<a class="browse-node-count" href="{}">{}</a>', link, more))
    if row.child_count:
        aligned = ngettext("%(counter)s aligned", "%(counter)s aligned", row.child_count) % {
            "counter": row.child_count
        }
        badges.append(format_html('<span class="browse-node-count">{}</span>', aligned))
    hand_offs = [
        format_html(
            '<span class="browse-hand-off"><span aria-hidden="true">⇢</span> {} '
            '<a href="#tree-objective-{}">{}</a> <span class="muted small">{}</span></span>',
            _("waits for"),
            hand_off.objective_id,
            hand_off.title,
            _("by %(day)s") % {"day": short_date(hand_off.expected_by)},
        )
        for hand_off in getattr(row, "hand_offs", [])
    ]
    return format_html(
        '<span class="browse-node status-{status}"><span class="browse-node-owner">'
        '<a class="owner {owner_class}" href="{owner_link}">{owner}</a></span> '
        '<span class="browse-node-title"><a href="{link}">{title}</a>{badges}</span> '
        "{progress}</span>{hand_offs}",
        status=report.status,
        owner_class=owner_class,
        owner_link=path_to(getattr(objective, owner_field), owner_view),
        owner=objective.owner_name,
        link=link,
        title=objective.title,
        badges=format_html_join("", " {}", ((badge,) for badge in badges)),
        progress=mini_progress(report.progress, report.expected, report.status),
        hand_offs=format_html_join("", "{}", ((hand_off,) for hand_off in hand_offs)),
    )


_named: dict[tuple[str, str], str] = {}


@register.simple_tag
def path(view_name: str) -> str:
    """The path of a view taking no argument, reversed once per script prefix: the top bar of
    every page links to a dozen (`{% path "my_okrs" %}`, as `{% url %}` without arguments)."""
    key = (view_name, get_script_prefix())
    found = _named.get(key)
    if found is None:
        found = _named[key] = reverse(view_name)
    return found


# The top bar's links: view, label, and what marks the link current (its view names, or its
# application's name), as base.html drew them one tag at a time; the last for admins only.
TOP_LINKS = (
    ("my_okrs", gettext_noop("My OKRs"), ("my_okrs",), None),
    ("checkins:mine", gettext_noop("Check-in"), (), "checkins"),
    ("overview", gettext_noop("All OKRs"), ("overview",), None),
    ("company_tree", gettext_noop("Alignment"), ("company_tree",), None),
    ("people", gettext_noop("People"), ("people", "person_detail"), None),
    ("agreements", gettext_noop("To agree"), ("agreements",), None),
    ("insights:company", gettext_noop("Insights"), (), "insights"),
    ("library:index", gettext_noop("Library"), (), "library"),
)
ADMIN_LINK = ("administration:home", gettext_noop("Administration"), (), "administration")


@register.simple_tag(takes_context=True)
def top_nav(context: Any) -> SafeString:
    """Draw the top bar's menu button and links (every page has them: one tag rather than some
    forty nodes), the current page's link marked."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    name = getattr(match, "url_name", None)
    app = getattr(match, "app_name", None)
    access = context.get("access")
    links = [*TOP_LINKS, *([ADMIN_LINK] if getattr(access, "is_admin", False) else [])]
    drawn = [
        f'<a href="{escape(path(view))}" '
        f"{CURRENT_PAGE if (name in names if names else app == app_name) else ''}>"
        f"{escape(_(label))}</a>"
        for view, label, names, app_name in links
    ]
    if len(drawn) == len(TOP_LINKS):
        drawn.append("")  # the administration's line, empty
    # Translated outside the f-strings: `makemessages` does not look into them.
    menu, main = escape(_("Menu")), escape(_("Main"))
    return mark_safe(
        '\n    <button type="button" class="menu-toggle" aria-expanded="false" '
        f'aria-controls="topnav">{menu}</button>\n'
        f'    <nav class="topnav" id="topnav" aria-label="{main}">\n      '
        + "\n      ".join(drawn)
        + "\n    </nav>\n    "
    )


CURRENT_PAGE = 'aria-current="page"'
