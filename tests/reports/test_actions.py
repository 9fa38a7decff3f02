from __future__ import annotations

from typing import Any

import pytest

from safespaces.accounts.models import User
from safespaces.audit.models import AuditEvent
from safespaces.geo import privacy
from safespaces.geo.cells import cell_id
from safespaces.reports import actions
from safespaces.reports.actions import (
    ReportNotFound,
    TransitionRefused,
    archive_report,
    express_support,
    load_configured_presets,
    load_preset,
    publish_report,
    reject_report,
    submit_report,
    update_report_categories,
    update_report_location,
    verify_report,
)
from safespaces.reports.models import PUBLIC_CELL_RESOLUTIONS, Category, Report
from safespaces.reports.validation import ReportInvalid
from tests.reports.submissions import (
    EXACT_LATITUDE,
    EXACT_LONGITUDE,
    a_submission,
    database_dump,
)

pytestmark = pytest.mark.usefixtures("categories")

Status = Report.Status


def last_event() -> AuditEvent:
    return AuditEvent.objects.order_by("-sequence").first()  # type: ignore[return-value]


def submitted(**changes: Any) -> Report:
    return submit_report(a_submission(**changes))


def test_it_submits_a_pending_report_with_its_categories() -> None:
    report = submitted(categories=["ogling", "catcalls"])
    report.refresh_from_db()
    assert report.status == Status.PENDING
    assert sorted(report.categories.values_list("key", flat=True)) == ["catcalls", "ogling"]
    assert report.point == (EXACT_LATITUDE, EXACT_LONGITUDE)
    assert report.public_point is None


def test_it_keeps_only_the_area_cell_of_the_exact_point_in_clear() -> None:
    report = submitted()
    assert report.area_cell == cell_id(EXACT_LATITUDE, EXACT_LONGITUDE, 7)


def test_the_exact_point_and_contact_are_absent_from_a_raw_database_dump() -> None:
    submitted(contact="canary-contact-0147")
    dump = database_dump()
    assert repr(EXACT_LATITUDE) not in dump
    assert repr(EXACT_LONGITUDE) not in dump
    assert "canary-contact-0147" not in dump


def test_submitting_writes_an_audit_event_without_personal_data() -> None:
    report = submitted(contact="canary-contact-0147")
    event = last_event()
    assert (event.tag, event.actor) == ("report:submit", "anonymous")
    assert event.target == report.public_id
    assert event.data == {"channel": "web"}


def test_staff_submitting_on_someones_behalf_are_the_actor(bob: User) -> None:
    submit_report(a_submission(channel="staff"), actor=bob)
    assert last_event().actor == bob.pseudonym


def test_a_repeated_idempotency_key_creates_one_report() -> None:
    first = submit_report(a_submission(), idempotency_key="phone-42-report-1")
    again = submit_report(a_submission(description="resent"), idempotency_key="phone-42-report-1")
    assert again.pk == first.pk
    assert Report.objects.count() == 1
    assert AuditEvent.objects.filter(tag="report:submit").count() == 1


def test_different_idempotency_keys_create_different_reports() -> None:
    submit_report(a_submission(), idempotency_key="one")
    submit_report(a_submission(), idempotency_key="two")
    assert Report.objects.count() == 2


def test_it_draws_another_public_id_when_one_is_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    taken = submitted().public_id
    monkeypatch.setattr(Report._meta.get_field("public_id"), "_get_default", lambda: taken)
    monkeypatch.setattr(actions, "new_public_id", lambda: "NEWC0DE123")
    assert submitted().public_id == "NEWC0DE123"


def test_an_invalid_submission_creates_nothing() -> None:
    with pytest.raises(ReportInvalid):
        submitted(categories=["weather"])
    assert not Report.objects.exists()
    assert not AuditEvent.objects.filter(tag="report:submit").exists()


def test_it_verifies_a_pending_report(bob: User) -> None:
    report = verify_report(submitted(), bob)
    assert Report.objects.get(pk=report.pk).status == Status.VERIFIED
    event = last_event()
    assert (event.tag, event.actor) == ("report:verify", bob.pseudonym)
    assert event.target == report.public_id
    assert event.data == {"from": "pending"}


def test_it_verifies_only_pending_reports(bob: User) -> None:
    report = verify_report(submitted(), bob)
    with pytest.raises(TransitionRefused):
        verify_report(report, bob)


def test_it_publishes_a_displaced_point_with_its_public_cells(bob: User) -> None:
    report = publish_report(submitted(), bob)
    stored = Report.objects.get(pk=report.pk)
    assert stored.status == Status.PUBLISHED
    assert stored.published_at is not None
    assert stored.public_point is not None
    assert stored.public_point != (EXACT_LATITUDE, EXACT_LONGITUDE)
    expected = privacy.public_cells(*stored.public_point)
    for resolution in PUBLIC_CELL_RESOLUTIONS:
        assert getattr(stored, f"public_cell_{resolution}") == expected[resolution]
    event = last_event()
    assert (event.tag, event.target) == ("report:publish", report.public_id)


def test_the_public_cell_columns_cover_every_public_resolution() -> None:
    assert tuple(PUBLIC_CELL_RESOLUTIONS) == tuple(privacy.PUBLIC_RESOLUTIONS)


def test_it_displaces_with_the_deployments_epsilon(
    bob: User, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.SAFESPACES_LOCATION_MEAN_DISPLACEMENT_METRES = 800.0
    calls: list[tuple[float, float, float]] = []

    def recording_displace(lat: float, lng: float, epsilon: float) -> tuple[float, float]:
        calls.append((lat, lng, epsilon))
        return 30.05, 31.24

    monkeypatch.setattr(actions, "displace", recording_displace)
    report = publish_report(submitted(), bob)
    assert calls == [(EXACT_LATITUDE, EXACT_LONGITUDE, 2.0 / 800.0)]
    assert report.public_point == (30.05, 31.24)


def test_republishing_keeps_the_first_public_point(bob: User) -> None:
    report = publish_report(submitted(), bob)
    first_point = Report.objects.get(pk=report.pk).public_point
    archive_report(report, bob)
    publish_report(report, bob)
    stored = Report.objects.get(pk=report.pk)
    assert stored.status == Status.PUBLISHED
    assert stored.public_point == first_point


def test_it_refuses_to_publish_without_public_consent(bob: User) -> None:
    report = submitted(consent_public=False)
    with pytest.raises(TransitionRefused):
        publish_report(report, bob)
    stored = Report.objects.get(pk=report.pk)
    assert (stored.status, stored.public_point) == (Status.PENDING, None)


def test_it_refuses_to_publish_a_report_without_a_point(bob: User) -> None:
    report = submitted(latitude=None, longitude=None, place_text="Downtown")
    with pytest.raises(TransitionRefused):
        publish_report(report, bob)


def test_it_refuses_to_publish_a_published_or_rejected_report(bob: User) -> None:
    published = publish_report(submitted(), bob)
    with pytest.raises(TransitionRefused):
        publish_report(published, bob)
    rejected = reject_report(submitted(), bob, "Spam.")
    with pytest.raises(TransitionRefused):
        publish_report(rejected, bob)


def test_it_rejects_with_a_reason_kept_out_of_the_audit_log(bob: User) -> None:
    report = reject_report(submitted(), bob, "  Advertising for a shop.\x00 ")
    stored = Report.objects.get(pk=report.pk)
    assert (stored.status, stored.rejection_reason) == (Status.REJECTED, "Advertising for a shop.")
    event = last_event()
    assert (event.tag, event.data) == ("report:reject", {"from": "pending"})


def test_it_refuses_to_reject_without_a_reason(bob: User) -> None:
    report = submitted()
    with pytest.raises(ReportInvalid) as caught:
        reject_report(report, bob, " \n ")
    assert list(caught.value.errors) == ["reason"]
    assert Report.objects.get(pk=report.pk).status == Status.PENDING


def test_it_archives_a_report_once(bob: User) -> None:
    report = archive_report(submitted(), bob)
    assert Report.objects.get(pk=report.pk).status == Status.ARCHIVED
    assert last_event().tag == "report:archive"
    with pytest.raises(TransitionRefused):
        archive_report(report, bob)


def test_it_updates_the_categories(bob: User) -> None:
    report = update_report_categories(submitted(), bob, ["stalking", "threat"])
    assert sorted(report.categories.values_list("key", flat=True)) == ["stalking", "threat"]
    event = last_event()
    assert (event.tag, event.data) == ("report:categories", {"categories": ["stalking", "threat"]})


def test_it_refuses_unknown_categories_on_update(bob: User) -> None:
    report = submitted()
    with pytest.raises(ReportInvalid):
        update_report_categories(report, bob, ["weather"])
    assert list(report.categories.values_list("key", flat=True)) == ["catcalls"]


def test_it_keeps_an_inactive_category_the_report_already_has(bob: User) -> None:
    report = submitted()
    for category in Category.objects.filter(key__in=["catcalls", "stalking"]):
        category.is_active = False
        category.save()
    update_report_categories(report, bob, ["catcalls", "threat"])
    assert sorted(report.categories.values_list("key", flat=True)) == ["catcalls", "threat"]
    with pytest.raises(ReportInvalid) as refused:
        update_report_categories(report, bob, ["catcalls", "stalking"])
    assert "stalking" in refused.value.errors["categories"]


def test_it_moves_an_unpublished_report(bob: User) -> None:
    report = update_report_location(submitted(), bob, 30.1, 31.3, "Ramses station", "street")
    stored = Report.objects.get(pk=report.pk)
    assert stored.point == (30.1, 31.3)
    assert stored.area_cell == cell_id(30.1, 31.3, 7)
    assert (stored.place_text, stored.precision) == ("Ramses station", "street")
    event = last_event()
    assert (event.tag, event.data) == ("report:location", {})


def test_it_refuses_a_bad_point_on_update(bob: User) -> None:
    with pytest.raises(ReportInvalid) as caught:
        update_report_location(submitted(), bob, 95.0, 31.3)
    assert list(caught.value.errors) == ["latitude"]


def test_it_never_moves_a_published_report(bob: User) -> None:
    report = publish_report(submitted(), bob)
    archive_report(report, bob)
    with pytest.raises(TransitionRefused):
        update_report_location(report, bob, 30.1, 31.3)
    assert Report.objects.get(pk=report.pk).point == (EXACT_LATITUDE, EXACT_LONGITUDE)


def test_support_counts_for_published_reports(bob: User) -> None:
    report = publish_report(submitted(), bob)
    assert express_support(report.public_id) == 1
    assert express_support(report.public_id) == 2
    event = last_event()
    assert (event.tag, event.actor) == ("report:support", "anonymous")
    assert event.target == report.public_id


def test_support_is_refused_for_unpublished_reports() -> None:
    report = submitted()
    with pytest.raises(ReportNotFound):
        express_support(report.public_id)
    assert Report.objects.get(pk=report.pk).support_count == 0


def test_loading_a_preset_again_changes_nothing() -> None:
    before = list(Category.objects.values_list("key", "order", "is_active"))
    events = AuditEvent.objects.count()
    load_preset("street_harassment")
    assert list(Category.objects.values_list("key", "order", "is_active")) == before
    assert AuditEvent.objects.count() == events


def test_loading_a_preset_keeps_what_coordinators_changed() -> None:
    Category.objects.filter(key="catcalls").update(name_en="Whistling", is_active=False)
    load_preset("street_harassment")
    catcalls = Category.objects.get(key="catcalls")
    assert (catcalls.name_en, catcalls.is_active) == ("Whistling", False)


def test_loading_a_preset_names_its_categories_in_order() -> None:
    loaded = load_preset("gbvims")
    assert [category.key for category in loaded][:2] == ["gbv_rape", "gbv_sexual_assault"]
    assert [category.order for category in loaded] == list(range(1, len(loaded) + 1))
    assert loaded[0].name("ar") == "الاغتصاب"
    assert last_event().tag == "category:load_preset"


def test_it_loads_the_configured_presets(settings: Any) -> None:
    settings.SAFESPACES_REPORT_PRESETS = ["trafficking", "human_rights_defenders"]
    load_configured_presets()
    presets = set(Category.objects.values_list("preset", flat=True))
    assert presets == {"street_harassment", "trafficking", "human_rights_defenders"}
