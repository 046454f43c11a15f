"""Import and export pages: upload, preview with every problem, confirm; download per format."""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from okrflow.cycles.models import Cycle
from okrflow.front.params import parse_id
from okrflow.library.exporter import STREAMED, cycle_objectives, export_cycle, stream_export
from okrflow.library.formats import (
    CONTENT_TYPES,
    FILE_EXTENSIONS,
    FORMAT_LABELS,
    FORMATS,
    TEXT_FORMATS,
    detect_format,
    read_file,
)
from okrflow.library.forms import ImportForm
from okrflow.library.importer import ImportFailed, ImportResult, rehearse_import, run_import
from okrflow.library.mapping import CREATE, SKIP, HeadingMapper
from okrflow.library.owners import owner_choices, owner_from_choice
from okrflow.library.plans import Problem
from okrflow.library.preview import ImportPreview, build_preview
from okrflow.library.uploads import LimitedUploadHandler
from okrflow.library.views import page_cycle, require_member, user_language


def submitted_content(form: ImportForm) -> tuple[bytes, str]:
    """Return the bytes to import and their file name: an upload, the text box, or the carry-over."""
    data = form.cleaned_data
    upload = data.get("file")
    if upload is not None:
        return upload.read(), upload.name
    if (data.get("text") or "").strip():
        return data["text"].replace("\r\n", "\n").encode("utf-8"), data.get("payload_name") or ""
    name = data.get("payload_name") or ""
    try:
        return base64.b64decode(data.get("payload") or "", validate=True), name
    except (binascii.Error, ValueError):
        return b"", name


def normalised(content: bytes, format_name: str) -> bytes:
    """Drop a byte-order mark and Windows line ends, as the text box will send the text back."""
    if format_name not in TEXT_FORMATS:
        return content
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content
    return text.replace("\r\n", "\n").encode("utf-8")


def fingerprint(
    content: bytes, form: ImportForm, format_name: str, rows: list[tuple[str, str]]
) -> str:
    """Identify exactly what was previewed (with its mapping), so a confirm imports nothing else."""
    data = form.cleaned_data
    parts = [content, str(data["cycle"].pk).encode(), (data.get("owner") or "").encode()]
    parts.append(format_name.encode())
    parts.append((data.get("on_duplicate") or "").encode())
    parts += [f"{heading}={target}".encode() for heading, target in rows]
    return hashlib.sha256(b"\0".join(parts)).hexdigest()


def mapping_rows(request: HttpRequest) -> list[tuple[str, str]]:
    """The headings the person mapped on the preview, with what each was mapped to."""
    headings = request.POST.getlist("map_heading")
    targets = request.POST.getlist("map_target")
    rows = []
    for heading, target in zip(headings, targets, strict=False):
        if heading.strip() and target.strip():
            rows.append((heading.strip()[:300], target.strip()[:100]))
    return rows[:200]


def web_mapper(
    request: HttpRequest, rows: list[tuple[str, str]]
) -> tuple[HeadingMapper, list[str]]:
    """Turn the page's choices into a mapping; an owner not offered to this person is refused."""
    offered = {value for _label, options in owner_choices(request.user) for value, _n in options}
    mapping: dict[str, Any] = {}
    errors = []
    for heading, target in rows:
        if target in (SKIP, CREATE):
            mapping[heading] = target
            continue
        owner = owner_from_choice(target) if target in offered else None
        if owner is None:
            errors.append(
                _("“%(heading)s” is mapped to an owner you cannot choose here.")
                % {"heading": heading}
            )
            continue
        mapping[heading] = owner
    return HeadingMapper(mapping), errors


def preview_context(
    request: HttpRequest, form: ImportForm, content: bytes, filename: str
) -> dict[str, Any]:
    """Read and check the submitted file; prepare the form to carry it to the confirm step."""
    data = form.cleaned_data
    format_name = data.get("format") or detect_format(content, filename)
    content = normalised(content, format_name)
    owner = owner_from_choice(data.get("owner") or "")
    read = read_file(content, format_name)
    rows = mapping_rows(request)
    mapper, mapping_errors = web_mapper(request, rows)
    preview = build_preview(
        read,
        data["cycle"],
        request.user,
        default_owner=owner,
        number_lang=user_language(request),
        mapper=mapper,
        on_duplicate=data.get("on_duplicate") or "",
    )
    preview.problems = [Problem(message) for message in mapping_errors] + preview.problems
    if request.POST.get("action") != "confirm":
        # The preview is the dry run: it meets every check the confirmed import will meet.
        preview.problems = rehearse_import(request.user, preview) + preview.problems
    carried = form.data.copy()
    carried.pop("file", None)
    carried["checked"] = fingerprint(content, form, format_name, rows)
    carried["format"] = format_name
    carried["payload_name"] = filename
    if format_name in TEXT_FORMATS:
        try:
            carried["text"] = content.decode("utf-8")
            carried["payload"] = ""
        except UnicodeDecodeError:
            carried["payload"] = base64.b64encode(content).decode()
    else:
        carried["text"] = ""
        carried["payload"] = base64.b64encode(content).decode()
    return {
        "form": ImportForm(carried, user=request.user),
        "preview": preview,
        "format_label": FORMAT_LABELS.get(format_name, format_name),
        "editable": format_name in TEXT_FORMATS and not carried["payload"],
        "section": "import",
        "mapping": mapping_choices(request, preview, rows),
    }


def mapping_choices(
    request: HttpRequest, preview: ImportPreview, rows: list[tuple[str, str]]
) -> dict[str, Any]:
    """What the preview's mapping panel shows: every heading mapped or still unknown."""
    chosen = dict(rows)
    headings = list(dict.fromkeys([*chosen, *preview.unknown_owners]))
    if not headings:
        return {}
    return {
        "rows": [(heading, chosen.get(heading, "")) for heading in headings],
        "owners": owner_choices(request.user),
    }


def announce(request: HttpRequest, preview: ImportPreview, result: ImportResult) -> None:
    messages.success(
        request,
        ngettext(
            "Imported %(objectives)d objective with %(key_results)d key results into %(cycle)s.",
            "Imported %(objectives)d objectives with %(key_results)d key results into %(cycle)s.",
            len(result.objectives),
        )
        % {
            "objectives": len(result.objectives),
            "key_results": result.key_results,
            "cycle": preview.cycle.name,
        },
    )
    if result.alignments or result.initiatives or result.projects or result.updated:
        messages.info(
            request,
            _(
                "Alignments: %(alignments)d · initiatives: %(initiatives)d · new projects: "
                "%(projects)d · updated: %(updated)d · skipped: %(skipped)d."
            )
            % {
                "alignments": result.alignments,
                "initiatives": result.initiatives,
                "projects": result.projects,
                "updated": result.updated,
                "skipped": result.skipped,
            },
        )
    for warning in result.warnings:
        messages.warning(request, warning)


@csrf_exempt  # checked in import_upload, once the upload limit is in place
@require_http_methods(["GET", "POST"])
@login_required
def import_okrs(request: HttpRequest) -> HttpResponse:
    """Upload or paste OKRs, see what would be created and every problem, then confirm."""
    # Nothing of the request body has been read yet (the CSRF check would read it all): who
    # may import is settled first, and the upload is then read only up to the limit.
    require_member(request)
    if request.method == "GET":
        cycle = page_cycle(request)
        form = ImportForm(initial={"cycle": cycle}, user=request.user)
        return render(request, "library/import.html", {"form": form, "section": "import"})
    request.upload_handlers.insert(0, LimitedUploadHandler(request))
    return import_upload(request)


@csrf_protect
def import_upload(request: HttpRequest) -> HttpResponse:
    """Check the form (cycle, owner, sizes), then read the file and preview or import it."""
    form = ImportForm(
        request.POST,
        request.FILES,
        user=request.user,
        upload_too_large=getattr(request, "upload_too_large", False),
    )
    if not form.is_valid():
        return render(
            request, "library/import.html", {"form": form, "section": "import"}, status=400
        )
    content, filename = submitted_content(form)
    context = preview_context(request, form, content, filename)
    preview: ImportPreview = context["preview"]
    confirmed = request.POST.get("action") == "confirm"
    unchanged = form.cleaned_data.get("checked") == context["form"].data["checked"]
    if confirmed and not unchanged:
        context["changed"] = True
    elif confirmed and preview.can_import:
        try:
            result = run_import(request.user, preview)
        except ImportFailed as failure:
            preview.problems = failure.problems + preview.problems
            context["failed"] = True
        else:
            announce(request, preview, result)
            return redirect(f"{reverse('library:import')}?cycle={preview.cycle.pk}")
    return render(request, "library/import.html", context)


@require_GET
@login_required
def export_page(request: HttpRequest) -> HttpResponse:
    """Choose a cycle and download its OKRs in any format."""
    require_member(request)
    cycle = page_cycle(request) or Cycle.objects.first()
    asked = parse_id(request.GET.get("cycle", ""))
    if asked is not None:
        cycle = get_object_or_404(Cycle, pk=asked)
    count = cycle_objectives(cycle, request.user).count() if cycle else 0
    formats = [(name, FORMAT_LABELS[name], FILE_EXTENSIONS[name]) for name in FORMATS]
    context = {
        "cycle": cycle,
        "cycles": Cycle.objects.all(),
        "count": count,
        "formats": formats,
        "section": "export",
    }
    return render(request, "library/export.html", context)


@require_GET
@login_required
def download(
    request: HttpRequest, cycle_id: int, format_name: str
) -> HttpResponse | StreamingHttpResponse:
    """Download a cycle's OKRs that the user may see, as a file."""
    require_member(request)
    if format_name not in FORMATS:
        raise Http404(_("Unknown format."))
    cycle = get_object_or_404(Cycle, pk=cycle_id)
    response: HttpResponse | StreamingHttpResponse
    if format_name in STREAMED:
        # Written batch by batch as it is sent: a whole cycle is never in memory at once.
        pieces = stream_export(cycle, format_name, user=request.user, lang=user_language(request))
        response = StreamingHttpResponse(pieces, content_type=CONTENT_TYPES[format_name])
    else:
        body = export_cycle(cycle, format_name, user=request.user, lang=user_language(request))
        response = HttpResponse(body, content_type=CONTENT_TYPES[format_name])
    name = f"okrs-{slugify(cycle.name) or cycle.pk}.{FILE_EXTENSIONS[format_name]}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
