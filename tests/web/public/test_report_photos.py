"""Photos on step two of `/report/`, the way a browser without JavaScript sends them."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files import uploadhandler
from django.test import Client
from PIL import Image
from pytest_django.fixtures import Settings

from safespaces.reports.actions import load_preset
from safespaces.reports.models import Category, Report
from safespaces.reports.photos import image_bytes
from tests.reports.photo_files import GPS_CANARY, HTML, SVG, jpeg_with_metadata, png
from tests.web.public.test_reporting import URL, field_error, form_of, step_one, step_two

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def categories(db: None) -> list[Category]:
    cache.clear()  # the rate-limit counters live in the cache
    return load_preset("street_harassment")


def named(data: bytes, name: str) -> io.BytesIO:
    """A file as the Django client uploads it: its name is all the browser would say."""
    upload = io.BytesIO(data)
    upload.name = name
    return upload


def step_two_page(client: Client) -> bytes:
    """Step two, reached the way a reporter does: step one's form filled and posted."""
    first = form_of(client.get(URL).content)
    answers: dict[str, Any] = {**first, **step_one(submission_key=first["submission_key"][0])}
    response = client.post(URL, answers)
    assert b"Step 2 of 2" in response.content
    return response.content


def send_with(client: Client, page: bytes, *files: io.BytesIO, action: str = "send") -> Any:
    data: dict[str, Any] = {**form_of(page), **step_two(), "action": action}
    data["photos"] = list(files)
    return client.post(URL, data)


def test_step_two_asks_for_photos_in_a_form_that_can_carry_files(client: Client) -> None:
    page = step_two_page(client).decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'type="file" name="photos"' in page
    assert 'accept="image/jpeg,image/png,image/webp"' in page
    assert "choose your photos again" in page


def test_step_two_offers_no_photos_when_the_setting_is_zero(
    client: Client, settings: Settings
) -> None:
    settings.SAFESPACES_REPORT_MAX_PHOTOS = 0
    assert b'type="file"' not in step_two_page(client)


def test_a_report_is_sent_with_its_photo_stripped_of_metadata(client: Client) -> None:
    page = step_two_page(client)
    response = send_with(client, page, named(jpeg_with_metadata(), "IMG_0001.jpg"))
    assert response.status_code == 200
    assert b"Step 2 of 2" not in response.content
    report = Report.objects.get()
    stored = image_bytes(report.photos.get())
    assert GPS_CANARY.encode() not in stored
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG"
    assert dict(image.getexif()) == {}
    assert report.contact == "+20 100 000 0000"


def test_photos_come_with_the_report_when_the_questions_are_skipped(client: Client) -> None:
    page = step_two_page(client)
    send_with(client, page, named(png(), "a.png"), named(png(), "b.png"), action="skip")
    report = Report.objects.get()
    assert report.photos.count() == 2
    assert report.contact is None


def test_a_report_without_photos_is_sent_as_before(client: Client) -> None:
    send_with(client, step_two_page(client))
    assert Report.objects.get().photos.count() == 0


@pytest.mark.parametrize("content", [HTML, SVG], ids=["html", "svg"])
def test_a_file_named_jpg_that_is_not_a_photo_is_refused_and_nothing_is_sent(
    client: Client, content: bytes
) -> None:
    page = step_two_page(client)
    response = send_with(client, page, named(content, "photo.jpg"))
    assert "is not a photo we can accept" in field_error(response.content, "photos")
    assert not Report.objects.exists()
    again = form_of(response.content)
    assert again["contact"] == ["+20 100 000 0000"]
    assert again["submission_key"] == form_of(page)["submission_key"]


def test_a_photo_over_the_size_limit_is_refused_with_a_clear_message(
    client: Client, settings: Settings
) -> None:
    settings.SAFESPACES_REPORT_PHOTO_MAX_BYTES = 1024 * 1024
    page = step_two_page(client)
    big = named(b"\xff\xd8" + b"\0" * (1024 * 1024), "big.jpg")
    response = send_with(client, page, big)
    assert field_error(response.content, "photos") == (
        "The photo big.jpg is larger than 1 MB. Choose a smaller photo."
    )
    assert not Report.objects.exists()


def test_too_many_photos_are_refused(client: Client, settings: Settings) -> None:
    settings.SAFESPACES_REPORT_MAX_PHOTOS = 1
    page = step_two_page(client)
    response = send_with(client, page, named(png(), "a.png"), named(png(), "b.png"))
    assert "only 1 photo" in field_error(response.content, "photos")
    assert not Report.objects.exists()


def test_photos_are_never_written_to_a_temporary_file(
    client: Client, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a photo was written to a temporary file")

    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1  # Django's own handlers would spill to disk
    monkeypatch.setattr(uploadhandler, "TemporaryUploadedFile", refuse)
    page = step_two_page(client)
    send_with(client, page, named(jpeg_with_metadata(), "IMG_0001.jpg"))
    assert Report.objects.get().photos.count() == 1


def test_the_form_still_needs_its_csrf_token() -> None:
    client = Client(enforce_csrf_checks=True)
    page = step_two_page(client)
    data: dict[str, Any] = {**form_of(page), **step_two(), "action": "send"}
    data.pop("csrfmiddlewaretoken")
    data["photos"] = [named(png(), "a.png")]
    assert client.post(URL, data).status_code == 403
    assert not Report.objects.exists()
