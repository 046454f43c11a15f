"""Show each signed-in person okrflow in the language they chose."""

from __future__ import annotations

from collections.abc import Callable

from django.db import router
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import translation

from okrflow.compiled_reads import rows_by_ids
from okrflow.engine.text import clean_text
from okrflow.org.access import access_for
from okrflow.org.models import Person


class ActivateUserLanguageMiddleware:
    """Override the browser's language with the signed-in person's own choice."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        person = None
        if request.user.is_authenticated:
            access = access_for(request.user)
            if "person" not in access.__dict__:  # `Access.person`, not read yet this request
                access.__dict__["person"] = person_of_user(request.user.pk)
            person = access.person
        if person is not None and person.language:
            translation.activate(person.language)
            request.LANGUAGE_CODE = person.language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language() or "vi")
        return response


def person_of_user(user_id: int) -> Person | None:
    """Return what `Access.person` reads (the user's person, with their unit), its query
    compiled once (`rows_by_ids`): every signed-in request reads it, and compiling the queryset
    cost more than the database's answer."""
    found = rows_by_ids(
        "person of a user",
        lambda marks: Person.objects.select_related("unit").filter(user_id__in=marks),
        router.db_for_read(Person),
        [user_id],
    )
    return found[0] if found else None


def cleaned_query_dict(data: QueryDict) -> QueryDict:
    """Return a copy of GET/POST data without characters no database stores (NUL, controls)."""
    texts = [key for key in data] + [value for _key, values in data.lists() for value in values]
    if all(text.isprintable() for text in texts):
        return data
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        cleaned.setlist(clean_text(key), [clean_text(value) for value in values])
    cleaned._mutable = False
    return cleaned


class CleanInputMiddleware:
    """Clean every query parameter and form field before a view, a form or an action reads it.

    One place for the whole web app: a NUL typed into any field used to be stored by SQLite and
    refused by PostgreSQL (a server error), and a control character in a title broke XLSX files.
    Tab, line feed and carriage return stay, so multi-line texts keep their lines.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.GET = cleaned_query_dict(request.GET)
        if request.method == "POST":
            clean_form_when_read(request)
        return self.get_response(request)


def clean_form_when_read(request: HttpRequest) -> None:
    """Clean the form fields when something first reads them, not before.

    Reading the body here would parse every upload before the view decides whether the
    person may upload at all, and before it sets its own size-limiting upload handler (the
    import page does both). Django's `request.POST` loads the body through
    `_load_post_and_files`; wrapping it keeps the parsing where it was and cleans its result.
    """
    if hasattr(request, "_post"):  # an earlier middleware read it already
        request._post = cleaned_query_dict(request._post)  # type: ignore[attr-defined]
        return
    load = request._load_post_and_files  # type: ignore[attr-defined]

    def load_and_clean() -> None:
        load()
        request._post = cleaned_query_dict(request._post)  # type: ignore[attr-defined]

    request._load_post_and_files = load_and_clean  # type: ignore[attr-defined]
