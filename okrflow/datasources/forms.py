"""The data source form: every kind's fields on one form, the page shows those of the chosen kind."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from okrflow.datasources.models import Schedule, SourceKind


class DataSourceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of source"), choices=SourceKind.choices)
    schedule = forms.ChoiceField(
        label=_("Read it"), choices=Schedule.choices, required=False, initial=Schedule.DAILY
    )
    url = forms.CharField(
        label=_("URL"),
        required=False,
        max_length=1000,
        help_text=_("JSON endpoint or CSV file (a published spreadsheet's CSV export)."),
    )
    json_path = forms.CharField(
        label=_("JSON path"),
        required=False,
        max_length=300,
        help_text=_("Where the number is, e.g. $.data.total or items[0].value."),
    )
    file_path = forms.CharField(
        label=_("or a file path on the server"),
        required=False,
        max_length=500,
        help_text=_("Only inside the folders the administrator allows."),
    )
    sheet = forms.CharField(
        label=_("Sheet"),
        required=False,
        max_length=100,
        help_text=_("A published spreadsheet's sheet: its gid number or its name."),
    )
    row = forms.CharField(
        label=_("Row"),
        required=False,
        max_length=20,
        help_text=_("1 = the first row under the header, or “last”."),
    )
    column = forms.CharField(
        label=_("Column"), required=False, max_length=100, help_text=_("A header name or a number.")
    )
    database_url = forms.CharField(
        label=_("Database URL"),
        required=False,
        max_length=1000,
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "postgres://user:password@host/db, mysql://… or sqlite:///path; a read-only user. "
            "Stored encrypted; leave empty to keep the stored one."
        ),
    )
    query = forms.CharField(
        label=_("SQL query"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Returns one row whose first column is the number."),
    )
    headers = forms.CharField(
        label=_("Request headers"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off"}),
        help_text=_(
            "One per line, e.g. Authorization: Bearer …. Stored encrypted; leave empty to keep "
            "the stored ones."
        ),
    )
    clear_headers = forms.BooleanField(label=_("Remove the stored headers"), required=False)
