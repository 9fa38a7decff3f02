"""The same commands through Africa's Talking's SMS callback, and nothing secret in the logs."""

from __future__ import annotations

import logging

import pytest
from pytest_django.fixtures import Settings

from safespaces.conversations.routing import route_all_waiting
from safespaces.places.models import Organisation
from safespaces.safety.actions import create_person
from safespaces.safety.models import Alert, ProtectedPerson
from tests.conversations.hooks.test_africastalking import (
    SENDER,
    SMS_PATH,
    TOKEN,
    new_id,
    post,
    sms_fields,
)
from tests.conversations.safety.conftest import PIN, Text, answers_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def africastalking(settings: Settings) -> None:
    settings.SAFESPACES_AFRICASTALKING_HOOK_TOKEN = TOKEN
    settings.SAFESPACES_SMS_GATEWAYS = ["africastalking"]
    settings.SAFESPACES_PHONE_REGION = "KE"


def test_panic_and_end_through_africas_talking(
    africastalking: None, organisation: Organisation
) -> None:
    amina = create_person(organisation, alias="Amina", phone=SENDER, pin=PIN, actor=None)
    assert post(SMS_PATH, sms_fields(new_id(), "SOS Westlands")).status_code == 200
    route_all_waiting()
    alert = Alert.objects.get(person=amina)
    assert alert.trigger == "panic_sms"
    assert post(SMS_PATH, sms_fields(new_id(), f"END {PIN}")).status_code == 200
    route_all_waiting()
    alert.refresh_from_db()
    assert alert.status == "resolved"
    first, second = answers_to(SENDER)
    assert first.startswith("Alert sent to your contacts")
    assert second == "Your alert has ended. We are glad you are safe."


def test_no_pin_word_or_place_reaches_the_logs(
    text: Text, mona: ProtectedPerson, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for body in ("PANIC Tahrir Square", "LOC Zamalek", "END 98765", f"END {PIN}", "pizza"):
        text(body)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in ("Tahrir", "Zamalek", "98765", PIN, "pizza"):
        assert secret not in logged
