from __future__ import annotations

import datetime
from typing import Any

import h3
import pytest

from safespaces.accounts.models import User
from safespaces.audit.models import AuditEvent
from safespaces.geo.cells import CITY_RESOLUTION
from safespaces.reports.actions import TransitionRefused, merge_reports, submit_report
from safespaces.reports.duplicates import (
    category_overlap,
    suggest_duplicates,
    text_similarity,
)
from safespaces.reports.models import Report
from tests.reports.submissions import EXACT_LATITUDE, EXACT_LONGITUDE, a_submission, yesterday

pytestmark = pytest.mark.usefixtures("categories")

INCIDENT = "Two men followed me from the metro exit and shouted at me near the kiosk."


def reported(**changes: Any) -> Report:
    return submit_report(a_submission(**changes))


def codes(report: Report) -> list[str]:
    return [suggestion.report.public_id for suggestion in suggest_duplicates(report)]


def neighbouring_point() -> tuple[float, float]:
    """A point in a cell next to the area cell of the exact point, not in it."""
    home = h3.latlng_to_cell(EXACT_LATITUDE, EXACT_LONGITUDE, CITY_RESOLUTION)
    neighbour = next(cell for cell in h3.grid_ring(home, 1))
    return h3.cell_to_latlng(neighbour)


def test_text_similarity_is_one_for_the_same_words_and_zero_for_an_empty_text() -> None:
    assert text_similarity("Shouted at me", "shouted AT me") == 1.0
    assert text_similarity("", "shouted at me") == 0.0
    assert 0 < text_similarity("a man shouted at me", "two men shouted at her") < 1


def test_category_overlap_is_shared_over_all_categories() -> None:
    assert category_overlap({"catcalls", "ogling"}, {"catcalls"}) == 0.5
    assert category_overlap(set(), set()) == 0.0


def test_it_ranks_similar_words_and_shared_categories_first() -> None:
    report = reported(description=INCIDENT, categories=["catcalls", "ogling"])
    unrelated = reported(description="Someone took photos of women on the tram.")
    same_words = reported(description=INCIDENT.replace("kiosk", "bakery"), categories=["touching"])
    same_everything = reported(description=INCIDENT, categories=["catcalls", "ogling"])
    assert codes(report) == [same_everything.public_id, same_words.public_id, unrelated.public_id]
    best = suggest_duplicates(report)[0]
    assert (best.text_similarity, best.category_overlap) == (1.0, 1.0)


def test_it_suggests_reports_from_a_neighbouring_cell() -> None:
    report = reported(description=INCIDENT)
    latitude, longitude = neighbouring_point()
    nearby = reported(description=INCIDENT, latitude=latitude, longitude=longitude)
    assert nearby.area_cell != report.area_cell
    assert codes(report) == [nearby.public_id]


def test_it_leaves_out_reports_from_further_away() -> None:
    report = reported(description=INCIDENT)
    reported(description=INCIDENT, latitude=31.2001, longitude=29.9187)  # Alexandria
    assert codes(report) == []


def days_ago(days: int) -> datetime.date:
    return yesterday() - datetime.timedelta(days=days - 1)


def test_it_looks_two_days_either_side_of_the_date() -> None:
    report = reported(description=INCIDENT, occurred_on=days_ago(4))
    two_days_later = reported(description=INCIDENT, occurred_on=days_ago(2))
    two_days_earlier = reported(description=INCIDENT, occurred_on=days_ago(6))
    reported(description=INCIDENT, occurred_on=days_ago(1))
    reported(description=INCIDENT, occurred_on=days_ago(7))
    assert sorted(codes(report)) == sorted([two_days_later.public_id, two_days_earlier.public_id])


def test_it_leaves_out_reports_already_merged(bob: User) -> None:
    report = reported(description=INCIDENT)
    kept = reported(description=INCIDENT)
    duplicate = reported(description=INCIDENT)
    merge_reports(duplicate, kept, bob)
    assert codes(report) == [kept.public_id]


def test_a_report_without_a_point_has_no_suggestions() -> None:
    reported(description=INCIDENT)
    placeless = reported(description=INCIDENT, latitude=None, longitude=None)
    assert placeless.area_cell is None
    assert codes(placeless) == []


def test_merging_archives_the_duplicate_and_adds_its_support_to_the_kept_report(
    bob: User,
) -> None:
    kept = reported(description=INCIDENT)
    duplicate = reported(description=INCIDENT)
    Report.objects.filter(pk=kept.pk).update(support_count=2)
    Report.objects.filter(pk=duplicate.pk).update(support_count=3)
    duplicate.refresh_from_db()
    result = merge_reports(duplicate, kept, bob)
    duplicate.refresh_from_db()
    assert result.support_count == 5
    assert duplicate.status == Report.Status.ARCHIVED
    assert duplicate.merged_into == kept
    assert list(kept.merged_reports.all()) == [duplicate]


def test_merging_is_audited(bob: User) -> None:
    kept = reported(description=INCIDENT)
    duplicate = reported(description=INCIDENT)
    merge_reports(duplicate, kept, bob)
    event = AuditEvent.objects.filter(tag="report:merge").get()
    assert (event.actor, event.target) == (bob.pseudonym, duplicate.public_id)
    assert event.data == {"into": kept.public_id, "from": "pending", "support": 0}


def test_a_report_cannot_be_merged_into_itself(bob: User) -> None:
    report = reported()
    with pytest.raises(TransitionRefused):
        merge_reports(report, report, bob)


def test_a_report_is_merged_only_once(bob: User) -> None:
    kept, other = reported(), reported()
    duplicate = reported()
    merge_reports(duplicate, kept, bob)
    with pytest.raises(TransitionRefused):
        merge_reports(duplicate, other, bob)
    with pytest.raises(TransitionRefused):
        merge_reports(other, duplicate, bob)
    assert not AuditEvent.objects.filter(tag="report:merge", target=other.public_id).exists()
