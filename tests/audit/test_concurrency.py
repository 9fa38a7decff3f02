from __future__ import annotations

import threading

import pytest
from django.db import connections

from safespaces.audit.actions import record_event
from safespaces.audit.models import AuditEvent
from safespaces.audit.verification import verify_chain

WRITERS = 4
EVENTS_EACH = 10


def append_events(barrier: threading.Barrier, errors: list[BaseException]) -> None:
    try:
        barrier.wait()
        for _ in range(EVENTS_EACH):
            record_event("alert:repeat", "system")
    except BaseException as error:  # reported by the test
        errors.append(error)
    finally:
        connections.close_all()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_chain() -> None:
    barrier = threading.Barrier(WRITERS)
    errors: list[BaseException] = []
    threads = [
        threading.Thread(target=append_events, args=(barrier, errors)) for _ in range(WRITERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditEvent.objects.count() == WRITERS * EVENTS_EACH
    assert verify_chain().intact
