"""Everyone an alert can reach, as one shape: who, in which language, on which channels.

The channels keep the order the person or coordinator chose; each has its address (a phone
number for SMS, WhatsApp and voice calls, an email address for email).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings

from safespaces.safety.models import (
    Consent,
    DutyShift,
    NetworkMember,
    ProtectedPerson,
    RecipientKind,
    TrustedContact,
)
from safespaces.safety.validation import PHONE_CHANNELS


@dataclass(frozen=True)
class Recipient:
    kind: str
    id: str
    language: str
    addresses: tuple[tuple[str, str], ...]
    codeword: str = ""
    contact: TrustedContact | None = field(default=None, compare=False)

    @property
    def channels(self) -> list[str]:
        return [channel for channel, _address in self.addresses]

    def address(self, channel: str) -> str:
        return dict(self.addresses).get(channel, "")


def reply_language(code: str) -> str:
    return code if code in dict(settings.LANGUAGES) else settings.SAFESPACES_SMS_LANGUAGE


def addresses_for(
    channels: str, phone: str | None, email: str | None
) -> tuple[tuple[str, str], ...]:
    found = []
    for channel in (part.strip() for part in channels.split(",")):
        if channel in PHONE_CHANNELS and phone:
            found.append((channel, phone))
        elif channel == "email" and email:
            found.append((channel, email))
    return tuple(dict(found).items())


def contact_recipient(contact: TrustedContact) -> Recipient:
    return Recipient(
        kind=RecipientKind.CONTACT,
        id=str(contact.pk),
        language=reply_language(contact.language),
        addresses=addresses_for(contact.channels, contact.phone, contact.email),
        codeword=contact.codeword or "",
        contact=contact,
    )


def shift_recipient(shift: DutyShift) -> Recipient:
    officer = shift.officer
    return Recipient(
        kind=RecipientKind.DUTY,
        id=str(shift.pk),
        language=reply_language(officer.language),
        addresses=addresses_for(shift.channels, shift.phone, officer.email),
    )


def member_recipient(member: NetworkMember) -> Recipient:
    return Recipient(
        kind=RecipientKind.NETWORK,
        id=str(member.pk),
        language=reply_language(member.language),
        addresses=addresses_for(member.channels, member.phone, member.email),
    )


def person_recipient(person: ProtectedPerson) -> Recipient:
    return Recipient(
        kind=RecipientKind.PERSON,
        id=str(person.pk),
        language=reply_language(person.language),
        addresses=addresses_for("sms,email", person.phone, person.email),
    )


def agreed_contacts(person: ProtectedPerson) -> list[TrustedContact]:
    """Contacts who said yes, in the person's order; nobody else is ever alerted."""
    return list(person.contacts.filter(consent=Consent.AGREED))


def find_recipient(person: ProtectedPerson, kind: str, recipient_id: str) -> Recipient | None:
    """The recipient as they are now; None if gone, or a contact who no longer agrees."""
    if kind == RecipientKind.CONTACT:
        contact = person.contacts.filter(pk=recipient_id, consent=Consent.AGREED).first()
        return contact_recipient(contact) if contact else None
    if kind == RecipientKind.DUTY:
        shift = DutyShift.objects.select_related("officer").filter(pk=recipient_id).first()
        return shift_recipient(shift) if shift else None
    if kind == RecipientKind.NETWORK:
        member = NetworkMember.objects.filter(pk=recipient_id).first()
        return member_recipient(member) if member else None
    return person_recipient(person) if recipient_id == str(person.pk) else None
