"""db.rows: the hot path's inserts and reads give what the ORM gives, on both databases."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from safespaces.conversations.models import Correspondent, InboundMessage
from safespaces.db.rows import column_of, insert_rows, rows_where_in
from safespaces.vault.blind_index import phone_index
from safespaces.vault.models import DataKey

NUMBERS = ("+201001234567", "+201001234568", "+201001234569")


def correspondents() -> list[Correspondent]:
    return [Correspondent(phone_index=phone_index(number), phone=number) for number in NUMBERS]


def sealed_message(correspondent: Correspondent, sid: str, body: str) -> InboundMessage:
    message = InboundMessage(
        correspondent=correspondent,
        gateway="twilio",
        channel="sms",
        provider_message_id=sid,
        body=body,
    )
    insert_rows(DataKey, [message.seal_now()])
    return message


@pytest.mark.django_db
def test_inserted_rows_read_back_as_the_orm_wrote_them() -> None:
    people = correspondents()
    Correspondent.objects.bulk_create(people)
    messages = [
        sealed_message(person, f"SM{position}", f"text {position}")
        for position, person in enumerate(people)
    ]
    with CaptureQueriesContext(connection) as queries:
        insert_rows(InboundMessage, messages)
    assert len(queries.captured_queries) == 1
    assert all(message.pk is not None and not message._state.adding for message in messages)
    for position, message in enumerate(messages):
        stored = InboundMessage.objects.get(pk=message.pk)
        assert stored.body == f"text {position}"  # the vault's ciphertext, opened again
        assert stored.correspondent_id == people[position].pk
        assert stored.provider_message_id == f"SM{position}"
        assert stored.routed_at is None
        assert stored.received_at == message.received_at


@pytest.mark.django_db
def test_a_data_key_keeps_its_own_id_and_gets_its_creation_time() -> None:
    data_key, secret = DataKey.new_with_secret()
    before = datetime.datetime.now(tz=datetime.UTC)
    insert_rows(DataKey, [data_key])
    stored = DataKey.objects.get(pk=data_key.pk)
    assert stored.unwrap() == secret
    assert stored.created_at >= before - datetime.timedelta(seconds=1)


@pytest.mark.django_db
def test_a_duplicate_fails_on_the_unique_index_and_inserts_nothing() -> None:
    (person, *_) = correspondents()
    person.save()
    insert_rows(InboundMessage, [sealed_message(person, "SMsame", "first")])
    again = [sealed_message(person, "SMother", "other"), sealed_message(person, "SMsame", "again")]
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(InboundMessage, again)
    assert list(InboundMessage.objects.values_list("provider_message_id", flat=True)) == ["SMsame"]


@pytest.mark.django_db
def test_nothing_to_insert_runs_no_statement() -> None:
    with CaptureQueriesContext(connection) as queries:
        insert_rows(InboundMessage, [])
    assert queries.captured_queries == []


@pytest.mark.django_db
def test_rows_are_chosen_by_every_condition() -> None:
    people = correspondents()
    Correspondent.objects.bulk_create(people)
    for position, person in enumerate(people):
        insert_rows(InboundMessage, [sealed_message(person, f"SM{position}", "hello")])
    InboundMessage.objects.filter(provider_message_id="SM2").update(gateway="africastalking")
    found = rows_where_in(
        InboundMessage,
        ("gateway", "provider_message_id"),
        {"gateway": ["twilio", "twilio"], "provider_message_id": ["SM0", "SM2", "SMnone"]},
    )
    assert found == [("twilio", "SM0")]
    indexes = rows_where_in(
        Correspondent, ("phone_index", "id"), {"phone_index": [people[1].phone_index]}
    )
    assert indexes == [(people[1].phone_index, people[1].pk)]


@pytest.mark.django_db
def test_no_values_match_nothing_without_a_statement() -> None:
    with CaptureQueriesContext(connection) as queries:
        assert rows_where_in(Correspondent, ("id",), {"phone_index": []}) == []
    assert queries.captured_queries == []


@pytest.mark.django_db
def test_records_with_and_without_their_key_are_refused_together() -> None:
    numbered, unnumbered = correspondents()[:2]
    numbered.pk = 41
    with pytest.raises(ValueError, match="primary key"):
        insert_rows(Correspondent, [numbered, unnumbered])
    assert not Correspondent.objects.exists()


def test_only_columns_can_be_read() -> None:
    assert column_of(InboundMessage, "correspondent") == "correspondent_id"
    with pytest.raises(ValueError, match="not a column"):
        column_of(Correspondent, "inbound_messages")
