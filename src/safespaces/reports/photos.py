"""Photos a reporter attaches to a report: checked, stripped, re-encoded, and kept encrypted.

A photo's type is decided by its content (Pillow must open it as JPEG, PNG or WebP), never
by its name or the Content-Type the browser sent. Its pixels are copied into a new image,
turned the way its EXIF orientation says, and encoded again, so nothing of the original file
survives: no EXIF (nor GPS position), XMP, ICC profile, comment or trailing data. The result
is kept base64-encoded in an encrypted field with the photo's own data key.
"""

from __future__ import annotations

import base64
import io
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image, ImageOps, UnidentifiedImageError

from safespaces.audit.actions import record_event
from safespaces.reports.actions import submit_report
from safespaces.reports.models import Report, ReportPhoto
from safespaces.reports.validation import ReportSubmission

if TYPE_CHECKING:
    from safespaces.accounts.models import User

# Larger images are refused before their pixels are decoded (a "decompression bomb").
MAX_PIXELS = 40_000_000
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
JPEG_QUALITY = 90
CONTENT_TYPES = {ReportPhoto.Format.JPEG: "image/jpeg", ReportPhoto.Format.PNG: "image/png"}
ALPHA_MODES = ("RGBA", "LA", "PA", "RGBa", "La")
GREY_MODES = ("1", "L")


class PhotoRefused(ValueError):
    """A photo that cannot be accepted; the message, for the reporter, says why."""


@dataclass(frozen=True)
class CleanPhoto:
    """A photo re-encoded from its pixels alone, ready to be stored."""

    data: bytes
    format: str
    width: int
    height: int


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def too_large(name: str) -> PhotoRefused:
    return PhotoRefused(
        _("The photo %(name)s is larger than %(size)s MB. Choose a smaller photo.")
        % {"name": name, "size": megabytes(settings.SAFESPACES_REPORT_PHOTO_MAX_BYTES)}
    )


def too_many_pixels(name: str) -> PhotoRefused:
    return PhotoRefused(
        _("The photo %(name)s has more than %(megapixels)s million pixels. Choose a smaller photo.")
        % {"name": name, "megapixels": MAX_PIXELS // 1_000_000}
    )


def not_a_photo(name: str) -> PhotoRefused:
    return PhotoRefused(
        _("The file %(name)s is not a photo we can accept. Choose a JPEG, PNG or WebP photo.")
        % {"name": name}
    )


def clean_photo(data: bytes, name: str = "") -> CleanPhoto:
    """The photo, re-encoded without any of its metadata, or `PhotoRefused`."""
    if len(data) > settings.SAFESPACES_REPORT_PHOTO_MAX_BYTES:
        raise too_large(name)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as original:
                if original.width * original.height > MAX_PIXELS:
                    raise too_many_pixels(name)
                original.load()
                return reencode(original)
        except PhotoRefused:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as bomb:
            raise too_many_pixels(name) from bomb
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as unreadable:
            raise not_a_photo(name) from unreadable


def reencode(original: Image.Image) -> CleanPhoto:
    """A fresh image from the pixels alone, upright, as JPEG (or PNG where it has alpha)."""
    source_format = original.format
    upright = ImageOps.exif_transpose(original)
    has_alpha = upright.mode in ALPHA_MODES or (
        upright.mode == "P" and "transparency" in upright.info
    )
    if source_format == "JPEG" or (source_format == "WEBP" and not has_alpha):
        kind, mode = ReportPhoto.Format.JPEG, "L" if upright.mode in GREY_MODES else "RGB"
    else:
        kind = ReportPhoto.Format.PNG
        mode = "RGBA" if has_alpha else "L" if upright.mode in GREY_MODES else "RGB"
    converted = upright.convert(mode)
    # A new image made from raw pixels carries no `info` (EXIF, XMP, ICC, comment) at all.
    fresh = Image.frombytes(mode, converted.size, converted.tobytes())
    output = io.BytesIO()
    if kind == ReportPhoto.Format.JPEG:
        fresh.save(output, format="JPEG", quality=JPEG_QUALITY)
    else:
        fresh.save(output, format="PNG")
    return CleanPhoto(output.getvalue(), kind, fresh.width, fresh.height)


def clean_photos(uploads: Sequence[UploadedFile]) -> list[CleanPhoto]:
    """Every uploaded photo cleaned, or `PhotoRefused` for the first that cannot be."""
    limit = settings.SAFESPACES_REPORT_MAX_PHOTOS
    if len(uploads) > limit:
        raise PhotoRefused(
            ngettext(
                "You can add only %(count)d photo to a report. Choose fewer photos.",
                "You can add up to %(count)d photos to a report. Choose fewer photos.",
                limit,
            )
            % {"count": limit}
        )
    cleaned = []
    for upload in uploads:
        name = str(upload.name or "")
        max_bytes = settings.SAFESPACES_REPORT_PHOTO_MAX_BYTES
        if upload.size is not None and upload.size > max_bytes:
            raise too_large(name)
        upload.seek(0)
        cleaned.append(clean_photo(upload.read(max_bytes + 1), name))
    return cleaned


@transaction.atomic
def attach_photos(
    report: Report, photos: Sequence[CleanPhoto], actor: User | str | None = None
) -> list[ReportPhoto]:
    """Store the cleaned photos, encrypted, with the report."""
    stored = []
    for photo in photos:
        record = ReportPhoto(
            report=report,
            format=photo.format,
            width=photo.width,
            height=photo.height,
            byte_size=len(photo.data),
            image=base64.b64encode(photo.data).decode("ascii"),
        )
        record.save()
        stored.append(record)
    if stored:
        record_event(
            "report:photo_add",
            actor if actor is not None else "anonymous",
            report.public_id,
            {"count": len(stored)},
        )
    return stored


@transaction.atomic
def submit_report_with_photos(
    submission: ReportSubmission,
    photos: Sequence[CleanPhoto],
    *,
    idempotency_key: str | None = None,
) -> Report:
    """A new report and its photos together; sending it again adds no second set of photos."""
    report = submit_report(submission, idempotency_key=idempotency_key)
    if photos and not report.photos.exists():
        attach_photos(report, photos)
    return report


def image_bytes(photo: ReportPhoto) -> bytes:
    """The stored image, decrypted."""
    return base64.b64decode(photo.image or "")


def content_type(photo: ReportPhoto) -> str:
    return CONTENT_TYPES[ReportPhoto.Format(photo.format)]
