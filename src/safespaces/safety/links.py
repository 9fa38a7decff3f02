"""Signed links: the person's panic page, a contact's live alert page, a contact's consent page.

Each purpose signs with its own salt, so a token made for one never opens another. Ids travel
as URL-safe base64 to keep the links short enough for a text message.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import timedelta

from django.conf import settings
from django.core import signing

from safespaces.safety.models import (
    Alert,
    AlertStatus,
    Consent,
    NetworkMember,
    ProtectedPerson,
    RecipientKind,
    TrustedContact,
)

PANIC_SALT = "safespaces.safety.panic"
ALERT_PAGE_SALT = "safespaces.safety.alert-page"
CONSENT_SALT = "safespaces.safety.consent"
CONSENT_LINK_DAYS = 30
KIND_LETTERS = {
    RecipientKind.CONTACT: "c",
    RecipientKind.DUTY: "d",
    RecipientKind.NETWORK: "n",
    RecipientKind.PERSON: "p",
}
LETTER_KINDS = {letter: kind for kind, letter in KIND_LETTERS.items()}
# Recipients whose id is a UUID (a duty shift's is a number).
UUID_KINDS = frozenset({RecipientKind.CONTACT, RecipientKind.NETWORK, RecipientKind.PERSON})


def short_id(value: uuid.UUID | str) -> str:
    raw = value.bytes if isinstance(value, uuid.UUID) else uuid.UUID(str(value)).bytes
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def long_id(text: str) -> uuid.UUID | None:
    if len(text) != 22:
        return None
    try:
        return uuid.UUID(bytes=base64.urlsafe_b64decode(text + "=="))
    except (binascii.Error, ValueError):
        return None


def panic_token(person: ProtectedPerson) -> str:
    """The person's panic link token; giving out a new version revokes every older one."""
    payload = f"{short_id(person.pk)}.{person.panic_link_version}"
    return signing.Signer(salt=PANIC_SALT).sign(payload)


def person_for_panic_token(token: str) -> ProtectedPerson | None:
    try:
        payload = signing.Signer(salt=PANIC_SALT).unsign(token)
    except signing.BadSignature:
        return None
    person_part, _dot, version = payload.partition(".")
    person_id = long_id(person_part)
    if person_id is None or not version.isdigit():
        return None
    return ProtectedPerson.objects.filter(
        pk=person_id, active=True, panic_link_version=int(version)
    ).first()


def alert_page_token(alert: Alert, recipient_kind: str, recipient_id: str) -> str:
    kind = RecipientKind(recipient_kind)
    recipient = short_id(recipient_id) if kind in UUID_KINDS else str(int(recipient_id))
    payload = f"{short_id(alert.pk)}.{KIND_LETTERS[kind]}.{recipient}"
    return signing.TimestampSigner(salt=ALERT_PAGE_SALT).sign(payload)


def alert_for_page_token(token: str) -> tuple[Alert, str, str] | None:
    """(alert, recipient kind, recipient id) while the link is fresh and the alert not over."""
    max_age = timedelta(hours=settings.SAFESPACES_ALERT_LINK_HOURS)
    try:
        payload = signing.TimestampSigner(salt=ALERT_PAGE_SALT).unsign(token, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    parts = payload.split(".")
    if len(parts) != 3 or parts[1] not in LETTER_KINDS:
        return None
    alert_id, kind = long_id(parts[0]), LETTER_KINDS[parts[1]]
    recipient_id = recipient_from_token(kind, parts[2])
    if alert_id is None or recipient_id is None:
        return None
    alert = (
        Alert.objects.select_related("person")
        .exclude(status=AlertStatus.RESOLVED)
        .filter(pk=alert_id)
        .first()
    )
    if alert is None or not recipient_still_entitled(alert, kind, recipient_id):
        return None
    return alert, kind.value, recipient_id


def recipient_from_token(kind: RecipientKind, text: str) -> str | None:
    if kind in UUID_KINDS:
        value = long_id(text)
        return None if value is None else str(value)
    return text if text.isdigit() else None


def recipient_still_entitled(alert: Alert, kind: RecipientKind, recipient_id: str) -> bool:
    """A contact who withdrew, or was removed, loses the page at once."""
    if kind == RecipientKind.CONTACT:
        return TrustedContact.objects.filter(
            pk=recipient_id, person_id=alert.person_id, consent=Consent.AGREED
        ).exists()
    if kind == RecipientKind.NETWORK:
        return NetworkMember.objects.filter(
            pk=recipient_id, network__organisation_id=alert.person.organisation_id
        ).exists()
    if kind == RecipientKind.PERSON:
        return recipient_id == str(alert.person_id)
    return alert.deliveries.filter(recipient_kind=kind, recipient_id=recipient_id).exists()


def consent_token(contact: TrustedContact) -> str:
    return signing.TimestampSigner(salt=CONSENT_SALT).sign(short_id(contact.pk))


def contact_for_consent_token(token: str) -> TrustedContact | None:
    try:
        payload = signing.TimestampSigner(salt=CONSENT_SALT).unsign(
            token, max_age=timedelta(days=CONSENT_LINK_DAYS)
        )
    except signing.BadSignature:
        return None
    contact_id = long_id(payload)
    if contact_id is None:
        return None
    return TrustedContact.objects.select_related("person").filter(pk=contact_id).first()


def public_url(path: str) -> str:
    """An absolute link for a message: the public address, else the base address."""
    base = settings.SAFESPACES_PUBLIC_URL or settings.SAFESPACES_BASE_URL
    return base.rstrip("/") + path


def panic_page_url(person: ProtectedPerson) -> str:
    return public_url(f"/help/panic/{panic_token(person)}/")


def alert_page_url(alert: Alert, recipient_kind: str, recipient_id: str) -> str:
    return public_url(f"/alerts/{alert_page_token(alert, recipient_kind, recipient_id)}/")


def consent_page_url(contact: TrustedContact) -> str:
    return public_url(f"/consent/{consent_token(contact)}/")


def duty_alert_url(alert: Alert) -> str:
    return public_url(f"/staff/duty/alerts/{alert.pk}/")
