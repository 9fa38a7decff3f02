from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from safespaces.accounts.models import User
from safespaces.audit.actions import InvalidAuditEvent, record_event
from safespaces.audit.chain import GENESIS_MAC
from safespaces.audit.models import AuditEvent, AuditLogIsAppendOnly

pytestmark = pytest.mark.django_db


def test_it_chains_each_event_to_the_one_before() -> None:
    first = record_event("user:login", "system")
    second = record_event("user:logout", "system")
    assert (first.sequence, first.prev_mac) == (1, GENESIS_MAC)
    assert (second.sequence, second.prev_mac) == (2, first.mac)
    assert second.computed_mac() == second.mac


def test_it_names_a_user_by_pseudonym() -> None:
    user = User.objects.create(username="alice-real-name")
    event = record_event("user:login", user, target=user.pseudonym)
    assert event.actor == user.pseudonym
    assert "alice" not in event.actor


@pytest.mark.parametrize(
    ("actor", "expected"), [(None, "system"), (AnonymousUser(), "anonymous"), ("worker", "worker")]
)
def test_it_names_actors_that_are_not_users(actor: object, expected: str) -> None:
    assert record_event("message:failed", actor).actor == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("tag", ["login", "User:login", "user:", "user:log in", "a:b:c"])
def test_it_refuses_a_tag_not_shaped_subject_action(tag: str) -> None:
    with pytest.raises(InvalidAuditEvent, match="subject:action"):
        record_event(tag, None)


def test_it_refuses_data_with_floats() -> None:
    with pytest.raises(InvalidAuditEvent, match=r"data\.ratio is a float"):
        record_event("report:publish", None, data={"ratio": 0.5})


def test_it_refuses_large_data() -> None:
    with pytest.raises(InvalidAuditEvent, match="limited"):
        record_event("report:publish", None, data={"x": "y" * 3000})


def test_it_refuses_to_change_an_event() -> None:
    event = record_event("user:login", None)
    event.tag = "user:logout"
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.update(tag="user:logout")


def test_it_refuses_to_delete_an_event() -> None:
    event = record_event("user:login", None)
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 1
