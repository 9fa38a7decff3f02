"""One alert in the duty console: who may see it, and what the duty officer can do."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from safespaces.accounts.models import User
from safespaces.audit.models import AuditEvent
from safespaces.outbox.models import Message
from safespaces.places.models import Organisation
from safespaces.safety import actions
from safespaces.safety.models import (
    Alert,
    AlertStatus,
    EventKind,
    Outcome,
    ProtectedPerson,
    Trigger,
    TrustedContact,
)

pytestmark = pytest.mark.django_db

StaffClient = Callable[[User], Client]
ACTIONS = ("claim", "acknowledge", "note", "call", "network", "resolve")


@pytest.fixture
def alert(person: ProtectedPerson, contact: TrustedContact) -> Alert:
    return actions.raise_alert(person, trigger=Trigger.PANIC_WEB, place="Ramses station")


def url(alert: Alert, action: str = "") -> str:
    return f"/staff/duty/alerts/{alert.pk}/" + (f"{action}/" if action else "")


def audited(tag: str, alert: Alert) -> bool:
    return AuditEvent.objects.filter(tag=tag, target=str(alert.pk)).exists()


def test_it_shows_the_alert_with_phones_to_call(
    alert: Alert, contact: TrustedContact, officer: User, staff_client: StaffClient
) -> None:
    response = staff_client(officer).get(url(alert))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Alert for Noor</h1>" in page
    assert "Ramses station" in page
    assert '<a href="tel:+201001112233" dir="ltr">+201001112233</a>' in page
    assert f'<a href="tel:{contact.phone}" dir="ltr">{contact.phone}</a>' in page
    assert "Alert raised" in page


def test_another_organisation_gets_not_found_for_every_action(
    alert: Alert, outsider: User, staff_client: StaffClient
) -> None:
    client = staff_client(outsider)
    events = alert.events.count()
    assert client.get(url(alert)).status_code == 404
    for action in ACTIONS:
        data = {"text": "x", "outcome": Outcome.SAFE, "network": "1"}
        assert client.post(url(alert, action), data).status_code == 404
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN and alert.claimed_by is None
    assert alert.events.count() == events


def test_a_role_without_the_duty_permission_is_refused(
    alert: Alert, bob: User, organisation: Organisation, staff_client: StaffClient
) -> None:
    actions.add_staff_membership(bob, organisation, actor=None)
    client = staff_client(bob)
    assert client.get(url(alert)).status_code == 403
    assert client.post(url(alert, "acknowledge")).status_code == 403
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN


def test_the_officer_claims_and_acknowledges(
    alert: Alert, officer: User, staff_client: StaffClient
) -> None:
    client = staff_client(officer)
    response = client.post(url(alert, "claim"), follow=True)
    assert "You have claimed this alert." in response.content.decode()
    response = client.post(url(alert, "acknowledge"), follow=True)
    assert "The alert is acknowledged: its repeats have stopped." in response.content.decode()
    alert.refresh_from_db()
    assert alert.claimed_by == officer
    assert alert.status == AlertStatus.ACKNOWLEDGED
    assert audited("alert:claim", alert) and audited("alert:acknowledge", alert)


def test_notes_and_calls_join_the_timeline(
    alert: Alert, officer: User, staff_client: StaffClient
) -> None:
    client = staff_client(officer)
    client.post(url(alert, "note"), {"text": "Her brother may know where she is"})
    client.post(url(alert, "call"), {"text": "Called Mona: no answer"})
    page = client.get(url(alert)).content.decode()
    assert "Her brother may know where she is" in page
    assert "Called Mona: no answer" in page
    assert alert.events.filter(kind=EventKind.NOTE, actor=officer).exists()
    assert audited("alert:note", alert) and audited("alert:call", alert)


def test_an_empty_note_is_refused(alert: Alert, officer: User, staff_client: StaffClient) -> None:
    response = staff_client(officer).post(url(alert, "note"), {"text": ""})
    assert response.status_code == 400
    assert not alert.events.filter(kind=EventKind.NOTE).exists()


def test_activating_a_network_previews_and_sends_its_template(
    alert: Alert, officer: User, organisation: Organisation, staff_client: StaffClient
) -> None:
    network = actions.create_network(
        organisation,
        name="Lawyers",
        template="Urgent: {alias} needs a lawyer. {link}",
        actor=None,
    )
    actions.add_network_member(
        network, name="Karim", phone="+201007776655", channels="sms", actor=None
    )
    client = staff_client(officer)
    page = client.get(url(alert)).content.decode()
    assert "Urgent: Noor needs a lawyer." in page
    before = Message.objects.count()
    response = client.post(url(alert, "network"), {"network": network.pk}, follow=True)
    assert "The network Lawyers is activated: 1 message is queued." in response.content.decode()
    assert Message.objects.count() == before + 1
    assert audited("alert:activate_network", alert)


def test_another_organisations_network_cannot_be_chosen(
    alert: Alert, officer: User, other_organisation: Organisation, staff_client: StaffClient
) -> None:
    network = actions.create_network(
        other_organisation, name="Elsewhere", template="{alias}", actor=None
    )
    response = staff_client(officer).post(url(alert, "network"), {"network": network.pk})
    assert response.status_code == 400
    assert not alert.events.filter(kind=EventKind.NETWORK).exists()


def test_resolving_ends_the_alert_and_goes_back_to_the_console(
    alert: Alert, officer: User, staff_client: StaffClient
) -> None:
    response = staff_client(officer).post(
        url(alert, "resolve"), {"outcome": Outcome.FALSE_ALARM, "note": "Pressed by mistake"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/duty/"
    alert.refresh_from_db()
    assert alert.status == AlertStatus.RESOLVED and alert.outcome == Outcome.FALSE_ALARM
    assert audited("alert:resolve", alert)
    page = staff_client(officer).get(url(alert)).content.decode()
    assert "Resolve the alert" not in page
    assert "Pressed by mistake" in page


def test_a_get_changes_nothing(alert: Alert, officer: User, staff_client: StaffClient) -> None:
    client = staff_client(officer)
    for action in ACTIONS:
        assert client.get(url(alert, action)).status_code == 405
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN


def test_the_timeline_reads_as_words_not_data(
    alert: Alert, officer: User, staff_client: StaffClient
) -> None:
    page = staff_client(officer).get(url(alert)).content.decode()
    assert '<div class="event-detail">Alert trusted contacts: 1 ' in page
    assert '<div class="event-detail">Panic button (web page)</div>' in page
    assert "{&quot;" not in page and '{"' not in page
