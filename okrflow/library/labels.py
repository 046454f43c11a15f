"""Names of the library's levels, marketing types, groups and shapes, in the user's language."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

LEVEL_LABELS = {
    "company": _("Company"),
    "department": _("Department"),
    "team": _("Team"),
    "department_head": _("Department head"),
    "specialist": _("Specialist"),
    "project": _("Project"),
}
MARKETING_LABELS = {
    "inbound": _("Inbound marketing"),
    "content": _("Content marketing"),
    "event": _("Event marketing"),
    "email": _("Email marketing"),
}
MARKETING_SHORT_LABELS = {
    "inbound": "Inbound",
    "content": "Content",
    "event": _("Event"),
    "email": "Email",
}
GROUP_LABELS = {
    "level": _("By level"),
    "marketing_type": _("By marketing type"),
    "alignment": _("Across departments"),
}
GROUP_NOTES = {
    "level": _("The same marketing goal, written at each level from the company to a specialist."),
    "marketing_type": _("Objectives for inbound, content, event and email marketing."),
    "alignment": _(
        "One company objective, customer retention, served by sales, marketing, product and "
        "support together; and marketing working with sales."
    ),
}
LANGUAGE_LABELS = {"vi": _("Vietnamese"), "en": _("English")}
KIND_LABELS = {"committed": _("Committed"), "aspirational": _("Aspirational")}
