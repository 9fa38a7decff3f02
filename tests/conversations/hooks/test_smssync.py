"""`/hooks/smssync/`, called as the SMSSync app calls it.

The requests are built the way SMSSync builds them: the inbound SMS form-encoded (or flat
JSON) with its secret inside; `?task=send` and `?task=result` with `&secret=` on the URL;
`?task=sent` with no secret at all; and the results body with its list JSON-encoded inside a
string (SMSSync's ProcessMessageResult puts a JSON string into its JSONObject).
"""

from __future__ import annotations

import json
import threading
import uuid
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import connections
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pytest_django import Settings

from safespaces.audit.models import AuditEvent
from safespaces.conversations import commands
from safespaces.conversations.commands import Turn
from safespaces.conversations.models import InboundMessage
from safespaces.outbox.actions import enqueue_message
from safespaces.outbox.gateways import smssync
from safespaces.outbox.gateways.base import MalformedRequest
from safespaces.outbox.gateways.config import forget_cached
from safespaces.outbox.models import GatewayAccount, Message, Status

pytestmark = pytest.mark.django_db

URL = "/hooks/smssync/"
SECRET = "s3cret-phrase-on-the-phone"
SENDER = "+201001234567"
GATEWAY_NUMBER = "+201009999999"
MENU = "Send REPORT, SAFE or HELP."
ANDROID_OK = -1


@pytest.fixture(autouse=True)
def smssync_secret(settings: Settings) -> None:
    settings.SAFESPACES_SMSSYNC_SECRET = SECRET
    settings.SAFESPACES_SMS_GATEWAYS = ["smssync"]


@pytest.fixture(autouse=True)
def menu_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Anything unrecognised gets a menu; these tests need one whose text they know."""

    def menu(turn: Turn) -> str:
        return MENU

    monkeypatch.setitem(commands._commands, "info", menu)


def sms_fields(
    message_id: str, text: str = "hello", sender: str = SENDER, secret: str = SECRET
) -> dict[str, str]:
    """What SMSSync posts for an SMS it received (its default keys, in its order)."""
    return {
        "secret": secret,
        "from": sender,
        "message": text,
        "sent_timestamp": "1709286067000",
        "sent_to": GATEWAY_NUMBER,
        "message_id": message_id,
        "device_id": "4f2a9c1e",
    }


def post_sms(client: Client, fields: dict[str, str]) -> Any:
    return client.post(
        URL, urlencode(fields), content_type="application/x-www-form-urlencoded; charset=UTF-8"
    )


def task_url(task: str, secret: str | None = SECRET) -> str:
    query = {"task": task} if secret is None else {"task": task, "secret": secret}
    return f"{URL}?{urlencode(query)}"


def poll(client: Client, secret: str | None = SECRET) -> Any:
    return client.get(task_url("send", secret))


def confirm(client: Client, uuids: list[str], secret: str | None = None) -> Any:
    """`POST ?task=sent` as SMSSync sends it: no secret on the URL."""
    body = json.dumps({"queued_messages": uuids})
    return client.post(task_url("sent", secret), body, content_type="application/json")


def report_results(client: Client, results: list[dict[str, Any]], secret: str = SECRET) -> Any:
    body = json.dumps({"message_result": json.dumps(results)})
    return client.post(task_url("result", secret), body, content_type="application/json")


def phone_result(key: str, sent: int = ANDROID_OK, delivered: int = 0) -> dict[str, Any]:
    """One entry of SMSSync's message results, with its Android result codes."""
    return {
        "uuid": key,
        "sent_result_code": sent,
        "sent_result_message": "SMS sent" if sent == ANDROID_OK else "Sending failed",
        "delivered_result_code": delivered,
        "delivered_result_message": "SMS delivered" if delivered == ANDROID_OK else "",
        "sent_timestamp": "Mar 1, 2024 10:21:45 AM",
    }


def queued_alert(body: str = "Your contact needs help.") -> Message:
    return enqueue_message("sms", SENDER, body, purpose="alert:notify", gateway="smssync")


def test_it_receives_a_form_posted_sms_and_answers_with_the_reply_to_send(client: Client) -> None:
    response = post_sms(client, sms_fields("9e5c0c3a-1d7b-4a8e-b2f1-3c4d5e6f7a8b"))
    assert response.status_code == 200
    payload = response.json()["payload"]
    reply = Message.objects.get()
    assert payload == {
        "success": True,
        "error": None,
        "task": "send",
        "secret": SECRET,
        "messages": [{"to": SENDER, "message": MENU, "uuid": reply.idempotency_key}],
    }
    assert reply.status == Status.SENT
    assert reply.provider_message_id == reply.idempotency_key
    inbound = InboundMessage.objects.get()
    assert inbound.body == "hello"
    assert inbound.gateway == "smssync"


def test_it_receives_an_sms_posted_as_json(client: Client) -> None:
    response = client.post(
        URL, json.dumps(sms_fields("json-1", text="hi")), content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["payload"]["success"] is True
    assert InboundMessage.objects.get().provider_message_id == "json-1"


def test_the_same_sms_posted_234_times_is_one_message_and_one_reply(client: Client) -> None:
    fields = sms_fields("a3f1c2d4-0000-4000-8000-000000000234")
    handed_out = []
    for _ in range(234):
        response = post_sms(client, fields)
        assert response.status_code == 200
        payload = response.json()["payload"]
        assert payload["success"] is True
        handed_out.extend(payload["messages"])
    assert InboundMessage.objects.count() == 1
    assert Message.objects.count() == 1
    assert [message["uuid"] for message in handed_out] == [Message.objects.get().idempotency_key]


def test_a_retried_sms_gets_the_reply_its_first_post_left_queued(client: Client) -> None:
    post_sms(client, sms_fields("retry-1"))
    reply = Message.objects.get()
    # As if the first answer was lost before the reply was handed over.
    Message.objects.filter(pk=reply.pk).update(status=Status.QUEUED, provider_message_id="")
    payload = post_sms(client, sms_fields("retry-1")).json()["payload"]
    assert [message["uuid"] for message in payload["messages"]] == [reply.idempotency_key]
    assert InboundMessage.objects.count() == 1


def test_an_sms_from_an_unanswerable_sender_is_acknowledged_and_not_recorded(
    client: Client,
) -> None:
    response = post_sms(client, sms_fields("promo-1", sender="MPESA"))
    assert response.status_code == 200
    assert response.json() == {"payload": {"success": True, "error": None, "messages": []}}
    assert not InboundMessage.objects.exists()


@pytest.mark.parametrize("secret", ["wrong", "", SECRET.upper(), SECRET + " "])
def test_an_sms_with_a_wrong_secret_is_refused_and_changes_nothing(
    client: Client, secret: str
) -> None:
    response = post_sms(client, sms_fields("forged-1", secret=secret))
    assert response.status_code == 403
    assert not InboundMessage.objects.exists()
    assert not Message.objects.exists()


def test_an_sms_without_a_secret_is_refused(client: Client) -> None:
    fields = sms_fields("forged-2")
    del fields["secret"]
    assert post_sms(client, fields).status_code == 403
    assert not InboundMessage.objects.exists()


def test_everything_is_refused_while_no_secret_is_configured(
    client: Client, settings: Settings
) -> None:
    settings.SAFESPACES_SMSSYNC_SECRET = ""
    queued_alert()
    assert post_sms(client, sms_fields("x-1", secret="")).status_code == 403
    assert poll(client, secret="").status_code == 403
    assert confirm(client, ["anything"]).status_code == 403
    assert client.get(task_url("result", "")).status_code == 403
    assert Message.objects.get().status == Status.QUEUED


def test_the_secret_saved_in_the_console_is_the_one_checked(client: Client) -> None:
    GatewayAccount.objects.create(gateway="smssync", values=json.dumps({"secret": "from-console"}))
    assert post_sms(client, sms_fields("c-1")).status_code == 403
    assert post_sms(client, sms_fields("c-2", secret="from-console")).status_code == 200


def test_a_gateway_switched_off_in_the_console_refuses_the_phone(client: Client) -> None:
    alert = queued_alert()
    [offered] = poll(client).json()["payload"]["messages"]
    GatewayAccount.objects.create(gateway="smssync", values="{}", enabled=False)
    forget_cached()  # as the console does after a change
    assert post_sms(client, sms_fields("off-1")).status_code == 403
    assert poll(client).status_code == 403
    assert confirm(client, [offered["uuid"]]).status_code == 403
    alert.refresh_from_db()
    assert alert.status == Status.SENDING
    assert not InboundMessage.objects.exists()


@pytest.mark.parametrize("missing", ["message_id", "from", "message"])
def test_a_verified_sms_missing_a_field_is_a_bad_request(client: Client, missing: str) -> None:
    fields = sms_fields("m-1")
    del fields[missing]
    assert post_sms(client, fields).status_code == 400
    assert not InboundMessage.objects.exists()


def test_an_unreadable_body_cannot_prove_its_secret(client: Client) -> None:
    response = client.post(URL, b"{not json", content_type="application/json")
    assert response.status_code == 403


def test_the_phone_polls_for_messages_to_send(client: Client) -> None:
    alert = queued_alert()
    response = poll(client)
    assert response.status_code == 200
    assert response.json() == {
        "payload": {
            "task": "send",
            "secret": SECRET,
            "messages": [
                {"to": SENDER, "message": "Your contact needs help.", "uuid": alert.idempotency_key}
            ],
        }
    }
    alert.refresh_from_db()
    assert alert.status == Status.SENDING
    assert poll(client).json()["payload"]["messages"] == []


@pytest.mark.parametrize("secret", [None, "", "wrong"])
def test_a_poll_without_the_secret_is_refused_and_claims_nothing(
    client: Client, secret: str | None
) -> None:
    queued_alert()
    assert poll(client, secret=secret).status_code == 403
    assert Message.objects.get().status == Status.QUEUED


def test_the_phone_confirms_what_it_sends_without_a_secret_as_smssync_does(
    client: Client,
) -> None:
    alert = queued_alert()
    [offered] = poll(client).json()["payload"]["messages"]
    response = confirm(client, [offered["uuid"], "never-offered"])
    assert response.status_code == 200
    assert response.json() == {"message_uuids": [alert.idempotency_key]}
    alert.refresh_from_db()
    assert alert.status == Status.SENT


def test_a_confirmation_naming_no_offered_uuid_changes_nothing(client: Client) -> None:
    alert = queued_alert()
    response = confirm(client, [alert.idempotency_key, str(uuid.uuid4())])
    assert response.json() == {"message_uuids": []}
    alert.refresh_from_db()
    assert alert.status == Status.QUEUED


def test_a_confirmation_with_a_wrong_secret_is_refused(client: Client) -> None:
    queued_alert()
    [offered] = poll(client).json()["payload"]["messages"]
    assert confirm(client, [offered["uuid"]], secret="wrong").status_code == 403
    assert Message.objects.get().status == Status.SENDING
    assert confirm(client, [offered["uuid"]], secret=SECRET).status_code == 200


@pytest.mark.parametrize(
    "body",
    [b"{nope", b"[]", b'{"queued_messages": "abc"}', b'{"queued_messages": [1]}', b"\xff"],
)
def test_a_malformed_confirmation_is_a_bad_request(client: Client, body: bytes) -> None:
    response = client.post(task_url("sent", None), body, content_type="application/json")
    assert response.status_code == 400


def test_a_full_round_trip_from_an_sms_to_a_delivered_reply(client: Client) -> None:
    payload = post_sms(client, sms_fields("round-trip-1")).json()["payload"]
    [reply] = payload["messages"]
    assert client.get(task_url("result")).json() == {"message_uuids": [reply["uuid"]]}
    response = report_results(client, [phone_result(reply["uuid"], delivered=ANDROID_OK)])
    assert response.status_code == 200
    assert response.json() == {"message_uuids": [reply["uuid"]]}
    message = Message.objects.get()
    assert message.status == Status.DELIVERED
    assert message.delivered_at is not None
    assert client.get(task_url("result")).json() == {"message_uuids": []}


def test_a_full_round_trip_through_polling(client: Client) -> None:
    alert = queued_alert()
    [offered] = poll(client).json()["payload"]["messages"]
    assert confirm(client, [offered["uuid"]]).json() == {"message_uuids": [offered["uuid"]]}
    assert client.get(task_url("result")).json() == {"message_uuids": [offered["uuid"]]}
    report_results(client, [phone_result(offered["uuid"], sent=ANDROID_OK, delivered=0)])
    alert.refresh_from_db()
    assert alert.status == Status.SENT
    report_results(client, [phone_result(offered["uuid"], delivered=ANDROID_OK)])
    alert.refresh_from_db()
    assert alert.status == Status.DELIVERED


def test_a_phone_that_could_not_send_makes_the_message_failed_for_staff(client: Client) -> None:
    alert = queued_alert()
    [offered] = poll(client).json()["payload"]["messages"]
    confirm(client, [offered["uuid"]])
    report_results(client, [phone_result(offered["uuid"], sent=4)])
    alert.refresh_from_db()
    assert alert.status == Status.FAILED
    assert alert.last_error == "The smssync gateway reported the delivery failed (android-4)."
    assert AuditEvent.objects.filter(tag="message:failed", target=str(alert.pk)).exists()
    report_results(client, [phone_result(offered["uuid"], delivered=ANDROID_OK)])
    alert.refresh_from_db()
    assert alert.status == Status.FAILED


def test_results_posted_as_a_plain_list_are_read_too(client: Client) -> None:
    [reply] = post_sms(client, sms_fields("plain-1")).json()["payload"]["messages"]
    body = json.dumps({"message_result": [phone_result(reply["uuid"], delivered=ANDROID_OK)]})
    client.post(task_url("result"), body, content_type="application/json")
    assert Message.objects.get().status == Status.DELIVERED


@pytest.mark.parametrize("secret", [None, "wrong"])
def test_results_without_the_secret_are_refused(client: Client, secret: str | None) -> None:
    [reply] = post_sms(client, sms_fields("r-1")).json()["payload"]["messages"]
    assert client.get(task_url("result", secret)).status_code == 403
    body = json.dumps({"message_result": [phone_result(reply["uuid"], delivered=ANDROID_OK)]})
    response = client.post(task_url("result", secret), body, content_type="application/json")
    assert response.status_code == 403
    assert Message.objects.get().status == Status.SENT


def test_an_unknown_task_is_refused_unsigned_and_a_bad_request_signed(client: Client) -> None:
    assert client.get(task_url("dance", None)).status_code == 403
    assert client.get(task_url("dance")).status_code == 400
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}?{urlencode({'secret': SECRET})}").status_code == 400


def test_other_methods_are_not_allowed(client: Client) -> None:
    assert client.put(URL, urlencode(sms_fields("p-1"))).status_code == 405
    assert client.delete(URL).status_code == 405


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1709286067000", datetime(2024, 3, 1, 9, 41, 7, tzinfo=UTC)),
        ("1709286067", datetime(2024, 3, 1, 9, 41, 7, tzinfo=UTC)),
        ("", None),
        (None, None),
        ("yesterday", None),
        ("1e400", None),
        ("nan", None),
    ],
)
def test_it_reads_the_phones_timestamp_in_milliseconds_or_seconds(
    value: str | None, expected: datetime | None
) -> None:
    assert smssync.sent_timestamp(value) == expected


@pytest.mark.parametrize(
    ("sent", "delivered", "reported", "expected"),
    [
        (ANDROID_OK, ANDROID_OK, True, Status.DELIVERED),
        (0, ANDROID_OK, True, Status.DELIVERED),
        (ANDROID_OK, 0, False, Status.SENT),
        (0, 0, False, Status.SENT),
        # The documentation's example, read the other way round: never taken for delivered.
        (0, 0, True, Status.SENT),
        (0, ANDROID_OK, False, Status.SENT),
        (1, ANDROID_OK, True, Status.FAILED),
        (2, 0, False, Status.FAILED),
        (None, None, False, None),
    ],
)
def test_it_translates_the_phones_android_result_codes(
    sent: int | None, delivered: int | None, reported: bool, expected: str | None
) -> None:
    status, _code = smssync.outcome(sent, delivered, delivery_reported=reported)
    assert status == expected


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
field_names = st.sampled_from(
    ["secret", "from", "message", "message_id", "sent_to", "sent_timestamp", "device_id", "x"]
)


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.dictionaries(field_names, st.text(max_size=40), max_size=8))
def test_the_inbound_parser_reads_or_refuses_any_fields(fields: dict[str, str]) -> None:
    try:
        inbound = smssync.parse_inbound(fields)
    except MalformedRequest:
        return
    assert inbound.incoming.provider_message_id.strip() == inbound.incoming.provider_message_id
    assert inbound.incoming.gateway == "smssync"


@hypothesis_settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["message_result", "queued_messages", "x"]),
        json_values
        | st.lists(
            st.dictionaries(
                st.sampled_from(
                    [
                        "uuid",
                        "sent_result_code",
                        "delivered_result_code",
                        "delivered_result_message",
                    ]
                ),
                json_values,
            ),
            max_size=3,
        ),
    )
    | json_values
)
def test_the_task_parsers_read_or_refuse_any_json(document: object) -> None:
    for parse in (smssync.parse_results, smssync.parse_queued):
        try:
            parsed = parse(document)
        except MalformedRequest:
            continue
        assert isinstance(parsed, list)


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    task=st.sampled_from(["", "send", "sent", "result", "other"]),
    fields=st.dictionaries(field_names, st.text(max_size=30), max_size=8),
    raw=st.binary(max_size=60),
    as_json=st.booleans(),
)
def test_no_request_gets_a_server_error(
    client: Client, task: str, fields: dict[str, str], raw: bytes, as_json: bool
) -> None:
    fields["secret"] = SECRET
    url = task_url(task) if task else URL
    if as_json:
        response = client.post(url, raw, content_type="application/json")
    else:
        response = client.post(
            url, urlencode(fields), content_type="application/x-www-form-urlencoded"
        )
    assert response.status_code in {200, 400, 403}
    assert client.get(url).status_code in {200, 400, 403}


def phone_polls(barrier: threading.Barrier, taken: list[str], errors: list[BaseException]) -> None:
    try:
        client = Client()
        barrier.wait()
        while messages := poll(client).json()["payload"]["messages"]:
            taken.extend(message["uuid"] for message in messages)
    except BaseException as error:  # reported by the test
        errors.append(error)
    finally:
        connections.close_all()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_phones_polling_at_once_never_get_the_same_message() -> None:
    expected = {queued_alert(f"alert {n}").idempotency_key for n in range(50)}
    barrier = threading.Barrier(2)
    takings: list[list[str]] = [[], []]
    errors: list[BaseException] = []
    threads = [
        threading.Thread(target=phone_polls, args=(barrier, taken, errors)) for taken in takings
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    first, second = (set(taken) for taken in takings)
    assert first.isdisjoint(second)
    assert first | second == expected
    assert sum(len(taken) for taken in takings) == len(expected)
