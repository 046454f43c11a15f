"""The insights lists drawn by one tag each (`objective_items`, `alignment_map_items`,
`risk_items`, `heat_rows`, `graded_key_results`) draw the markup their template loops drew:
compared with those loops (the reference), in both languages, on values that need escaping."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.template import engines
from django.utils import translation

from okrflow.engine.risk import RiskKind
from okrflow.insights.boards import HeatCell
from okrflow.insights.charts import Sparkline
from okrflow.insights.collect import visible_objectives
from okrflow.insights.models import RiskSnapshot
from okrflow.insights.snapshots import refresh_cycle
from okrflow.insights.stored import top_and_first_of_kinds, viewer_scope
from tests.conftest import World
from tests.insights.test_snapshots import two_teams

AWKWARD = "Win <the> \"market\" & 'more'"

# The loops as the templates drew them before the tags (floats in the sparkline unlocalised,
# as `format_html` drew them).
OBJECTIVE_LOOP = """{% load i18n okrflow insights l10n %}\
{% for row in objective_rows %}{% with objective=row.objective %}
  <article class="ins-objective status-{{ row.status }}">
    <header>
      <div>
        <h3><a href="{% url 'objective_detail' objective.pk %}">{{ objective.title }}</a></h3>
        <p class="meta"><span class="owner owner-{{ objective.owner_kind }}">{{ objective.owner_name }}</span> <span class="badge badge-{{ objective.kind }}">{{ objective.get_kind_display }}</span></p>
      </div>
      <div class="ins-objective-figures">
        <span class="status-pill status-{{ row.status }}">{{ row.status|status_label }}</span>
        <span class="ins-objective-percent">{{ row.progress|percent }}</span>
        <span class="ins-outlook outlook-{{ row.outlook }}" title="{{ row.outlook|outlook_label }}">{% translate "forecast" %} {{ row.forecast|percent }}</span>
      </div>
    </header>
    <ul class="ins-kr-rows">
      {% for kr in row.key_results %}<li><a class="ins-kr-link" href="{% url 'insights:key_result' kr.key_result.pk %}">{{ kr.key_result.title }}</a>
{% if kr.sparkline %}{% localize off %}{% with line=kr.sparkline %}<svg class="ins-spark" viewBox="0 0 {{ line.width }} {{ line.height }}" width="{{ line.width }}" height="{{ line.height }}" aria-hidden="true"><polyline class="spark-pace" points="{{ line.pace_path }}"/><polyline class="spark-line" points="{{ line.path }}"/><circle cx="{{ line.last_x }}" cy="{{ line.last_y }}" r="2.5"/></svg>{% endwith %}{% endlocalize %}{% endif %}
<span class="ins-kr-progress">{{ kr.progress|percent }}</span>
<span class="ins-kr-forecast">{% if kr.forecast is None %}&nbsp;{% else %}→ {{ kr.forecast|percent }}{% endif %}</span>
<span class="dot status-{{ kr.status }}" title="{{ kr.status|status_label }}"></span></li>{% if not forloop.last %}
{% endif %}{% endfor %}
    </ul>
  </article>
  {% endwith %}{% endfor %}"""

MAP_LOOP = """{% load i18n okrflow insights %}\
{% for row in map_rows %}{% with oi=row.snapshot objective=row.objective %}
  <li class="ins-map-row status-{{ oi.status }}" style="--depth: {{ row.depth }}">
    <span class="dot status-{{ oi.status }}" title="{{ oi.status|status_label }}"></span>
    <span class="ins-map-title"><a href="{% url 'objective_detail' objective.pk %}">{{ objective.title }}</a><span class="ins-map-owner">{{ objective.owner_name }}</span></span>
    <span class="ins-map-progress"><span class="bar bar-small"><span class="bar-fill" style="width: {{ oi.progress|width }}"></span><span class="bar-expected" style="left: {{ oi.expected|width }}"></span></span><span class="ins-map-percent">{{ oi.progress|percent }}</span></span>
    <span class="ins-outlook outlook-{{ oi.outlook }}" title="{{ oi.outlook|outlook_label }}">{% translate "forecast" %} {{ oi.forecast|percent }}</span>
  </li>
  {% endwith %}{% endfor %}"""

RISK_LOOP = """{% load i18n %}\
{% for row in risks %}{% with risk=row.item.risk item=row.item %}
  <li class="ins-risk severity-{{ risk.severity }} kind-{{ risk.kind }}">
    <div class="ins-risk-head">
      <span class="ins-severity severity-{{ risk.severity }}">{{ row.severity_label }}</span>
      <span class="ins-kind kind-{{ risk.kind }}">{{ row.kind_label }}</span>
      <span class="ins-owner">{{ item.owner_name }}</span>
    </div>
    <p class="ins-risk-title">
      {% if item.key_result %}<a href="{% url 'insights:key_result' item.key_result.pk %}">{{ item.key_result.title }}</a>
      <span class="ins-risk-parent">{{ item.objective.title }}</span>
      {% else %}<a href="{% url 'objective_detail' item.objective.pk %}">{{ item.objective.title }}</a>{% endif %}
    </p>
    <p class="ins-evidence">{{ row.evidence }}</p>
    <p class="ins-suggestion"><span aria-hidden="true">→</span> {{ row.suggestion }}</p>
  </li>
  {% endwith %}{% endfor %}"""

HEAT_LOOP = """{% load i18n okrflow insights %}\
{% for row in heat.rows %}
    <tr>
      <th scope="row" style="padding-left: {{ row.unit.depth|indent }}"><a href="{% url 'insights:unit' row.unit.pk %}">{{ row.unit.name }}</a> <span class="ins-heat-n">{{ row.key_results }}</span></th>
      {% heat_cells row.cells progress_word pace_word empty_word %}
      <td class="ins-heat-forecast">{{ row.forecast|percent }}</td>
    </tr>
  {% endfor %}"""

GRADED_LOOP = """{% load okrflow insights %}\
{% for line in lines %}<tr><td><a href="{% url 'insights:key_result' line.key_result.pk %}">{{ line.key_result.title }}</a></td><td>{% kr_value line.key_result line.final_value %}</td><td>{% kr_value line.key_result line.target %}</td><td><span class="ins-score-small band-{{ line.band }}">{{ line.score|score }}</span></td></tr>{% endfor %}"""


def objective(pk: int, title: str, owner: str, kind: str, owner_kind: str) -> SimpleNamespace:
    return SimpleNamespace(
        pk=pk,
        title=title,
        owner_name=owner,
        kind=kind,
        owner_kind=owner_kind,
        get_kind_display=lambda: {"committed": "Cam kết <1>", "aspirational": "A & B"}[kind],
    )


def key_result(pk: int, title: str, **figures: Any) -> SimpleNamespace:
    return SimpleNamespace(pk=pk, title=title, shape="number", unit="", currency="", **figures)


def draw(source: str, **context: Any) -> str:
    return engines["django"].from_string(source).render(context)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_row_tags_draw_what_the_loops_drew(language: str) -> None:
    line = Sparkline("0,28 60,14.5 120,0", "0,28 120,3", 60.25, 14.5)
    krs = [
        SimpleNamespace(
            key_result=key_result(7, AWKWARD),
            status="at_risk",
            progress=0.456,
            forecast=None,
            sparkline=line,
        ),
        SimpleNamespace(
            key_result=key_result(8, "Plain"),
            status="weird<status>",
            progress=1.2,
            forecast=0.7,
            sparkline=None,
        ),
    ]
    objective_rows = [
        SimpleNamespace(
            objective=objective(3, AWKWARD, "Lê <Văn> & co", "committed", "person"),
            status="on_track",
            progress=0.5,
            forecast=None,
            outlook="likely",
            key_results=krs,
        ),
        SimpleNamespace(
            objective=objective(4, "Second", 'Team "A"', "aspirational", "unit"),
            status="off_track",
            progress=0.0,
            forecast=0.333,
            outlook="odd'outlook",
            key_results=[],
        ),
    ]
    map_rows = [
        SimpleNamespace(
            snapshot=SimpleNamespace(
                status=status, progress=progress, expected=0.4, outlook="short", forecast=None
            ),
            objective=objective(9 + depth, AWKWARD, "<owner>", "committed", "project"),
            depth=depth,
        )
        for depth, (status, progress) in enumerate([("done", 1.0), ('x"y', -0.2), ("no_data", 2)])
    ]
    risky = SimpleNamespace(
        severity="high", kind="sudden", key_result=key_result(5, AWKWARD), objective=None
    )
    risks = [
        SimpleNamespace(
            item=SimpleNamespace(
                risk=SimpleNamespace(severity="high", kind="sudden"),
                owner_name="<Owner> & 'co'",
                key_result=risky.key_result,
                objective=objective(2, "Parent & <child>", "", "committed", "person"),
            ),
            severity_label="Cao <!>",
            kind_label='Đột ngột & "x"',
            evidence="Fell 30% <in a week>",
            suggestion="Ask 'why'",
        ),
        SimpleNamespace(
            item=SimpleNamespace(
                risk=SimpleNamespace(severity="low", kind="end_of_cycle"),
                owner_name="",
                key_result=None,
                objective=objective(6, AWKWARD, "", "committed", "person"),
            ),
            severity_label="Low",
            kind_label="End",
            evidence="",
            suggestion="<b>x</b>",
        ),
    ]
    heat = SimpleNamespace(
        rows=[
            SimpleNamespace(
                unit=SimpleNamespace(pk=pk, name=name, depth=depth),
                key_results=count,
                forecast=forecast,
                cells=[HeatCell(0.5, 0.7), HeatCell(), HeatCell(0.9, 0.2)],
            )
            for pk, name, depth, count, forecast in [
                (1, "Công ty <A>", 0, 90047, 0.61),
                (2, 'R&D "lab"', 1, 12, None),
            ]
        ]
    )
    graded = [
        SimpleNamespace(
            key_result=key_result(11, AWKWARD),
            final_value=Decimal("1234.5"),
            target=Decimal("10"),
            band="green",
            score=Decimal("0.7"),
        ),
        SimpleNamespace(
            key_result=key_result(12, "Other"),
            final_value=None,
            target=None,
            band="red<",
            score=None,
        ),
    ]
    words = {"progress_word": "tiến <độ>", "pace_word": 'pace & "x"', "empty_word": "'none'"}
    with translation.override(language):
        pairs = [
            (OBJECTIVE_LOOP, "{% load insights %}{% objective_items objective_rows %}"),
            (MAP_LOOP, "{% load insights %}{% alignment_map_items map_rows %}"),
            (RISK_LOOP, "{% load insights %}{% risk_items risks %}"),
            (
                HEAT_LOOP,
                "{% load insights %}{% heat_rows heat.rows progress_word pace_word empty_word %}",
            ),
            (GRADED_LOOP, "{% load insights %}{% graded_key_results lines %}"),
        ]
        context = dict(
            objective_rows=objective_rows, map_rows=map_rows, risks=risks, heat=heat, **words
        )
        for loop, tag in pairs:
            expected = draw(loop, lines=graded, **context)
            assert "&lt;" in expected or "&amp;" in expected
            assert draw(tag, lines=graded, **context) == expected, tag


@pytest.mark.django_db
def test_the_top_risks_subquery_selects_each_list_it_joins(world: World) -> None:
    """`top_and_first_of_kinds` compiles the kinds' statement once and swaps the kind's
    parameter: it selects exactly the first risks and each kind's first, as their querysets do."""
    two_teams(world)
    refresh = refresh_cycle(world.cycle)
    for user, unit in [(world.admin.user, None), (world.member.user, world.company)]:
        visible = visible_objectives(user, world.cycle)
        scope = viewer_scope(world.cycle, refresh, visible.values("pk"), user, unit)
        risks = scope.risks()
        assert risks.exists()
        for count in (1, 8):
            expected = [*risks[:count].values_list("pk", flat=True)]
            for kind in RiskKind:
                expected += risks.filter(kind=kind.value)[:1].values_list("pk", flat=True)
            found = RiskSnapshot.objects.filter(pk__in=top_and_first_of_kinds(risks, count))
            assert sorted(found.values_list("pk", flat=True)) == sorted(set(expected))
            with connection.cursor() as cursor:  # the UNION ALL itself: every list, no more
                subquery = top_and_first_of_kinds(risks, count)
                cursor.execute(subquery.sql, subquery.params)
                assert sorted(pk for (pk,) in cursor.fetchall()) == sorted(expected)
