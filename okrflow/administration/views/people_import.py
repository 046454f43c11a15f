"""Import people from a CSV or XLSX file (upload, preview, confirm) and export everyone."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from okrflow.administration.decorators import admin_required
from okrflow.front.params import parse_id
from okrflow.library.uploads import LimitedUploadHandler
from okrflow.org.access import access_for
from okrflow.org.people_export import CONTENT_TYPES, EXPORT_FORMATS, export_people
from okrflow.org.people_files import (
    MAX_PEOPLE_ROWS,
    MAX_PEOPLE_UPLOAD_BYTES,
    UnreadableFile,
    read_table,
)
from okrflow.org.people_import import build_preview
from okrflow.org.people_plan import ImportFailed, PeoplePreview, Problem
from okrflow.org.people_uploads import drop_upload, find_upload, keep_upload
from okrflow.org.people_write import import_people


def too_large() -> str:
    return _("The file is larger than %(size)d MB.") % {
        "size": MAX_PEOPLE_UPLOAD_BYTES // 1_000_000
    }


class PeopleFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("People file (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def __init__(self, *args: Any, upload_too_large: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The upload handler stopped reading the file at the limit and left it out.
        self.upload_too_large = upload_too_large

    def clean(self) -> dict[str, Any]:
        if self.upload_too_large:
            self.errors.pop("file", None)
            self.add_error("file", too_large())
        return super().clean()

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > MAX_PEOPLE_UPLOAD_BYTES:
            raise forms.ValidationError(too_large())
        return upload


def page(
    request: HttpRequest, form: PeopleFileForm, status: int = 200, **extra: Any
) -> HttpResponse:
    context = {
        "section": "people_import",
        "form": form,
        "max_megabytes": MAX_PEOPLE_UPLOAD_BYTES // 1_000_000,
        "max_rows": MAX_PEOPLE_ROWS,
        "export_formats": EXPORT_FORMATS,
        **extra,
    }
    if extra.get("preview") is not None:
        context["signature"] = preview_signature(extra["preview"])
    return render(request, "administration/people_import.html", context, status=status)


@csrf_exempt  # checked in `people_import_post`, once the upload limit is in place
@require_http_methods(["GET", "POST"])
def people_import(request: HttpRequest) -> HttpResponse:
    """Upload a people file, see every change and problem, then confirm."""
    # Who may import is settled before any of the body is read (the CSRF check would read it
    # all); the upload is then read only up to the limit.
    if not request.user.is_authenticated:
        return admin_required(people_import_post)(request)
    if not access_for(request.user).is_admin:
        raise PermissionDenied
    if request.method == "GET":
        return page(request, PeopleFileForm())
    request.upload_handlers.insert(0, LimitedUploadHandler(request, MAX_PEOPLE_UPLOAD_BYTES))
    return people_import_post(request)


@csrf_protect
@admin_required
def people_import_post(request: HttpRequest) -> HttpResponse:
    """Preview an uploaded file, or import the stored file the admin confirms."""
    if request.POST.get("action") == "confirm":
        return confirm(request)
    form = PeopleFileForm(
        request.POST,
        request.FILES,
        upload_too_large=getattr(request, "upload_too_large", False),
    )
    if not form.is_valid():
        return page(request, form, status=400)
    upload = form.cleaned_data["file"]
    content = upload.read()
    try:
        preview = build_preview(read_table(content, upload.name), request.user)
    except UnreadableFile as error:
        form.add_error("file", str(error))
        return page(request, form, status=400)
    ready = preview.can_import and preview.change_count > 0
    stored = keep_upload(request.user, upload.name, content) if ready else None
    return page(request, PeopleFileForm(), preview=preview, upload=stored)


def confirm(request: HttpRequest) -> HttpResponse:
    """Import the previewed file, checked again against the organisation as it is now."""
    upload = find_upload(request.user, parse_id(request.POST.get("upload", "")))
    if upload is None:
        form = PeopleFileForm()
        return page(
            request,
            form,
            status=400,
            expired=_("This preview is no longer kept. Upload the file again."),
        )
    content = bytes(upload.content)
    try:
        preview = build_preview(read_table(content, upload.file_name), request.user)
    except UnreadableFile as error:
        preview = PeoplePreview(problems=[Problem(str(error))])
    if preview.can_import and request.POST.get("expected") != preview_signature(preview):
        # Someone changed the people since the preview: show what the file would do now.
        changed = _("The people changed since your preview. Check this new preview, then confirm.")
        return page(request, PeopleFileForm(), preview=preview, upload=upload, changed=changed)
    if preview.can_import:
        try:
            import_people(request.user, preview)
        except ImportFailed as failure:
            preview.problems = failure.problems
    if not preview.can_import:
        return page(request, PeopleFileForm(), status=400, preview=preview, failed=True)
    drop_upload(upload)
    messages.success(request, announcement(preview))
    return redirect(reverse("administration:people_import"))


def preview_signature(preview: PeoplePreview) -> str:
    """Sum up what a preview would do, so that a confirm imports what the admin saw."""
    counts = (len(preview.created), len(preview.updated), preview.unchanged, len(preview.new_units))
    return "-".join(str(count) for count in counts)


def announcement(preview: PeoplePreview) -> str:
    if not preview.change_count:
        return _("Nothing to change: everyone in the file is already as it says.")
    return _(
        "Imported: %(created)d people created, %(updated)d updated, %(units)d units created."
    ) % {
        "created": len(preview.created),
        "updated": len(preview.updated),
        "units": len(preview.new_units),
    }


@require_GET
@admin_required
def people_export(request: HttpRequest) -> HttpResponse:
    """Download everyone as the import reads them: CSV or XLSX."""
    format_name = request.GET.get("format", "csv")
    if format_name not in EXPORT_FORMATS:
        raise Http404(_("Unknown format."))
    response = HttpResponse(export_people(format_name), content_type=CONTENT_TYPES[format_name])
    response["Content-Disposition"] = f'attachment; filename="people.{format_name}"'
    return response
