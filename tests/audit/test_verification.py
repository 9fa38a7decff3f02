from __future__ import annotations

import pytest

from safespaces.audit.actions import record_event
from safespaces.audit.verification import verify_chain
from tests.audit import tampering

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_events() -> None:
    for n in range(5):
        record_event("report:submit", "system", target=f"r{n}", data={"n": n})


def test_it_passes_an_empty_log() -> None:
    report = verify_chain()
    assert report.intact
    assert report.count == 0


def test_it_passes_a_clean_chain(five_events: None) -> None:
    report = verify_chain()
    assert report.intact
    assert report.count == 5


def test_it_finds_an_edited_entry(five_events: None) -> None:
    tampering.edit(3, "target", "someone-else")
    report = verify_chain()
    assert (report.broken_at, report.count) == (3, 2)
    assert "entry 3 was edited" in report.reason


def test_it_finds_edited_data(five_events: None) -> None:
    tampering.edit(2, "data", '{"n": 99}')
    assert verify_chain().broken_at == 2


def test_it_finds_a_deleted_entry(five_events: None) -> None:
    tampering.delete(3)
    report = verify_chain()
    assert report.broken_at == 3
    assert "entry 3 is missing" in report.reason


def test_it_finds_a_deleted_entry_renumbered_away(five_events: None) -> None:
    tampering.delete(3)
    tampering.edit(4, "sequence", 3)
    tampering.edit(5, "sequence", 4)
    report = verify_chain()
    assert report.broken_at == 3
    assert "does not follow" in report.reason


def test_it_finds_swapped_entries(five_events: None) -> None:
    tampering.swap(2, 4)
    report = verify_chain()
    assert report.broken_at == 2
    assert "reordered" in report.reason


def test_it_finds_a_forged_mac_by_its_successor(five_events: None) -> None:
    tampering.edit(5, "mac", "f" * 64)
    report = verify_chain()
    assert report.broken_at == 5
    assert "edited" in report.reason
