from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from safespaces.accounts.models import User
from safespaces.reports.actions import load_preset, submit_report
from safespaces.reports.models import Category, Report, ReportPhoto
from safespaces.reports.photos import attach_photos, clean_photo
from tests.reports.photo_files import jpeg_with_metadata, png
from tests.reports.submissions import a_submission

pytestmark = pytest.mark.django_db

StaffClient = Callable[[User], Client]


@pytest.fixture(autouse=True)
def categories(db: None) -> list[Category]:
    return load_preset("street_harassment")


@pytest.fixture
def report() -> Report:
    return submit_report(a_submission())


@pytest.fixture
def photo(report: Report) -> ReportPhoto:
    jpeg, _png = attach_photos(report, [clean_photo(jpeg_with_metadata()), clean_photo(png())])
    return jpeg


def photo_url(photo: ReportPhoto, public_id: str | None = None) -> str:
    return reverse(
        "staff:report_photo",
        kwargs={"public_id": public_id or photo.report.public_id, "photo_id": photo.pk},
    )


def test_a_moderator_sees_the_photo_as_stored(
    photo: ReportPhoto, bob: User, staff_client: StaffClient
) -> None:
    response = staff_client(bob).get(photo_url(photo))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == clean_photo(jpeg_with_metadata()).data


def test_a_png_is_served_as_a_png(report: Report, bob: User, staff_client: StaffClient) -> None:
    attach_photos(report, [clean_photo(png())])
    stored = report.photos.get()
    response = staff_client(bob).get(photo_url(stored))
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")


@pytest.mark.parametrize("username", ["charlie", "dana"])
def test_staff_who_do_not_moderate_are_refused(
    photo: ReportPhoto, username: str, request: pytest.FixtureRequest, staff_client: StaffClient
) -> None:
    user: User = request.getfixturevalue(username)
    response = staff_client(user).get(photo_url(photo))
    assert response.status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(photo: ReportPhoto) -> None:
    response = Client().get(photo_url(photo))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("staff:login"))


def test_a_photo_is_not_found_under_another_report(
    photo: ReportPhoto, bob: User, staff_client: StaffClient
) -> None:
    other = submit_report(a_submission())
    response = staff_client(bob).get(photo_url(photo, public_id=other.public_id))
    assert response.status_code == 404


def test_a_photo_cannot_be_changed_by_a_post(
    photo: ReportPhoto, bob: User, staff_client: StaffClient
) -> None:
    assert staff_client(bob).post(photo_url(photo)).status_code == 405


def test_the_report_page_shows_its_photos_to_the_moderator(
    photo: ReportPhoto, bob: User, staff_client: StaffClient
) -> None:
    page = staff_client(bob).get(reverse("staff:report", args=[photo.report.public_id]))
    html = page.content.decode()
    assert f'<img src="{photo_url(photo)}"' in html
    for shown in photo.report.photos.all():
        assert html.count(f'"{photo_url(shown)}"') == 3  # an image, its link, a full-size link


def test_the_report_page_has_no_photo_section_when_there_are_none(
    report: Report, bob: User, staff_client: StaffClient
) -> None:
    page = staff_client(bob).get(reverse("staff:report", args=[report.public_id]))
    assert "/photos/" not in page.content.decode()
