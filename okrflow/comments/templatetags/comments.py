"""Show a comment's body: escaped, its line breaks kept, its mentions as links to the people."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def comment_body(shown: Any) -> SafeString:
    parts: list[str] = []
    for piece in shown.pieces:
        if isinstance(piece, str):
            parts.append(escape(piece).replace("\n", "<br>"))
        else:
            _mention, person = piece
            parts.append(
                format_html(
                    '<a class="mention" href="{}" data-person="{}">@{}</a>',
                    reverse("person_detail", args=[person.pk]),
                    person.pk,
                    person.full_name,
                )
            )
    return mark_safe("".join(parts))
