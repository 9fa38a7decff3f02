"""The demo's people at risk: loaded through the actions, once, and watched by the demo staff."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import override_settings

from safespaces.accounts.models import User
from safespaces.safety.access import alerts_visible_to, people_visible_to
from safespaces.safety.models import Alert, AlertStatus, Consent, ProtectedPerson, TrustedContact
from safespaces.web.demo import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(tmp_path: Path) -> None:
    with override_settings(SAFESPACES_DATA_DIR=tmp_path):
        load_demo()


def test_the_duty_officer_sees_the_demo_people_and_an_open_drill(demo: None) -> None:
    officer = User.objects.get(username="dalia")
    assert sorted(people_visible_to(officer).values_list("alias", flat=True)) == [
        "Nour",
        "Omar",
        "Salma",
    ]
    open_alerts = alerts_visible_to(officer).filter(status=AlertStatus.OPEN)
    assert [(alert.person.alias, alert.is_drill) for alert in open_alerts] == [("Omar", True)]


def test_the_moderator_sees_no_one(demo: None) -> None:
    assert not people_visible_to(User.objects.get(username="basma")).exists()


def test_contacts_who_answered_yes_have_agreed_and_the_others_are_asked(demo: None) -> None:
    consents = sorted(TrustedContact.objects.values_list("consent", flat=True))
    assert consents == [Consent.AGREED] * 3 + [Consent.ASKED]


def test_loading_again_adds_nothing(demo: None, tmp_path: Path) -> None:
    with override_settings(SAFESPACES_DATA_DIR=tmp_path):
        load_demo()
    assert ProtectedPerson.objects.count() == 3
    assert Alert.objects.count() == 1
