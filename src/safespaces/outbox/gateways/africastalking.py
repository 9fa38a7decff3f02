"""Africa's Talking SMS: send through its messaging API; read its inbound and delivery callbacks.

Africa's Talking does not sign its callbacks, so each callback URL carries a secret token
(`?token=`, SAFESPACES_AFRICASTALKING_HOOK_TOKEN); with no token configured every callback is
refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

from safespaces.outbox.gateways import http_client, inbound_fields
from safespaces.outbox.gateways.base import (
    Gateway,
    GatewayError,
    Incoming,
    PermanentFailure,
    RefusedRequest,
    SendResult,
    TemporaryFailure,
)
from safespaces.outbox.gateways.config import gateway_setting
from safespaces.outbox.gateways.inbound_fields import DeliveryReport
from safespaces.outbox.gateways.registry import register
from safespaces.outbox.gateways.shared_secret import matches_secret
from safespaces.outbox.models import Status

if TYPE_CHECKING:
    from safespaces.outbox.models import Message

NAME = "africastalking"
LABEL = "Africa's Talking"
SEND_PATH = "/version1/messaging"

ACCEPTED = frozenset({100, 101, 102})  # Processed, Sent, Queued: the id arrives with them

# Per-recipient statusCode of a refused message, and what it means for us:
#
#   code  status                 kind        why
#   401   RiskHold               gateway     our account is held for review; another may send
#   402   InvalidSenderId        gateway     our shortcode or sender id is refused: ditto
#   403   InvalidPhoneNumber     recipient   the number itself is wrong: no gateway can help
#   404   UnsupportedNumberType  recipient   not a number SMS can reach (a landline, say)
#   405   InsufficientBalance    gateway     no credit: fail over now, do not wait for a top-up
#   406   UserInBlacklist        recipient   the person blocked our sender: respect it
#   407   CouldNotRoute          gateway     no route to that network here; another may have one
#   409   DoNotDisturbRejection  gateway     DND rules bind this sender's route (promotional
#                                            shortcodes); a transactional route may still reach them
#   500   InternalServerError    temporary   Africa's Talking's own fault: try again later
#   501   GatewayError           temporary   the operator's gateway failed for now
#   502   RejectedByGateway      gateway     the operator refused our traffic; another route may not
#
# Any other code is treated as temporary: retries are bounded, and a message is never lost.
RECIPIENT_FAULTS = {403: "InvalidPhoneNumber", 404: "UnsupportedNumberType", 406: "UserInBlacklist"}
GATEWAY_FAULTS = {
    401: "RiskHold",
    402: "InvalidSenderId",
    405: "InsufficientBalance",
    407: "CouldNotRoute",
    409: "DoNotDisturbRejection",
    502: "RejectedByGateway",
}
TEMPORARY_FAULTS = {500: "InternalServerError", 501: "GatewayError"}
CODE_OF_STATUS = {
    name: code
    for table in (RECIPIENT_FAULTS, GATEWAY_FAULTS, TEMPORARY_FAULTS)
    for code, name in table.items()
}

# Delivery reports' status, in the outbox's terms.
REPORTED_STATUS = {
    "Sent": Status.SENT,
    "Submitted": Status.SENT,
    "Buffered": Status.SENT,
    "Success": Status.DELIVERED,
    "Rejected": Status.FAILED,
    "Failed": Status.FAILED,
}


def failure_for_code(code: int) -> GatewayError:
    if code in RECIPIENT_FAULTS:
        reason = f"{LABEL} refused the recipient ({code} {RECIPIENT_FAULTS[code]})."
        return PermanentFailure(reason, recipient=True)
    if code in GATEWAY_FAULTS:
        return PermanentFailure(f"{LABEL} refused the message ({code} {GATEWAY_FAULTS[code]}).")
    name = TEMPORARY_FAULTS.get(code, "unknown")
    return TemporaryFailure(f"{LABEL} could not send the message now ({code} {name}).")


def status_code_of(recipient: Mapping[str, Any]) -> int | None:
    code = recipient.get("statusCode")
    if isinstance(code, bool):
        return None
    if isinstance(code, int):
        return code
    if isinstance(code, str) and code.strip().isdigit() and len(code.strip()) < 6:
        return int(code.strip())
    return None


def result_of_send(payload: Any) -> SendResult:
    """Read the messaging API's JSON answer for one recipient; raise what a refusal means."""
    data = payload.get("SMSMessageData") if isinstance(payload, dict) else None
    recipients = data.get("Recipients") if isinstance(data, dict) else None
    if not isinstance(recipients, list):
        # The message may have gone: a retry risks a duplicate, never a loss.
        raise TemporaryFailure(f"{LABEL} gave an answer we could not read.")
    if not recipients:
        # Refused outright: the summary names the reason, e.g. "InvalidSenderId".
        summary = data.get("Message") if isinstance(data, dict) else None
        code = CODE_OF_STATUS.get(summary) if isinstance(summary, str) else None
        if code is None:
            raise TemporaryFailure(f"{LABEL} accepted no recipient and gave no known reason.")
        raise failure_for_code(code)
    first = recipients[0]
    code = status_code_of(first) if isinstance(first, dict) else None
    if code is None:
        raise TemporaryFailure(f"{LABEL} gave an answer we could not read.")
    if code not in ACCEPTED:
        raise failure_for_code(code)
    message_id = first.get("messageId")
    usable = isinstance(message_id, str) and message_id not in ("", "None")
    return SendResult(provider_message_id=message_id if usable else "")


def verify_hook_token(request: HttpRequest) -> None:
    """Raise RefusedRequest unless the callback URL carries our secret token."""
    if not matches_secret(request.GET.get("token", ""), gateway_setting(NAME, "hook_token")):
        raise RefusedRequest


def incoming_from(fields: Mapping[str, str]) -> Incoming:
    """An inbound SMS callback (from, to, text, date, id, linkId, networkCode)."""
    return Incoming(
        gateway=NAME,
        channel="sms",
        provider_message_id=inbound_fields.provider_id(fields, "id"),
        sender=inbound_fields.required(fields, "from"),
        body=inbound_fields.text(fields, "text"),
        recipient=inbound_fields.text(fields, "to").strip(),
    )


def delivery_report_from(fields: Mapping[str, str]) -> DeliveryReport | None:
    """A delivery report (id, status, failureReason, ...); None for a status we do not know."""
    message_id = inbound_fields.provider_id(fields, "id")
    status = REPORTED_STATUS.get(inbound_fields.required(fields, "status"))
    if status is None:
        return None
    reason = inbound_fields.text(fields, "failureReason").strip() or None
    return DeliveryReport(message_id, status, reason if status == Status.FAILED else None)


@register
class AfricasTalkingGateway(Gateway):
    name = NAME
    channels = frozenset({"sms"})

    def send(self, message: Message) -> SendResult:
        username = gateway_setting(NAME, "username")
        api_key = gateway_setting(NAME, "api_key")
        if not username or not api_key:
            raise PermanentFailure(f"The {LABEL} gateway has no username or API key configured.")
        form = {"username": username, "to": message.recipient or "", "message": message.body or ""}
        shortcode = gateway_setting(NAME, "shortcode")
        if shortcode:
            form["from"] = shortcode
        base = gateway_setting(NAME, "api_url").rstrip("/")
        url = base + SEND_PATH if base else ""
        headers = {"apiKey": api_key, "Accept": "application/json"}
        response = http_client.post(LABEL, url, headers=headers, data=form)
        if not response.is_success:
            raise http_client.failure_for_status(LABEL, response.status_code)
        return result_of_send(http_client.json_or_none(response))
