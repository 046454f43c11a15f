"""The review's objective header, drawn by one tag (`grade_head`), is the markup the template
drew before: compared with that template, in both languages, for each kind and outcome."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import engines
from django.utils import translation

from okrflow.insights.collect import visible_objectives
from okrflow.insights.review import build_review
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
