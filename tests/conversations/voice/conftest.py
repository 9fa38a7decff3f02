from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_django.fixtures import Settings

from tests.conversations.voice.calls import AT_TOKEN, PUBLIC_URL
from tests.conversations.voice.provider_server import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    Storage,
    running_provider,
)


@pytest.fixture
def hotline(settings: Settings, db: None) -> Settings:
    settings.SAFESPACES_PUBLIC_URL = PUBLIC_URL
    settings.SAFESPACES_TWILIO_ACCOUNT_SID = ACCOUNT_SID
    settings.SAFESPACES_TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.SAFESPACES_AFRICASTALKING_HOOK_TOKEN = AT_TOKEN
    settings.SAFESPACES_HELPLINE = "+20 100 000 0000"
    settings.SAFESPACES_HOTLINE_COUNSELLOR_NUMBERS = []
    settings.SAFESPACES_GATEWAY_TIMEOUT_SECONDS = 5.0
    return settings


@pytest.fixture
def provider(hotline: Settings) -> Iterator[tuple[str, Storage]]:
    """The fake provider; both providers' API addresses point at it."""
    with running_provider() as (address, storage):
        hotline.SAFESPACES_TWILIO_API_URL = address
        hotline.SAFESPACES_AFRICASTALKING_API_URL = address
        yield address, storage
