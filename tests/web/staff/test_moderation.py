from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safespaces.accounts.models import User
from safespaces.audit.models import AuditEvent
from safespaces.reports.actions import load_preset, publish_report, submit_report
from safespaces.reports.locks import acquire_lock
from safespaces.reports.models import Category, Report, ReportLock
from safespaces.web.staff import moderation
from tests.conftest import MakeStaff
from tests.reports.submissions import EXACT_LATITUDE, EXACT_LONGITUDE, a_submission, yesterday

Status = Report.Status
StaffClient = Callable[[User], Client]
EXACT_TEXT = f"latitude {EXACT_LATITUDE:.6f}, longitude {EXACT_LONGITUDE:.6f}"


@pytest.fixture(autouse=True)
def categories(db: None) -> list[Category]:
    return load_preset("street_harassment")


@pytest.fixture
def erin(make_staff: MakeStaff) -> User:
    """A second moderator, working at the same time as bob."""
    return make_staff("moderator", username="erin")


def reported(**changes: Any) -> Report:
    return submit_report(a_submission(**changes))


def url(name: str, report: Report | None = None) -> str:
    return reverse(f"staff:{name}", kwargs={"public_id": report.public_id} if report else None)


def shown(client: Client, **query: str) -> list[str]:
    """The report codes the queue lists, in its order."""
    response = client.get(url("reports"), query)
    assert response.status_code == 200
    return [report.public_id for report in response.context["page"].object_list]


def tags(report: Report) -> list[str]:
    events = AuditEvent.objects.filter(target=report.public_id).order_by("sequence")
    return list(events.values_list("tag", flat=True))


def refreshed(report: Report) -> Report:
    return Report.objects.get(pk=report.pk)


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# Who may moderate


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_moderators_and_coordinators_open_the_queue_and_a_report(
    who: str, request: pytest.FixtureRequest, staff_client: StaffClient
) -> None:
    report = reported()
    client = staff_client(request.getfixturevalue(who))
    assert client.get(url("reports")).status_code == 200
    assert client.get(url("report", report)).status_code == 200


@pytest.mark.parametrize("who", ["charlie", "dana"])
def test_duty_officers_and_case_workers_are_refused(
    who: str, request: pytest.FixtureRequest, staff_client: StaffClient
) -> None:
    report = reported()
    client = staff_client(request.getfixturevalue(who))
    assert client.get(url("reports")).status_code == 403
    detail = client.get(url("report", report))
    assert detail.status_code == 403
    assert EXACT_TEXT not in detail.content.decode()
    assert client.post(url("report_verify", report)).status_code == 403
    assert refreshed(report).status == Status.PENDING


def test_anonymous_visitors_are_sent_to_the_login_page() -> None:
    report = reported()
    response = Client().get(url("report", report))
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/")


def test_the_menu_offers_reports_to_moderators_only(
    bob: User, charlie: User, staff_client: StaffClient
) -> None:
    assert url("reports") in staff_client(bob).get("/staff/").content.decode()
    assert url("reports") not in staff_client(charlie).get("/staff/").content.decode()


# The queue


def test_the_queue_lists_the_newest_first(bob: User, staff_client: StaffClient) -> None:
    first, second = reported(), reported()
    Report.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert shown(staff_client(bob)) == [second.public_id, first.public_id]


def test_the_queue_filters_by_status_category_channel_and_language(
    bob: User, staff_client: StaffClient
) -> None:
    pending = reported(categories=["ogling"], channel="sms", language="ar")
    verified = reported(categories=["catcalls", "ogling"])
    Report.objects.filter(pk=verified.pk).update(status=Status.VERIFIED)
    client = staff_client(bob)
    assert shown(client, status="verified") == [verified.public_id]
    assert sorted(shown(client, category="ogling")) == sorted(
        [pending.public_id, verified.public_id]
    )
    assert shown(client, category="catcalls") == [verified.public_id]
    assert shown(client, channel="sms") == [pending.public_id]
    assert shown(client, language="ar") == [pending.public_id]
    assert shown(client, status="pending", channel="web") == []


def test_the_queue_filters_by_the_date_it_happened(bob: User, staff_client: StaffClient) -> None:
    old = reported(occurred_on=yesterday() - datetime.timedelta(days=30))
    recent = reported(occurred_on=yesterday())
    client = staff_client(bob)
    since = (yesterday() - datetime.timedelta(days=7)).isoformat()
    until = (yesterday() - datetime.timedelta(days=8)).isoformat()
    assert shown(client, occurred_from=since) == [recent.public_id]
    assert shown(client, occurred_until=until) == [old.public_id]


def test_the_queue_searches_the_descriptions_without_regard_to_case(
    bob: User, staff_client: StaffClient
) -> None:
    bus = reported(description="A man grabbed my arm at the BUS stop.")
    reported(description="Shouting outside the bakery.")
    assert shown(staff_client(bob), q="bus stop") == [bus.public_id]


def test_the_queue_pages_through_many_reports(
    bob: User, staff_client: StaffClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(moderation, "PAGE_SIZE", 2)
    made = [reported(channel="sms") for _ in range(3)]
    client = staff_client(bob)
    first = client.get(url("reports"), {"channel": "sms"})
    assert len(first.context["page"].object_list) == 2
    assert "channel=sms&amp;page=2" in first.content.decode()
    second = shown(client, channel="sms", page="2")
    assert len(second) == 1
    assert second[0] in {report.public_id for report in made}


def test_the_queue_shows_no_exact_location(bob: User, staff_client: StaffClient) -> None:
    reported()
    body = staff_client(bob).get(url("reports")).content.decode()
    assert f"{EXACT_LATITUDE:.4f}" not in body
    assert f"{EXACT_LONGITUDE:.4f}" not in body


# Bulk changes


def bulk(client: Client, action: str, reports: list[Report], **extra: str) -> Any:
    data = {"action": action, "reports": [report.public_id for report in reports], **extra}
    return client.post(url("reports_bulk"), data, follow=True)


def test_bulk_verify_changes_only_the_selected_reports(
    bob: User, staff_client: StaffClient
) -> None:
    chosen, other, left = reported(), reported(), reported()
    response = bulk(staff_client(bob), "verify", [chosen, other])
    assert "2 reports were changed." in messages_of(response)
    assert refreshed(chosen).status == refreshed(other).status == Status.VERIFIED
    assert refreshed(left).status == Status.PENDING
    assert tags(chosen)[-1] == "report:verify"


def test_bulk_reject_needs_a_reason(bob: User, staff_client: StaffClient) -> None:
    report = reported()
    client = staff_client(bob)
    refused = bulk(client, "reject", [report])
    assert "Say why these reports are rejected." in messages_of(refused)
    assert refreshed(report).status == Status.PENDING
    bulk(client, "reject", [report], reason="Spam advertising a shop.")
    assert refreshed(report).status == Status.REJECTED
    assert refreshed(report).rejection_reason == "Spam advertising a shop."


def test_bulk_archive_skips_what_cannot_change_and_what_someone_is_editing(
    bob: User, erin: User, staff_client: StaffClient
) -> None:
    free, archived, edited = reported(), reported(), reported()
    Report.objects.filter(pk=archived.pk).update(status=Status.ARCHIVED)
    acquire_lock(edited, erin)
    response = bulk(staff_client(bob), "archive", [free, archived, edited])
    assert "1 report was changed." in messages_of(response)
    assert any(message.startswith("2 reports were left") for message in messages_of(response))
    assert refreshed(free).status == Status.ARCHIVED
    assert refreshed(edited).status == Status.PENDING


def test_bulk_changes_return_to_the_same_filters(bob: User, staff_client: StaffClient) -> None:
    report = reported()
    data = {"action": "verify", "reports": [report.public_id], "query": "status=pending&q=bus"}
    response = staff_client(bob).post(url("reports_bulk"), data)
    assert response["Location"] == f"{url('reports')}?status=pending&q=bus"


# One report


def test_the_detail_shows_every_field_and_the_exact_point_to_a_moderator(
    bob: User, staff_client: StaffClient
) -> None:
    report = reported(
        contact="+201001234567", intervention="yes", intervention_how="A shopkeeper stepped in."
    )
    body = staff_client(bob).get(url("report", report)).content.decode()
    for text in (
        report.public_id,
        "Two men followed me from the metro and shouted at me.",
        "Near the metro exit",
        "+201001234567",
        "A shopkeeper stepped in.",
        "It happened to me",
        EXACT_TEXT,
        f'data-latitude="{EXACT_LATITUDE:.7f}"',
        'data-tiles="/map/tiles/{z}/{x}/{y}.png"',
        "vendor/leaflet/leaflet.js",
    ):
        assert text in body


def test_the_detail_renders_reporters_text_inert(bob: User, staff_client: StaffClient) -> None:
    report = reported(description='<script>alert("x")</script>', place_text="<b>here</b>")
    body = staff_client(bob).get(url("report", report)).content.decode()
    assert '<script>alert("x")' not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    assert "<b>here</b>" not in body


def test_publishing_through_the_page_shows_the_displaced_point(
    bob: User, staff_client: StaffClient
) -> None:
    report = reported()
    client = staff_client(bob)
    before = client.get(url("report", report)).content.decode()
    assert "Its location is moved once" in before
    response = client.post(url("report_publish", report), follow=True)
    assert "The report is published with its displaced location." in messages_of(response)
    published = refreshed(report)
    assert published.status == Status.PUBLISHED
    assert f"latitude {published.public_latitude:.6f}" in response.content.decode()
    assert tags(report)[-1] == "report:publish"


def test_a_report_without_public_consent_is_not_published(
    bob: User, staff_client: StaffClient
) -> None:
    report = reported(consent_public=False)
    client = staff_client(bob)
    assert "did not agree" in client.get(url("report", report)).content.decode()
    response = client.post(url("report_publish", report), follow=True)
    assert "The reporter did not agree to this report being public." in messages_of(response)
    assert refreshed(report).status == Status.PENDING


def test_verifying_and_archiving_through_the_page_are_audited(
    bob: User, staff_client: StaffClient
) -> None:
    report = reported()
    client = staff_client(bob)
    client.post(url("report_verify", report))
    assert refreshed(report).status == Status.VERIFIED
    refused = client.post(url("report_verify", report), follow=True)
    assert "Only a pending report can be verified." in messages_of(refused)
    client.post(url("report_archive", report))
    assert refreshed(report).status == Status.ARCHIVED
    assert tags(report) == ["report:submit", "report:verify", "report:archive"]


def test_rejecting_through_the_page_needs_a_reason(bob: User, staff_client: StaffClient) -> None:
    report = reported()
    client = staff_client(bob)
    client.post(url("report_reject", report), {"reason": ""})
    assert refreshed(report).status == Status.PENDING
    client.post(url("report_reject", report), {"reason": "A test message, not an incident."})
    rejected = refreshed(report)
    assert (rejected.status, rejected.rejection_reason) == (
        Status.REJECTED,
        "A test message, not an incident.",
    )
    assert tags(report)[-1] == "report:reject"


def test_the_categories_are_edited_through_the_page(bob: User, staff_client: StaffClient) -> None:
    report = reported(categories=["catcalls"])
    staff_client(bob).post(url("report_categories", report), {"categories": ["ogling", "touching"]})
    assert sorted(report.categories.values_list("key", flat=True)) == ["ogling", "touching"]
    assert tags(report)[-1] == "report:categories"


def retire(key: str) -> None:
    category = Category.objects.get(key=key)
    category.is_active = False
    category.save()


def test_a_category_made_inactive_since_is_shown_ticked_on_its_reports(
    bob: User, staff_client: StaffClient
) -> None:
    report = reported(categories=["catcalls", "ogling"])
    retire("catcalls")
    form = staff_client(bob).get(url("report", report)).context["categories_form"]
    choices = dict(form.fields["categories"].choices)
    assert choices["catcalls"] == "Catcalls and whistles (no longer in use)"
    assert sorted(form.initial["categories"]) == ["catcalls", "ogling"]
    other = staff_client(bob).get(url("report", reported(categories=["ogling"])))
    assert "catcalls" not in dict(other.context["categories_form"].fields["categories"].choices)


def test_saving_the_categories_keeps_an_inactive_one_left_ticked(
    bob: User, staff_client: StaffClient
) -> None:
    report = reported(categories=["catcalls"])
    retire("catcalls")
    response = staff_client(bob).post(
        url("report_categories", report), {"categories": ["catcalls", "ogling"]}, follow=True
    )
    assert messages_of(response) == ["The categories are saved."]
    assert sorted(report.categories.values_list("key", flat=True)) == ["catcalls", "ogling"]


def test_an_inactive_category_is_dropped_when_unticked_and_cannot_come_back(
    bob: User, staff_client: StaffClient
) -> None:
    report = reported(categories=["catcalls", "ogling"])
    retire("catcalls")
    client = staff_client(bob)
    client.post(url("report_categories", report), {"categories": ["ogling"]})
    assert list(report.categories.values_list("key", flat=True)) == ["ogling"]
    client.post(url("report_categories", report), {"categories": ["catcalls", "ogling"]})
    assert list(report.categories.values_list("key", flat=True)) == ["ogling"]


def test_the_location_is_corrected_before_publication_only(
    bob: User, staff_client: StaffClient
) -> None:
    report = reported()
    client = staff_client(bob)
    data = {
        "latitude": "30.05",
        "longitude": "31.24",
        "place_text": "Tahrir",
        "precision": "street",
    }
    client.post(url("report_location", report), data)
    moved = refreshed(report)
    assert (moved.point, moved.place_text, moved.precision) == ((30.05, 31.24), "Tahrir", "street")
    assert tags(report)[-1] == "report:location"
    publish_report(moved, bob)
    refused = client.post(url("report_location", report), {**data, "latitude": "30.1"}, follow=True)
    assert "The location of a published report cannot change." in messages_of(refused)
    assert refreshed(report).point == (30.05, 31.24)
    assert "cannot change" in refused.content.decode()
    assert 'id="location-form"' not in refused.content.decode()


def test_a_location_out_of_range_is_refused(bob: User, staff_client: StaffClient) -> None:
    report = reported()
    data = {"latitude": "95", "longitude": "31.24", "precision": "street"}
    staff_client(bob).post(url("report_location", report), data)
    assert refreshed(report).point == (EXACT_LATITUDE, EXACT_LONGITUDE)


# The edit lock


def test_opening_a_report_takes_its_edit_lock(bob: User, staff_client: StaffClient) -> None:
    report = reported()
    body = staff_client(bob).get(url("report", report)).content.decode()
    assert ReportLock.objects.get(report=report).holder == bob
    assert "You are editing this report until" in body


def test_a_second_moderator_sees_who_is_editing_and_cannot_change_it(
    bob: User, erin: User, staff_client: StaffClient
) -> None:
    report = reported()
    staff_client(bob).get(url("report", report))
    client = staff_client(erin)
    body = client.get(url("report", report)).content.decode()
    assert "This report is being edited by bob until" in body
    assert "Break the lock" not in body
    assert url("report_verify", report) not in body
    refused = client.post(url("report_verify", report), follow=True)
    assert messages_of(refused)[0].startswith("This report is being edited by bob until")
    assert refreshed(report).status == Status.PENDING
    assert client.post(url("report_break_lock", report)).status_code == 403


def test_a_second_moderator_may_change_it_once_the_lock_expired(
    bob: User, erin: User, staff_client: StaffClient
) -> None:
    report = reported()
    staff_client(bob).get(url("report", report))
    ReportLock.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    staff_client(erin).post(url("report_verify", report))
    assert refreshed(report).status == Status.VERIFIED
    assert ReportLock.objects.get(report=report).holder == erin


def test_stopping_editing_lets_the_next_moderator_in(
    bob: User, erin: User, staff_client: StaffClient
) -> None:
    report = reported()
    client = staff_client(bob)
    client.get(url("report", report))
    client.post(url("report_release", report))
    staff_client(erin).post(url("report_verify", report))
    assert refreshed(report).status == Status.VERIFIED


def test_a_coordinator_breaks_the_lock_and_it_is_audited(
    alice: User, bob: User, staff_client: StaffClient
) -> None:
    report = reported()
    staff_client(bob).get(url("report", report))
    client = staff_client(alice)
    assert "Break the lock" in client.get(url("report", report)).content.decode()
    response = client.post(url("report_break_lock", report), follow=True)
    assert "The edit lock is broken; the report is yours to edit." in messages_of(response)
    assert ReportLock.objects.get(report=report).holder == alice
    assert "report:lock_break" in tags(report)


# Duplicates


def test_the_detail_suggests_duplicates_and_merges_one(
    bob: User, staff_client: StaffClient
) -> None:
    kept = reported()
    duplicate = reported()
    Report.objects.filter(pk=duplicate.pk).update(support_count=4)
    client = staff_client(bob)
    body = client.get(url("report", kept)).content.decode()
    assert f"Merge {duplicate.public_id} into this report" in body
    response = client.post(
        url("report_merge", kept), {"duplicate": duplicate.public_id}, follow=True
    )
    assert "The duplicate is merged into this report and archived." in messages_of(response)
    merged = refreshed(duplicate)
    assert (merged.status, merged.merged_into_id) == (Status.ARCHIVED, kept.pk)
    assert refreshed(kept).support_count == 4
    assert tags(duplicate)[-1] == "report:merge"


def test_merging_a_report_someone_else_is_editing_is_refused(
    bob: User, erin: User, staff_client: StaffClient
) -> None:
    kept, duplicate = reported(), reported()
    acquire_lock(duplicate, erin)
    response = staff_client(bob).post(
        url("report_merge", kept), {"duplicate": duplicate.public_id}, follow=True
    )
    assert messages_of(response)[0].startswith("This report is being edited by erin until")
    assert refreshed(duplicate).merged_into_id is None


def test_merging_an_unknown_code_is_refused(bob: User, staff_client: StaffClient) -> None:
    kept = reported()
    response = staff_client(bob).post(url("report_merge", kept), {"duplicate": "NOPE"}, follow=True)
    assert "There is no report with this code to merge." in messages_of(response)


def test_a_moderator_withdraws_consent_and_the_report_leaves_the_public_pages(
    bob: User, staff_client: Callable[[User], Client]
) -> None:
    report = publish_report(reported(consent_public=True), bob)
    public_page = f"/reports/{report.public_id}/"
    assert Client().get(public_page).status_code == 200
    client = staff_client(bob)
    detail = client.get(url("report", report)).content.decode()
    assert url("report_withdraw_consent", report) in detail
    response = client.post(url("report_withdraw_consent", report))
    assert response.status_code == 302
    assert refreshed(report).consent_public is False
    assert Client().get(public_page).status_code == 404
    assert "report:consent_withdraw" in tags(report)
    detail = client.get(url("report", report)).content.decode()
    assert url("report_withdraw_consent", report) not in detail
