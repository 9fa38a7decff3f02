from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from pytest_django import Settings

from safespaces.outbox.gateways import registry
from tests.outbox.fake_gateways import TEST_GATEWAYS, RecordingGateway
from tests.outbox.smtp_server import Behaviour, RecordingSmtpServer


@pytest.fixture
def smtp_behaviour() -> Behaviour:
    return Behaviour()


@pytest.fixture
def smtp_server(smtp_behaviour: Behaviour) -> Iterator[RecordingSmtpServer]:
    server = RecordingSmtpServer(smtp_behaviour)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    smtp_behaviour.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def smtp_settings(settings: Settings, smtp_server: RecordingSmtpServer) -> RecordingSmtpServer:
    settings.SAFESPACES_EMAIL_GATEWAYS = ["smtp"]
    settings.SAFESPACES_SMTP_HOST = "127.0.0.1"
    settings.SAFESPACES_SMTP_PORT = smtp_server.port
    settings.SAFESPACES_SMTP_SECURITY = "none"
    settings.SAFESPACES_SMTP_USER = ""
    settings.SAFESPACES_SMTP_TIMEOUT = 5.0
    settings.SAFESPACES_EMAIL_FROM = "SafeSpaces <alerts@safespaces.test>"
    return smtp_server


@pytest.fixture
def test_gateways(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the failing test gateways findable for the length of one test."""
    for gateway_class in TEST_GATEWAYS:
        monkeypatch.setitem(registry._gateways, gateway_class.name, gateway_class)
    monkeypatch.setattr(RecordingGateway, "sent", [])
