"""Coordinators import named places (CSV, GeoJSON, OpenStreetMap XML) from the console.

The upload is written to a temporary file as it arrives (never held whole in memory) and cut
off past SAFESPACES_GAZETTEER_UPLOAD_MAX_BYTES; the file then goes through the same reader and
import as `safespaces import-places`: all or nothing, each error naming its line, feature or
OSM element, each import an audit event `place:import`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from safespaces.geo.gazetteer.files import (
    FileImport,
    format_from_content,
    format_from_name,
    import_place_file,
)
from safespaces.geo.models import City, NamedPlace
from safespaces.web.staff.account import signed_in_staff

IMPORT = "geo.add_namedplace"
# Errors and skipped features listed on the page; the rest are counted.
LISTED = 50
# Room for the multipart envelope around the file (boundaries, the other fields).
ENVELOPE_BYTES = 64 * 1024
FORMAT_CHOICES = [
    ("", gettext_lazy("Tell from the file")),
    ("csv", gettext_lazy("CSV")),
    ("geojson", gettext_lazy("GeoJSON")),
    ("osm", gettext_lazy("OpenStreetMap XML (.osm)")),
]


class CappedUpload(TemporaryFileUploadHandler):
    """A temporary file on disk that stops taking bytes past the size limit."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.too_large = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > settings.SAFESPACES_GAZETTEER_UPLOAD_MAX_BYTES:
            self.too_large = True
            # The rest of the body is read and dropped, so the page can still answer.
            raise StopUpload(connection_reset=False)
        return super().receive_data_chunk(raw_data, start)


class PlaceFileForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File"))
    file_format = forms.ChoiceField(
        label=gettext_lazy("Format"), choices=FORMAT_CHOICES, required=False
    )
    city = forms.ModelChoiceField(
        label=gettext_lazy("City"),
        queryset=City.objects.order_by("name"),
        required=False,
        empty_label=gettext_lazy("None"),
        help_text=gettext_lazy("Links every place in the file to this city."),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Only check the file and count the changes: store nothing."),
        required=False,
    )


def size_limit() -> str:
    """The upload limit in words ("20.0 MB"), in the active language."""
    return str(filesizeformat(settings.SAFESPACES_GAZETTEER_UPLOAD_MAX_BYTES))


def page(
    request: HttpRequest,
    form: PlaceFileForm,
    outcome: FileImport | None = None,
    *,
    refusal: str = "",
    status: int = 200,
) -> HttpResponse:
    labels = dict(NamedPlace.Source.choices)
    counts = NamedPlace.objects.values_list("source").annotate(count=Count("pk")).order_by("source")
    sources = [{"label": labels.get(source, source), "count": count} for source, count in counts]
    context: dict[str, Any] = {
        "form": form,
        "outcome": outcome,
        "refusal": refusal,
        "sources": sources,
        "total": NamedPlace.objects.count(),
        "size_limit": size_limit(),
    }
    if outcome is not None:
        context["errors_shown"] = outcome.errors[:LISTED]
        context["errors_hidden"] = max(0, len(outcome.errors) - LISTED)
        context["skipped_shown"] = outcome.skipped[:LISTED]
        context["skipped_hidden"] = max(0, len(outcome.skipped) - LISTED)
    return render(request, "staff/gazetteer/import.html", context, status=status)


def too_large(request: HttpRequest) -> HttpResponse:
    refusal = _(
        "The file is larger than %(limit)s. Ask whoever runs the server to import it with "
        "safespaces import-places."
    ) % {"limit": size_limit()}
    return page(request, PlaceFileForm(), refusal=refusal, status=413)


def declared_too_large(request: HttpRequest) -> bool:
    declared = str(request.META.get("CONTENT_LENGTH") or "0")
    limit = settings.SAFESPACES_GAZETTEER_UPLOAD_MAX_BYTES + ENVELOPE_BYTES
    return declared.isdigit() and int(declared) > limit


# The CSRF check reads the body, so it is made once the upload handler is set (as on /report/).
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
@permission_required(IMPORT, raise_exception=True)
def gazetteer_import(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and declared_too_large(request):
        return too_large(request)
    handler = CappedUpload(request)
    request.upload_handlers = [handler]
    return checked_import(request, handler)


@csrf_protect
def checked_import(request: HttpRequest, handler: CappedUpload) -> HttpResponse:
    if request.method == "GET":
        return page(request, PlaceFileForm())
    form = PlaceFileForm(request.POST, request.FILES)
    if handler.too_large:
        return too_large(request)
    if not form.is_valid():
        return page(request, form, status=400)
    upload = form.cleaned_data["file"]
    assert isinstance(upload, TemporaryUploadedFile)  # the only handler writes to disk
    where = Path(upload.temporary_file_path())
    file_format = (
        form.cleaned_data["file_format"]
        or format_from_name(upload.name or "")
        or format_from_content(where)
    )
    outcome = import_place_file(
        where,
        file_format,
        city=form.cleaned_data["city"],
        actor=signed_in_staff(request),
        dry_run=form.cleaned_data["dry_run"],
    )
    upload.close()
    return page(request, PlaceFileForm(), outcome, status=200 if outcome.summary else 400)


urlpatterns: list[URLPattern] = [
    path("gazetteer/", gazetteer_import, name="gazetteer"),
]
