"""The review's objective header, drawn by one tag (`grade_head`), is the markup the template
drew before: compared with that template, in both languages, for each kind and outcome."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import engines
from django.utils import translation

from okrflow.cycles.models import Cycle
from okrflow.insights.collect import visible_objectives
from okrflow.insights.models import Reflection
from okrflow.insights.review import StoredSection, build_review
from okrflow.okrs.models import Objective
from tests.conftest import World
from tests.insights.conftest import objective_with

pytestmark = pytest.mark.django_db

# The header as review.html drew it before `grade_head` (the reference).
TEMPLATE_HEAD = """{% load i18n insights %}{% with objective=line.objective %}\
    <header class="ins-grade-head">
      <div>
        <h3><a href="{% url 'objective_detail' objective.pk %}">{{ objective.title }}</a></h3>
        <p class="meta"><span class="owner owner-{{ objective.owner_kind }}">{{ objective.owner_name }}</span> <span class="badge badge-{{ objective.kind }}">{{ objective.get_kind_display }}</span> <span class="muted small">{% blocktranslate with bar=line.bar|score %}succeeds at {{ bar }}{% endblocktranslate %}</span></p>
      </div>
      <div class="ins-grade-score">
        <span class="ins-score band-{{ line.band }}">{{ line.score|score }}</span>
        <span class="ins-success {% if line.success %}yes{% else %}no{% endif %}">{% if line.success %}{% translate "Success" %}{% else %}{% translate "Not reached" %}{% endif %}</span>
      </div>
    </header>
    <table class="ins-table ins-table-compact">
      <thead><tr><th scope="col">{% translate "Key result" %}</th><th scope="col">{% translate "Final" %}</th><th scope="col">{% translate "Target" %}</th><th scope="col">{% translate "Score" %}</th></tr></thead>
      <tbody>{% graded_key_results line.key_results %}</tbody>
    </table>{% endwith %}"""

TAG_HEAD = "{% load insights %}    {% grade_head line %}"


def test_grade_head_draws_what_the_template_drew(world: World) -> None:
    objective_with(
        world,
        world.member,
        'Win <the> "market" & more',
        [{"title": "Sign <b>10</b> deals", "start_value": 0, "target_value": 10}],
        kind="aspirational",
    )
    objective_with(
        world,
        world.marketing,
        "Grow the brand",
        [
            {"title": "Visits", "start_value": 0, "target_value": 100},
            {"title": "Leads", "start_value": 0, "target_value": 10},
        ],
    )
    review = build_review(world.cycle, visible_objectives(None, world.cycle))
    lines = review.lines
    assert len(lines) == 2
    lines[1].success, lines[1].score, lines[1].band = True, Decimal("1.00"), "green"
    engine = engines["django"]
    reference, drawn = engine.from_string(TEMPLATE_HEAD), engine.from_string(TAG_HEAD)
    for language in ("vi", "en"):
        with translation.override(language):
            for line in lines:
                expected = reference.render({"line": line})
                assert drawn.render({"line": line}) == expected
                assert line.objective.title.replace("<", "&lt;")[:8] in expected


# A review section's objectives as review.html drew them before `review_lines` (the reference).
TEMPLATE_LINES = """{% load i18n okrflow insights %}\
  {% for line in section.lines %}{% with objective=line.objective %}
  <article class="panel ins-grade band-{{ line.band }}" id="objective-{{ objective.pk }}">
    {% grade_head line %}
    <div class="ins-reflection">
      {% if line.reflection %}
      <dl>
        {% if line.reflection.went_well %}<div><dt>{% translate "What went well" %}</dt><dd>{{ line.reflection.went_well|linebreaksbr }}</dd></div>{% endif %}
        {% if line.reflection.went_badly %}<div><dt>{% translate "What did not go well" %}</dt><dd>{{ line.reflection.went_badly|linebreaksbr }}</dd></div>{% endif %}
        {% if line.reflection.lessons %}<div><dt>{% translate "Lessons" %}</dt><dd>{{ line.reflection.lessons|linebreaksbr }}</dd></div>{% endif %}
      </dl>
      {% endif %}
      <div class="toolbar">
        {% if objective.pk in editable %}<a class="button small" href="{{ objective.pk|path_to:'insights:reflection' }}">{% if line.reflection %}{% translate "Edit reflection" %}{% else %}{% translate "Write a reflection" %}{% endif %}</a>{% endif %}
        {% if line.carried_to %}<span class="muted small">{% blocktranslate with cycle=line.carried_to.cycle.name %}Carried into {{ cycle }}{% endblocktranslate %} · <a href="{{ line.carried_to.pk|path_to:'objective_detail' }}">{% translate "open" %}</a></span>
        {% elif review.is_final and objective.pk in editable and later_cycles and line.score < 1 %}
        <form method="post" action="{{ objective.pk|path_to:'insights:carry_over' }}" class="inline-form">
          {% csrf_token %}
          <label for="carry-{{ objective.pk }}">{% translate "Carry the rest into" %}</label>
          <select id="carry-{{ objective.pk }}" name="cycle">{% for option in later_cycles %}<option value="{{ option.pk }}">{{ option.name }}</option>{% endfor %}</select>
          <button type="submit" class="button small">{% translate "Carry over" %}</button>
        </form>
        {% endif %}
      </div>
    </div>
  </article>
  {% endwith %}{% endfor %}"""

TAG_LINES = "{% load insights %}  {% review_lines section.lines %}"


def test_review_lines_draw_what_the_template_drew(world: World) -> None:
    for n, title in enumerate(['Win <the> "market"', "Grow", "Keep", "Hire"]):
        objective_with(
            world,
            world.member if n % 2 else world.marketing,
            title,
            [{"title": f"Result {n}", "start_value": 0, "target_value": 10}],
        )
    review = build_review(world.cycle, visible_objectives(None, world.cycle))
    lines = review.lines
    assert len(lines) == 4
    later = Cycle.objects.create(
        name='Q3 <"next">',
        start_date=datetime.date(2026, 7, 1),
        end_date=datetime.date(2026, 9, 30),
    )
    # One written in full (markup and line breaks in it), one in part, one carried over.
    lines[0].reflection = Reflection(
        objective=lines[0].objective,
        went_well="Shipped <b>it</b>\non time",
        went_badly="Too & late",
        lessons="Plan\n\nearlier",
    )
    lines[1].reflection = Reflection(objective=lines[1].objective, lessons="Only this")
    lines[2].carried_to = Objective(pk=987, title="Copy", cycle=later)
    lines[3].score = Decimal("1.00")
    engine = engines["django"]
    reference, drawn = engine.from_string(TEMPLATE_LINES), engine.from_string(TAG_LINES)
    section = SimpleNamespace(lines=lines)
    editable = {line.objective.pk for line in lines[:3]} | {lines[3].objective.pk}
    for language in ("vi", "en"):
        with translation.override(language):
            for is_final, later_cycles, mine in [
                (False, [later], editable),
                (True, [later], editable),
                (True, [later, world.cycle], {lines[0].objective.pk}),
                (True, [], editable),
            ]:
                context = {
                    "section": section,
                    "editable": mine,
                    "review": SimpleNamespace(is_final=is_final),
                    "later_cycles": later_cycles,
                    "csrf_token": "the-token",
                }
                expected = reference.render(context)
                assert drawn.render(context) == expected
                assert "Shipped &lt;b&gt;it&lt;/b&gt;<br>on time" in expected
                if is_final and later_cycles:
                    assert 'value="the-token"' in expected


TEMPLATE_SECTIONS = """{% load insights %}\
{% for section in totals.sections %}<tr{% if section.key == chosen.key %} aria-current="true" class="is-current"{% endif %}><td><a href="?section={{ section.key }}">{{ section.name }}</a></td><td>{{ section.count }}</td><td>{{ section.mean_score|score }}</td><td>{{ section.successes }}</td></tr>{% endfor %}"""

TAG_SECTIONS = "{% load insights %}{% section_rows totals.sections chosen %}"


def test_section_rows_draw_what_the_template_drew(world: World) -> None:
    sections = [
        StoredSection("Sales & <Marketing>", world.marketing, 3, 2.1, 1),
        StoredSection("Company", world.company, 12345, 9876.54, 10),
        StoredSection("Outside", None, 0, 0.0, 0),
    ]
    engine = engines["django"]
    reference, drawn = engine.from_string(TEMPLATE_SECTIONS), engine.from_string(TAG_SECTIONS)
    for language in ("vi", "en"):
        with translation.override(language):
            for chosen in sections:
                context = {"totals": SimpleNamespace(sections=sections), "chosen": chosen}
                expected = reference.render(context)
                assert drawn.render(context) == expected
                assert expected.count('class="is-current"') == 1
                assert "Sales &amp; &lt;Marketing&gt;" in expected
