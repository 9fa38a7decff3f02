"""Email through an SMTP server (settings SAFESPACES_SMTP_*)."""

from __future__ import annotations

import smtplib
import ssl
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from typing import TYPE_CHECKING

from django.conf import settings

from safespaces.outbox.gateways.base import (
    Gateway,
    PermanentFailure,
    SendResult,
    TemporaryFailure,
)
from safespaces.outbox.gateways.registry import register

if TYPE_CHECKING:
    from safespaces.outbox.models import Message

SUBJECT_LIMIT = 78


def message_id_for(idempotency_key: str) -> str:
    """The same Message-ID on every attempt, so a resent email is recognisably the same one."""
    _name, sender = parseaddr(settings.SAFESPACES_EMAIL_FROM)
    domain = sender.rpartition("@")[2] or "safespaces.invalid"
    return f"<{idempotency_key}@{domain}>"


def recipient_address(raw: str) -> str:
    try:
        address = Address(addr_spec=raw.strip())
    except (ValueError, IndexError):
        raise PermanentFailure("The email address is not valid.", recipient=True) from None
    if not address.username or not address.domain:
        raise PermanentFailure("The email address is not valid.", recipient=True)
    return address.addr_spec


def compose(message: Message) -> EmailMessage:
    """The first line of the body is the subject; the whole body is the text."""
    body = message.body or ""
    email = EmailMessage()
    email["From"] = settings.SAFESPACES_EMAIL_FROM
    email["To"] = recipient_address(message.recipient or "")
    email["Subject"] = body.strip().splitlines()[0][:SUBJECT_LIMIT] if body.strip() else ""
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = message_id_for(message.idempotency_key)
    email.set_content(body)
    return email


def connect() -> smtplib.SMTP:
    host, port = settings.SAFESPACES_SMTP_HOST, settings.SAFESPACES_SMTP_PORT
    timeout = settings.SAFESPACES_SMTP_TIMEOUT
    context = ssl.create_default_context()
    if settings.SAFESPACES_SMTP_SECURITY == "tls":
        server: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
    else:
        server = smtplib.SMTP(host, port, timeout=timeout)
        if settings.SAFESPACES_SMTP_SECURITY == "starttls":
            server.starttls(context=context)
    if settings.SAFESPACES_SMTP_USER:
        server.login(settings.SAFESPACES_SMTP_USER, settings.SAFESPACES_SMTP_PASSWORD)
    return server


def failure_for_code(code: int, what: str, *, recipient: bool = False) -> Exception:
    if 400 <= code < 500:
        return TemporaryFailure(f"The SMTP server deferred {what} ({code}).")
    return PermanentFailure(f"The SMTP server refused {what} ({code}).", recipient=recipient)


@register
class SmtpGateway(Gateway):
    name = "smtp"
    channels = frozenset({"email"})

    def send(self, message: Message) -> SendResult:
        email = compose(message)
        try:
            server = connect()
            try:
                server.send_message(email)
            finally:
                self._quit(server)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _text in error.recipients.values()]
            raise failure_for_code(min(codes), "the recipient", recipient=True) from None
        except smtplib.SMTPAuthenticationError as error:
            raise failure_for_code(error.smtp_code, "our credentials") from None
        except smtplib.SMTPSenderRefused as error:
            raise failure_for_code(error.smtp_code, "our sender address") from None
        except smtplib.SMTPResponseException as error:
            # The server's text may quote the address, so only its code is kept.
            raise failure_for_code(error.smtp_code, "the message") from None
        except (smtplib.SMTPException, OSError) as error:
            # Timeouts, refused connections, dropped sessions, TLS trouble: try again later.
            raise TemporaryFailure(
                f"The SMTP server could not be reached ({type(error).__name__})."
            ) from None
        return SendResult(provider_message_id=email["Message-ID"])

    @staticmethod
    def _quit(server: smtplib.SMTP) -> None:
        try:
            server.quit()
        except (smtplib.SMTPException, OSError):
            server.close()
