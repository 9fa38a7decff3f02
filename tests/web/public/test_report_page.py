"""/reports/<public_id>/: one published report, with its displaced point only."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from safespaces.accounts.models import User
from safespaces.audit.models import AuditEvent
from safespaces.reports.actions import archive_report, load_preset, submit_report
from safespaces.reports.models import Category, Report
from safespaces.web.public.report_map import SUPPORT_PER_REPORT_PER_DAY
from tests.reports.public_reports import TAHRIR, published_at
from tests.reports.submissions import EXACT_LATITUDE, EXACT_LONGITUDE, a_submission

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture(autouse=True)
def categories(db: None) -> list[Category]:
    cache.clear()
    return load_preset("street_harassment")


def url(report: Report) -> str:
    return f"/reports/{report.public_id}/"


def test_it_shows_a_published_report(bob: User) -> None:
    report = published_at(
        bob,
        TAHRIR,
        categories=["stalking"],
        occurred_on_estimated=True,
        time_from=datetime.time(21, 15),
        time_to=datetime.time(22, 0),
        place_text="In front of building 12",
        intervention_how="A shopkeeper shouted at him",
    )
    response = Client().get(url(report))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Stalking or following" in text
    assert report.public_id in text
    assert "About " in text
    assert "From 21:15 to 22:00." in text
    assert report.description in text
    # What the reporter said of the place and of who intervened stays with the moderators.
    assert "building 12" not in text
    assert "shopkeeper" not in text


def test_its_map_sits_at_the_displaced_point_never_the_exact_one(bob: User) -> None:
    report = published_at(bob, TAHRIR)
    text = Client().get(url(report)).content.decode()
    assert f'data-latitude="{TAHRIR[0]:f}"' in text
    assert 'data-radius="1000"' in text
    for exact in (EXACT_LATITUDE, EXACT_LONGITUDE):
        assert str(exact)[:8] not in text


@pytest.mark.parametrize("status", ["pending", "verified", "rejected", "archived"])
def test_it_answers_404_for_an_unpublished_report(bob: User, status: str) -> None:
    report = submit_report(a_submission())
    Report.objects.filter(pk=report.pk).update(status=status)
    assert Client().get(url(report)).status_code == 404


def test_it_answers_404_once_a_report_is_archived(bob: User) -> None:
    report = published_at(bob, TAHRIR)
    archive_report(report, bob)
    assert Client().get(url(report)).status_code == 404
    assert Client().get("/reports/NOSUCHCODE/").status_code == 404


def test_it_renders_report_text_inert(bob: User) -> None:
    report = published_at(bob, TAHRIR, description=XSS)
    text = Client().get(url(report)).content.decode()
    assert "<script>alert" not in text
    assert "&lt;script&gt;" in text


def test_this_happened_to_me_too_counts_one_more_supporter(bob: User) -> None:
    report = published_at(bob, TAHRIR)
    client = Client(enforce_csrf_checks=True)
    page = client.get(url(report))
    token = client.cookies["safespaces_csrf"].value
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()
    response = client.post(f"{url(report)}support/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert response["Location"] == f"{url(report)}?supported=1"
    report.refresh_from_db()
    assert report.support_count == 1
    thanks = client.get(response["Location"]).content.decode()
    assert "Thank you. You are not alone." in thanks
    assert "1 person said this happened to them too." in thanks
    assert AuditEvent.objects.filter(tag="report:support", target=report.public_id).count() == 1


def test_support_needs_the_forms_token() -> None:
    assert Client(enforce_csrf_checks=True).post("/reports/ANYTHING/support/").status_code == 403


def test_support_is_limited_per_client(bob: User) -> None:
    report = published_at(bob, TAHRIR)
    client = Client(REMOTE_ADDR="198.51.100.4")
    for _ in range(SUPPORT_PER_REPORT_PER_DAY):
        assert client.post(f"{url(report)}support/").status_code == 302
    refused = client.post(f"{url(report)}support/")
    assert refused.status_code == 429
    assert "Please try again later." in refused.content.decode()
    report.refresh_from_db()
    assert report.support_count == SUPPORT_PER_REPORT_PER_DAY
    # Someone else, on another connection, still counts.
    assert Client(REMOTE_ADDR="198.51.100.5").post(f"{url(report)}support/").status_code == 302


def test_support_for_an_unpublished_report_is_404(bob: User) -> None:
    report = submit_report(a_submission())
    assert Client().post(f"{url(report)}support/").status_code == 404
    report.refresh_from_db()
    assert report.support_count == 0


def test_it_shows_the_report_in_arabic_right_to_left(bob: User, settings: Any) -> None:
    report = published_at(bob, TAHRIR, categories=["stalking"])
    text = Client().get(f"/ar{url(report)}").content.decode()
    assert 'dir="rtl"' in text
    assert Category.objects.get(key="stalking").name_ar in text
