from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from safespaces.accounts.models import User
from safespaces.audit.models import AuditEvent
from safespaces.reports.actions import submit_report
from safespaces.reports.locks import (
    LOCK_DURATION,
    ReportLocked,
    acquire_lock,
    break_lock,
    held_by_someone_else,
    live_lock,
    release_lock,
)
from safespaces.reports.models import Report, ReportLock
from tests.conftest import MakeStaff
from tests.reports.submissions import a_submission

pytestmark = pytest.mark.usefixtures("categories")


@pytest.fixture
def report(db: None) -> Report:
    return submit_report(a_submission())


@pytest.fixture
def erin(make_staff: MakeStaff) -> User:
    """A second moderator, working at the same time as bob."""
    return make_staff("moderator", username="erin")


def expire(report: Report) -> None:
    ReportLock.objects.filter(report=report).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )


def test_it_gives_a_free_report_to_the_first_moderator_for_ten_minutes(
    report: Report, bob: User
) -> None:
    before = timezone.now()
    lock = acquire_lock(report, bob)
    assert lock.holder == bob
    assert before + LOCK_DURATION <= lock.expires_at <= timezone.now() + LOCK_DURATION
    assert datetime.timedelta(minutes=10) == LOCK_DURATION


def test_it_renews_the_lock_for_its_holder(report: Report, bob: User) -> None:
    first = acquire_lock(report, bob)
    ReportLock.objects.filter(pk=first.pk).update(expires_at=timezone.now())
    renewed = acquire_lock(report, bob)
    assert renewed.expires_at > timezone.now()
    assert ReportLock.objects.count() == 1


def test_it_refuses_a_second_moderator_while_the_lock_lives(
    report: Report, bob: User, erin: User
) -> None:
    acquire_lock(report, bob)
    with pytest.raises(ReportLocked) as refused:
        acquire_lock(report, erin)
    assert refused.value.lock.holder == bob
    assert held_by_someone_else(report, erin) is not None
    assert held_by_someone_else(report, bob) is None


def test_an_expired_lock_goes_to_the_next_moderator(report: Report, bob: User, erin: User) -> None:
    acquire_lock(report, bob)
    expire(report)
    assert live_lock(report) is None
    assert acquire_lock(report, erin).holder == erin


def test_releasing_frees_the_report_at_once(report: Report, bob: User, erin: User) -> None:
    acquire_lock(report, bob)
    assert release_lock(report, bob)
    assert acquire_lock(report, erin).holder == erin


def test_only_the_holder_can_release_a_lock(report: Report, bob: User, erin: User) -> None:
    acquire_lock(report, bob)
    assert not release_lock(report, erin)
    assert live_lock(report).holder == bob  # type: ignore[union-attr]


def test_breaking_a_live_lock_frees_the_report_and_is_audited(
    report: Report, alice: User, bob: User
) -> None:
    acquire_lock(report, bob)
    assert break_lock(report, alice)
    assert live_lock(report) is None
    event = AuditEvent.objects.filter(tag="report:lock_break").get()
    assert (event.actor, event.target) == (alice.pseudonym, report.public_id)
    assert event.data["holder"] == bob.pseudonym


def test_breaking_an_expired_lock_records_nothing(report: Report, alice: User, bob: User) -> None:
    acquire_lock(report, bob)
    expire(report)
    assert not break_lock(report, alice)
    assert not ReportLock.objects.exists()
    assert not AuditEvent.objects.filter(tag="report:lock_break").exists()
