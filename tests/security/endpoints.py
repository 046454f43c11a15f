"""Every page and form of the app, found from the URLconf, the views' source and their HTML.

Nothing here lists a page by hand: a new `path()` is walked, its `<int:…_id>` parts are filled with
planted ids, its fields are read from the Django forms its view module uses, the `request.GET` /
`request.POST` names in its source, and the `<form>`s of every page that posts to it.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

# URL patterns the generated suites leave alone, each with the reason.
EXCLUDED_PREFIXES = {
    "admin/": "Django's own admin site (staff only; Django tests its forms); okrflow's admin "
    "pages are covered by tests/test_admin*.py and the permission rules of the actions",
    "api/": "the REST API speaks JSON, not forms: tests/api/ walks its OpenAPI document with the "
    "four personas' tokens on every operation, and schemathesis sends it generated hostile input",
}

# Values for URL parts that are not ids (ids come from the planted organisation).
NAMED_PARTS = {
    "key": "brand-awareness",  # a library template; replaced by a real key when planted
    "fmt": "csv",
    "format_name": "csv",
    # A calendar feed address and signing in's emailed links (an invitation token, a password-reset
    # token): forged, so each answers 404 or its 'link no longer works' page.
    "token": "eyJpIjoxfQ:1tZ9xY:forged-signature",
    "uidb64": "MQ",
    "kind": "value",  # a strategy item's kind: a core value or a strategic theme (#16)
}
# Other values each such part takes, so every report and export format is requested.
PART_CHOICES = {
    "fmt": ("csv", "xlsx", "pdf"),
    "format_name": ("text", "md", "csv", "xlsx", "json"),
    "kind": ("value", "theme"),
}

GET_NAMES = re.compile(r"""request\.GET\.get(?:list)?\(\s*["']([\w\-]+)["']""")
POST_NAMES = re.compile(r"""(?:request\.POST|post|data)\.get(?:list)?\(\s*["']([\w\-]+)["']""")


@dataclass(frozen=True)
class Endpoint:
    name: str  # "checkins:detail"
    route: str  # "checkins/<int:checkin_id>/"
    parts: tuple[tuple[str, str], ...]  # (kwarg, converter class name)
    view: Callable[..., Any]

    @property
    def module(self) -> Any:
        return inspect.getmodule(inspect.unwrap(self.view))

    @property
    def methods(self) -> set[str]:
        """The HTTP methods the view accepts, read from its decorators or its class."""
        view_class = getattr(self.view, "view_class", None)
        if view_class is not None:
            return {m.upper() for m in view_class.http_method_names if hasattr(view_class, m)}
        function: Any = self.view
        while function is not None:
            for cell in function.__closure__ or ():
                value = cell.cell_contents
                # require_GET / require_POST / require_http_methods keep the list in a closure.
                if (
                    isinstance(value, list)
                    and value
                    and all(isinstance(item, str) and item.isupper() for item in value)
                ):
                    return set(value)
            function = getattr(function, "__wrapped__", None)
        return {"GET", "POST"}

    def url(self, values: dict[str, str]) -> str:
        path = self.route
        for name, _converter in self.parts:
            path = re.sub(rf"<(?:\w+:)?{name}>", values[name], path)
        return "/" + path


def converter_name(converter: Any) -> str:
    return type(converter).__name__


def walk(patterns: list[Any] | None = None, prefix: str = "", namespace: str = "") -> Iterator[Any]:
    """Yield (route, name, pattern) for every URL pattern, nested includes included."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            yield route, f"{namespace}{entry.name or route}", entry


def excluded_reason(route: str) -> str | None:
    return next((why for start, why in EXCLUDED_PREFIXES.items() if route.startswith(start)), None)


def all_endpoints() -> list[Endpoint]:
    """Every URL pattern of the app not excluded with a reason."""
    found = []
    for route, name, pattern in walk():
        if excluded_reason(route):
            continue
        parts = tuple(
            (kwarg, converter_name(conv)) for kwarg, conv in pattern.pattern.converters.items()
        )
        found.append(Endpoint(name, route, parts, pattern.callback))
    return found


def fill_parts(endpoint: Endpoint, ids: dict[str, int], named: dict[str, str]) -> dict[str, str]:
    """URL kwargs: planted ids for `<int:…>` parts, named values for the others (KeyError if new)."""
    values = {}
    for kwarg, converter in endpoint.parts:
        values[kwarg] = str(ids[kwarg]) if converter == "IntConverter" else named[kwarg]
    return values


def source_names(endpoint: Endpoint) -> tuple[set[str], set[str]]:
    """The query parameter and form field names the view function reads by name."""
    source = inspect.getsource(inspect.unwrap(endpoint.view))
    return set(GET_NAMES.findall(source)), set(POST_NAMES.findall(source))


def shared_query_names() -> set[str]:
    """Query parameters read for many pages by shared helpers (the cycle, the week, the page)."""
    from okrflow.checkins.views import common
    from okrflow.front import cycle_choice

    names = {"page"}  # every list's paginator
    for module in (cycle_choice, common):
        source = inspect.getsource(module)
        names |= set(GET_NAMES.findall(source)) | set(POST_NAMES.findall(source))
    return names


def form_class_fields(endpoint: Endpoint) -> set[str]:
    """Field names of the Django form classes the view function uses (without prefixes)."""
    source = inspect.getsource(inspect.unwrap(endpoint.view))
    names: set[str] = set()
    for name, value in vars(endpoint.module).items():
        if inspect.isclass(value) and issubclass(value, forms.BaseForm) and name in source:
            names.update(value.base_fields)
    return names


@dataclass
class HtmlForm:
    action: str
    method: str
    values: dict[str, list[str]] = field(default_factory=dict)  # field → its current value(s)


class FormParser(HTMLParser):
    """Collect every <form> with the names and current values of its fields."""

    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[HtmlForm] = []
        self.current: HtmlForm | None = None
        self.select: str | None = None
        self.select_first: str | None = None
        self.select_chosen = False
        self.textarea: str | None = None
        self.text: list[str] = []
        self.loose: dict[str, list[str]] = {}  # fields outside any form (htmx hx-include)

    def add(self, name: str, value: str) -> None:
        target = self.current.values if self.current else self.loose
        target.setdefault(name, [])
        if value not in target[name]:
            target[name].append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {key: value or "" for key, value in attrs}
        if tag == "form":
            action = attr.get("action") or attr.get("hx-post") or self.page_url
            self.current = HtmlForm(action, (attr.get("method") or "get").lower())
            if attr.get("hx-post"):
                self.current.method = "post"
            self.forms.append(self.current)
        name = attr.get("name")
        if not name:
            return
        if tag == "input":
            kind = attr.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in attr:
                self.add(name, "")
                return
            if kind == "file":
                self.add(name, "")
                return
            self.add(name, attr.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select":
            self.select, self.select_first, self.select_chosen = name, None, False
        elif tag == "textarea":
            self.textarea, self.text = name, []
        elif tag == "button" and attr.get("value") is not None:
            self.add(name, attr["value"])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None
        elif tag == "textarea" and self.textarea:
            self.add(self.textarea, "".join(self.text).strip("\n"))
            self.textarea = None
        elif tag == "select" and self.select:
            if not self.select_chosen:
                self.add(self.select, self.select_first or "")
            self.select = None

    def handle_option(self, attr: dict[str, str]) -> None:
        if self.select is None:
            return
        value = attr.get("value", "")
        if self.select_first is None:
            self.select_first = value
        if "selected" in attr and not self.select_chosen:
            self.select_chosen = True
            self.add(self.select, value)

    def unknown_decl(self, data: str) -> None:  # pragma: no cover - no such HTML here
        pass


class _OptionAwareParser(FormParser):
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "option":
            self.handle_option({key: value or "" for key, value in attrs})
            return
        super().handle_starttag(tag, attrs)


def forms_of(html: str, page_url: str) -> list[HtmlForm]:
    parser = _OptionAwareParser(page_url)
    parser.feed(html)
    if parser.loose:
        parser.forms.append(HtmlForm(page_url, "get", parser.loose))
    return parser.forms


def endpoint_name_of(url: str) -> str | None:
    """The URL name an address (a form's action) resolves to, or None when it is not ours."""
    path = urlsplit(url).path
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


@dataclass
class FieldSet:
    """What an endpoint reads: its query parameters and form fields, each with a valid value."""

    query: dict[str, str] = field(default_factory=dict)
    body: dict[str, str] = field(default_factory=dict)

    def merge_form(self, form: HtmlForm) -> None:
        target = self.body if form.method == "post" else self.query
        for name, values in form.values.items():
            if name == "csrfmiddlewaretoken":
                continue
            if not target.get(name):
                target[name] = next((value for value in values if value), "")

    def add_names(self, names: set[str], *, to_body: bool) -> None:
        target = self.body if to_body else self.query
        for name in names:
            target.setdefault(name, "")
