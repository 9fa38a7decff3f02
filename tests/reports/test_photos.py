from __future__ import annotations

import base64
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pytest_django.fixtures import Settings

from safespaces.audit.models import AuditEvent
from safespaces.reports import photos
from safespaces.reports.actions import submit_report
from safespaces.reports.models import Category, Report, ReportPhoto
from safespaces.reports.photos import (
    PhotoRefused,
    attach_photos,
    clean_photo,
    clean_photos,
    image_bytes,
    submit_report_with_photos,
)
from safespaces.vault.models import DataKey
from tests.reports.photo_files import (
    COMMENT_CANARY,
    GPS_CANARY,
    HTML,
    SVG,
    TEXT,
    TRAILER_CANARY,
    XMP_CANARY,
    decompression_bomb,
    encoded,
    jpeg_with_metadata,
    picture,
    png,
    webp,
)
from tests.reports.submissions import a_submission, database_dump

pytestmark = pytest.mark.django_db


def reopened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def upload(
    data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_it_strips_exif_gps_xmp_comment_and_trailing_data_from_a_jpeg() -> None:
    cleaned = clean_photo(jpeg_with_metadata(), "holiday.jpg")
    image = reopened(cleaned.data)
    assert image.format == "JPEG"
    assert dict(image.getexif()) == {}
    assert image.getexif().get_ifd(0x8825) == {}
    assert not {"exif", "xmp", "comment", "icc_profile"} & set(image.info)
    for canary in (GPS_CANARY.encode(), XMP_CANARY.encode(), COMMENT_CANARY, TRAILER_CANARY):
        assert canary not in cleaned.data
    assert b"http://ns.adobe.com" not in cleaned.data
    assert b"Exif" not in cleaned.data


def test_it_turns_the_photo_the_way_its_exif_orientation_says() -> None:
    cleaned = clean_photo(jpeg_with_metadata())
    # 64x48, red on the left and blue on the right, turned a quarter clockwise: red on top.
    assert (cleaned.width, cleaned.height) == (48, 64)
    image = reopened(cleaned.data).convert("RGB")
    top, bottom = image.getpixel((24, 5)), image.getpixel((24, 58))
    assert isinstance(top, tuple) and isinstance(bottom, tuple)
    assert top[0] > 200 and top[2] < 60
    assert bottom[2] > 200 and bottom[0] < 60


def test_it_keeps_a_png_as_a_png_and_a_transparent_webp_as_a_png() -> None:
    assert clean_photo(png()).format == ReportPhoto.Format.PNG
    assert clean_photo(webp(mode="RGBA")).format == ReportPhoto.Format.PNG
    assert reopened(clean_photo(webp(mode="RGBA")).data).mode == "RGBA"


def test_it_makes_an_opaque_webp_a_jpeg() -> None:
    cleaned = clean_photo(webp())
    assert cleaned.format == ReportPhoto.Format.JPEG
    assert reopened(cleaned.data).format == "JPEG"


@pytest.mark.parametrize("content", [TEXT, HTML, SVG], ids=["text", "html", "svg"])
def test_it_refuses_a_file_named_jpg_that_is_not_a_photo(content: bytes) -> None:
    with pytest.raises(PhotoRefused, match="is not a photo we can accept"):
        clean_photos([upload(content, "photo.jpg", "image/jpeg")])


def test_it_refuses_an_image_of_a_format_it_does_not_accept() -> None:
    with pytest.raises(PhotoRefused, match="Choose a JPEG, PNG or WebP photo"):
        clean_photo(encoded(picture(), "GIF"), "photo.png")


def test_it_refuses_a_cut_off_jpeg() -> None:
    whole = encoded(picture((400, 300)), "JPEG")
    with pytest.raises(PhotoRefused, match="is not a photo we can accept"):
        clean_photo(whole[: len(whole) // 2])


def test_it_refuses_a_photo_larger_than_the_setting(settings: Settings) -> None:
    data = jpeg_with_metadata()
    settings.SAFESPACES_REPORT_PHOTO_MAX_BYTES = len(data) - 1
    with pytest.raises(PhotoRefused, match=r"The photo big\.jpg is larger than"):
        clean_photos([upload(data, "big.jpg")])
    with pytest.raises(PhotoRefused, match="is larger than"):
        clean_photo(data, "big.jpg")


def test_it_refuses_a_decompression_bomb_with_a_clear_message() -> None:
    with pytest.raises(PhotoRefused, match="has more than 40 million pixels"):
        clean_photo(decompression_bomb(), "bomb.png")


def test_it_refuses_what_pillow_itself_calls_a_decompression_bomb(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(photos, "MAX_PIXELS", 10**12)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(PhotoRefused, match="million pixels"):
        clean_photo(png((100, 100)), "bomb.png")
    with pytest.raises(PhotoRefused, match="million pixels"):
        clean_photo(png((40, 40)), "warning.png")  # 1,600 pixels: Pillow only warns


def test_it_refuses_more_photos_than_the_setting(settings: Settings) -> None:
    settings.SAFESPACES_REPORT_MAX_PHOTOS = 2
    with pytest.raises(PhotoRefused, match="up to 2 photos"):
        clean_photos([upload(png(), f"{n}.png") for n in range(3)])
    assert len(clean_photos([upload(png(), f"{n}.png") for n in range(2)])) == 2


def test_it_stores_a_photo_encrypted_and_out_of_the_database_in_clear(
    categories: list[Category],
) -> None:
    cleaned = clean_photo(jpeg_with_metadata())
    report = submit_report_with_photos(a_submission(), [cleaned], idempotency_key="web:photo")
    stored = report.photos.get()
    assert image_bytes(ReportPhoto.objects.get(pk=stored.pk)) == cleaned.data
    dump = database_dump()
    encoded_text = base64.b64encode(cleaned.data).decode()
    assert encoded_text[:64] not in dump
    assert encoded_text[-64:] not in dump
    assert repr(cleaned.data[200:232])[2:-1] not in dump
    for path in Path(settings.SAFESPACES_DATA_DIR).rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            assert cleaned.data[200:264] not in content
            assert encoded_text[:64].encode() not in content


def test_it_records_the_photos_in_the_audit_log_without_their_content(
    categories: list[Category],
) -> None:
    report = submit_report(a_submission())
    attach_photos(report, [clean_photo(png()), clean_photo(webp())])
    event = AuditEvent.objects.get(tag="report:photo_add")
    assert (event.target, event.data, event.actor) == (report.public_id, {"count": 2}, "anonymous")


def test_sending_the_same_report_again_adds_no_second_set_of_photos(
    categories: list[Category],
) -> None:
    cleaned = [clean_photo(png())]
    first = submit_report_with_photos(a_submission(), cleaned, idempotency_key="web:again")
    second = submit_report_with_photos(a_submission(), cleaned, idempotency_key="web:again")
    assert first.pk == second.pk
    assert ReportPhoto.objects.count() == 1


def test_deleting_the_report_deletes_its_photos_and_their_keys(
    categories: list[Category],
) -> None:
    report = submit_report(a_submission())
    stored = attach_photos(report, [clean_photo(png()), clean_photo(png())])
    keys = [photo.data_key_id for photo in stored]
    Report.objects.filter(pk=report.pk).delete()
    assert not ReportPhoto.objects.exists()
    assert not DataKey.objects.filter(pk__in=keys).exists()


def test_a_listed_photo_leaves_its_image_unread_until_asked(categories: list[Category]) -> None:
    report = submit_report(a_submission())
    attach_photos(report, [clean_photo(png())])
    listed = report.photos.get()
    assert "image" in listed.get_deferred_fields()
    assert reopened(image_bytes(listed)).format == "PNG"
