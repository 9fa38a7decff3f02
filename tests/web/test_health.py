from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import DatabaseError
from django.test import Client
from django.utils import timezone
from pytest_django import Settings

from safespaces.conversations.models import InboundMessage
from safespaces.outbox.models import WorkerHeartbeat
from safespaces.web import health

pytestmark = pytest.mark.django_db


def test_it_answers_ok_with_a_fresh_heartbeat(client: Client) -> None:
    WorkerHeartbeat.objects.create(worker_id="host-1", last_beat=timezone.now())
    response = client.get("/healthz")
    assert response.status_code == 200
    report = response.json()
    assert report["status"] == "ok"
    assert report["database"] == "ok"
    assert 0 <= report["worker_heartbeat_age_seconds"] < 60
    assert report["problems"] == []
    assert "no-store" in response["Cache-Control"]


def test_it_answers_503_with_a_stale_heartbeat(client: Client, settings: Settings) -> None:
    settings.SAFESPACES_WORKER_STALE_SECONDS = 120
    WorkerHeartbeat.objects.create(
        worker_id="host-1", last_beat=timezone.now() - timedelta(seconds=600)
    )
    response = client.get("/healthz")
    assert response.status_code == 503
    report = response.json()
    assert report["status"] == "degraded"
    assert report["worker_heartbeat_age_seconds"] >= 600
    assert report["problems"] == ["worker_heartbeat_stale"]


def test_it_reads_the_freshest_of_several_workers(client: Client) -> None:
    WorkerHeartbeat.objects.create(worker_id="old-1", last_beat=timezone.now() - timedelta(hours=1))
    WorkerHeartbeat.objects.create(worker_id="new-1", last_beat=timezone.now())
    assert client.get("/healthz").status_code == 200


def test_it_answers_503_when_no_worker_ever_beat(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["problems"] == ["no_worker_heartbeat"]
    assert response.json()["worker_heartbeat_age_seconds"] is None


def test_it_answers_503_when_the_database_does_not_answer(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(health, "database_answers", lambda: False)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "down"
    assert response.json()["database"] == "unreachable"


def test_it_says_the_database_is_unreachable_when_a_query_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class BrokenCursor:
        def __enter__(self) -> BrokenCursor:
            raise DatabaseError("server closed the connection")

        def __exit__(self, *args: object) -> None:
            return None

    monkeypatch.setattr(health.connection, "cursor", BrokenCursor)
    assert health.database_answers() is False


def test_it_names_no_worker_host_or_anything_personal(client: Client) -> None:
    WorkerHeartbeat.objects.create(worker_id="secret-host-77", last_beat=timezone.now())
    response = client.get("/healthz")
    assert "secret-host-77" not in response.content.decode()
    assert set(response.json()) == {
        "status",
        "database",
        "worker_heartbeat_age_seconds",
        "inbound_waiting_seconds",
        "problems",
    }


def waiting_message(received_seconds_ago: int) -> None:
    from safespaces.conversations.models import Correspondent

    correspondent = Correspondent(phone_index="0" * 64, phone="+201001234567")
    correspondent.save()
    InboundMessage(
        correspondent=correspondent,
        gateway="console",
        channel="sms",
        provider_message_id="H1",
        body="hello",
        received_at=timezone.now() - timedelta(seconds=received_seconds_ago),
    ).save()


def test_it_reports_how_long_an_inbound_message_has_waited(client: Client) -> None:
    WorkerHeartbeat.objects.create(worker_id="host-1", last_beat=timezone.now())
    assert client.get("/healthz").json()["inbound_waiting_seconds"] is None
    waiting_message(received_seconds_ago=5)
    report = client.get("/healthz").json()
    assert 5 <= report["inbound_waiting_seconds"] < 60
    assert report["status"] == "ok"


def test_it_answers_503_when_messages_wait_although_workers_beat(
    client: Client, settings: Settings
) -> None:
    settings.SAFESPACES_WORKER_STALE_SECONDS = 120
    WorkerHeartbeat.objects.create(worker_id="host-1", last_beat=timezone.now())
    waiting_message(received_seconds_ago=600)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["problems"] == ["inbound_messages_waiting"]
    InboundMessage.objects.update(routed_at=timezone.now())
    assert client.get("/healthz").status_code == 200
