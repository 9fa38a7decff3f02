"""The consent page an email contact is sent: yes or no to receiving alerts."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from safespaces.safety import actions
from safespaces.safety.links import consent_token
from safespaces.safety.models import Consent, ProtectedPerson, TrustedContact

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(person: ProtectedPerson) -> TrustedContact:
    return actions.add_contact(
        person,
        name="Hala",
        email="hala@example.org",
        channels="email",
        codeword="cedar",
        actor=None,
    )


def page_of(contact: TrustedContact, language: str = "en") -> str:
    with translation.override(language):
        return reverse("public:consent", kwargs={"token": consent_token(contact)})


def test_it_asks_whether_the_contact_agrees(asked: TrustedContact) -> None:
    response = Client().get(page_of(asked))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Noor has named you as a trusted contact with Front Line Cairo." in page
    assert "You will receive nothing unless you agree." in page
    assert "cedar" not in page
    assert "hala@example.org" not in page
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert not response.cookies


def test_yes_means_alerts(asked: TrustedContact) -> None:
    response = Client(enforce_csrf_checks=True).post(page_of(asked), {"answer": "agree"})
    assert response.status_code == 200
    assert "Thank you. You will receive alerts for Noor." in response.content.decode()
    asked.refresh_from_db()
    assert asked.consent == Consent.AGREED


def test_no_means_none(asked: TrustedContact) -> None:
    response = Client().post(page_of(asked), {"answer": "decline"})
    assert "You will not receive alerts for Noor." in response.content.decode()
    asked.refresh_from_db()
    assert asked.consent == Consent.DECLINED


def test_another_answer_changes_nothing(asked: TrustedContact) -> None:
    assert Client().post(page_of(asked), {"answer": "maybe"}).status_code == 400
    asked.refresh_from_db()
    assert asked.consent == Consent.ASKED


def test_a_bad_link_is_not_found(asked: TrustedContact) -> None:
    with translation.override("en"):
        path = reverse("public:consent", kwargs={"token": consent_token(asked) + "x"})
    assert Client().post(path, {"answer": "agree"}).status_code == 404
    asked.refresh_from_db()
    assert asked.consent == Consent.ASKED


def test_it_speaks_arabic_right_to_left(asked: TrustedContact) -> None:
    page = Client().get(page_of(asked, "ar")).content.decode()
    assert '<html lang="ar" dir="rtl">' in page
