"""The library's forms: template filters, using a template, importing, exporting, checking."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from okrflow.cycles.models import Cycle, CycleState
from okrflow.library.formats import FORMAT_LABELS
from okrflow.library.labels import LANGUAGE_LABELS, LEVEL_LABELS, MARKETING_LABELS
from okrflow.library.owners import owner_choices
from okrflow.library.uploads import MAX_IMPORT_BYTES, too_large_message

MAX_UPLOAD_BYTES = MAX_IMPORT_BYTES
# The confirm step carries a binary file back as base64: four characters for three bytes.
MAX_PAYLOAD_CHARS = (MAX_IMPORT_BYTES + 2) // 3 * 4
LANGUAGE_CHOICES = list(LANGUAGE_LABELS.items())


def open_cycles() -> Any:
    return Cycle.objects.exclude(state=CycleState.CLOSED).order_by("-start_date")


class TemplateFilterForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All levels")), *LEVEL_LABELS.items()]
    )
    marketing = forms.ChoiceField(
        label=_("Marketing type"),
        required=False,
        choices=[("", _("All types")), *MARKETING_LABELS.items()],
    )
    lang = forms.ChoiceField(label=_("Language"), required=False, choices=LANGUAGE_CHOICES)


class UseTemplateForm(forms.Form):
    cycle = forms.ModelChoiceField(label=_("Cycle"), queryset=Cycle.objects.none())
    owner = forms.ChoiceField(label=_("Owner"))
    lang = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = open_cycles()
        self.fields["owner"].choices = owner_choices(user)


class ImportForm(forms.Form):
    cycle = forms.ModelChoiceField(label=_("Import into cycle"), queryset=Cycle.objects.none())
    owner = forms.ChoiceField(
        label=_("Owner when the file names none"),
        required=False,
        help_text=_("Headings and owner columns that name a known person, unit or project win."),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[("", _("Recognise from the file")), *FORMAT_LABELS.items()],
    )
    file = forms.FileField(label=_("File"), required=False)
    # Not stripped: the text must come back exactly as previewed (and keep its line numbers).
    text = forms.CharField(
        label=_("Or paste the text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
    )
    on_duplicate = forms.ChoiceField(
        label=_("Objectives the cycle already has"),
        required=False,
        choices=[
            ("", _("Ask me")),
            ("skip", _("Skip them")),
            ("update", _("Update them (add what they lack)")),
        ],
    )
    payload = forms.CharField(required=False, widget=forms.HiddenInput)
    payload_name = forms.CharField(required=False, widget=forms.HiddenInput)
    checked = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, user: Any, upload_too_large: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = open_cycles()
        self.fields["owner"].choices = [("", _("— as the file says —")), *owner_choices(user)]
        # The upload handler stopped reading the file at the limit and left it out.
        self.upload_too_large = upload_too_large

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(too_large_message())
        return upload

    def clean_text(self) -> str:
        text = self.cleaned_data.get("text") or ""
        if len(text.encode("utf-8", errors="replace")) > MAX_IMPORT_BYTES:
            raise forms.ValidationError(too_large_message())
        return text

    def clean_payload(self) -> str:
        payload = self.cleaned_data.get("payload") or ""
        if len(payload) > MAX_PAYLOAD_CHARS:
            raise forms.ValidationError(too_large_message())
        return payload

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.upload_too_large:
            self.add_error("file", too_large_message())
            return data
        if not (data.get("file") or (data.get("text") or "").strip() or data.get("payload")):
            raise forms.ValidationError(_("Choose a file or paste the text to import."))
        return data


class ExportForm(forms.Form):
    cycle = forms.ModelChoiceField(label=_("Cycle"), queryset=Cycle.objects.all())
    format = forms.ChoiceField(label=_("Format"), choices=list(FORMAT_LABELS.items()))


class CheckForm(forms.Form):
    text = forms.CharField(
        label=_("Objective and key results"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 9, "spellcheck": "false"}),
    )
    lang = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Detect")), *LANGUAGE_CHOICES]
    )
