"""The top bar's links, drawn by one tag (`top_nav`), are the markup base.html drew before:
compared with that template, in both languages, for admins and others, on each kind of page."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.template import engines
from django.utils import translation

# The links as base.html drew them before `top_nav` (the reference).
TEMPLATE_NAV = """{% load i18n okrflow %}\
    {% with name=request.resolver_match.url_name %}
    <button type="button" class="menu-toggle" aria-expanded="false" aria-controls="topnav">{% translate "Menu" %}</button>
    <nav class="topnav" id="topnav" aria-label="{% translate 'Main' %}">
      <a href="{% path 'my_okrs' %}" {% if name == 'my_okrs' %}aria-current="page"{% endif %}>{% translate "My OKRs" %}</a>
      <a href="{% path 'checkins:mine' %}" {% if request.resolver_match.app_name == 'checkins' %}aria-current="page"{% endif %}>{% translate "Check-in" %}</a>
      <a href="{% path 'overview' %}" {% if name == 'overview' %}aria-current="page"{% endif %}>{% translate "All OKRs" %}</a>
      <a href="{% path 'company_tree' %}" {% if name == 'company_tree' %}aria-current="page"{% endif %}>{% translate "Alignment" %}</a>
      <a href="{% path 'people' %}" {% if name == 'people' or name == 'person_detail' %}aria-current="page"{% endif %}>{% translate "People" %}</a>
      <a href="{% path 'agreements' %}" {% if name == 'agreements' %}aria-current="page"{% endif %}>{% translate "To agree" %}</a>
      <a href="{% path 'insights:company' %}" {% if request.resolver_match.app_name == 'insights' %}aria-current="page"{% endif %}>{% translate "Insights" %}</a>
      <a href="{% path 'library:index' %}" {% if request.resolver_match.app_name == 'library' %}aria-current="page"{% endif %}>{% translate "Library" %}</a>
      {% if access.is_admin %}<a href="{% path 'administration:home' %}" {% if request.resolver_match.app_name == 'administration' %}aria-current="page"{% endif %}>{% translate "Administration" %}</a>{% endif %}
    </nav>
    {% endwith %}
"""

TAG_NAV = "{% load okrflow %}    {% top_nav %}\n"

PAGES = [
    ("my_okrs", ""),
    ("overview", ""),
    ("company_tree", ""),
    ("people", ""),
    ("person_detail", ""),
    ("agreements", ""),
    ("mine", "checkins"),
    ("company", "insights"),
    ("index", "library"),
    ("home", "administration"),
    ("search", ""),
    None,  # no resolved view (an error page)
]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_top_nav_draws_what_the_template_drew(language: str) -> None:
    engine = engines["django"]
    reference, drawn = engine.from_string(TEMPLATE_NAV), engine.from_string(TAG_NAV)
    with translation.override(language):
        for page in PAGES:
            match = None if page is None else SimpleNamespace(url_name=page[0], app_name=page[1])
            for is_admin in (False, True):
                context = {
                    "request": SimpleNamespace(resolver_match=match),
                    "access": SimpleNamespace(is_admin=is_admin),
                }
                expected = reference.render(context)
                assert drawn.render(context) == expected
                marked = page not in (None, ("search", "")) and (is_admin or page[0] != "home")
                assert ('aria-current="page"' in expected) == marked
                assert ("/administration/" in expected) == is_admin
        # Without a request or an access in the context (a template rendered on its own).
        assert drawn.render({}) == reference.render({})
