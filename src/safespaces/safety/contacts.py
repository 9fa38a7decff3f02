"""Trusted contacts and their consent: asked at once, and alerted only once they agree.

A contact is asked by SMS (reply YES or NO) and, when they have an email address, by email
with a link to the consent page. STOP withdraws consent for every person the number watches.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safespaces.audit.actions import record_event
from safespaces.outbox.actions import RecipientOptedOut, enqueue_message
from safespaces.safety import links, messages
from safespaces.safety.models import Consent, ProtectedPerson, TrustedContact
from safespaces.safety.people import contacts_by_phone
from safespaces.safety.validation import (
    MAX_NAME_CHARS,
    MAX_WORD_CHARS,
    SafetyInvalid,
    channel_list,
    email_address,
    language_code,
    phone_number,
    refuse,
    required_text,
)
from safespaces.vault.blind_index import email_index, phone_index

if TYPE_CHECKING:
    from safespaces.accounts.models import User

CONSENT_PURPOSE = "safety:consent"
CONTACT_FIELDS = ("name", "phone", "email", "language", "channels", "codeword")


@transaction.atomic
def add_contact(
    person: ProtectedPerson,
    *,
    name: str,
    phone: str = "",
    email: str = "",
    language: str = "",
    channels: str = "sms,email",
    codeword: str,
    actor: User | None,
) -> TrustedContact:
    """Add a contact and queue the request for their consent in the same transaction."""
    contact = TrustedContact(person=person, position=person.contacts.count())
    set_contact_fields(
        contact,
        {
            "name": name,
            "phone": phone,
            "email": email,
            "language": language,
            "channels": channels,
            "codeword": codeword,
        },
    )
    contact.save()
    asked = ask_for_consent(contact)
    record_event(
        "contact:add", actor, str(contact.pk), {"person": str(person.pk), "asked_by": asked}
    )
    return contact


def set_contact_fields(contact: TrustedContact, given: dict[str, Any]) -> list[str]:
    merged = {name: getattr(contact, name) or "" for name in CONTACT_FIELDS} | given
    cleaned = {
        "name": required_text("name", merged["name"], MAX_NAME_CHARS),
        "phone": phone_number("phone", merged["phone"]),
        "email": email_address("email", merged["email"]),
        "language": language_code("language", merged["language"]),
        "codeword": required_text("codeword", merged["codeword"], MAX_WORD_CHARS),
    }
    if not cleaned["phone"] and not cleaned["email"]:
        raise refuse("phone", _("Give a phone number or an email address."))
    cleaned["channels"] = channel_list(
        "channels", merged["channels"], phone=cleaned["phone"], email=cleaned["email"]
    )
    changed = sorted(
        name for name in CONTACT_FIELDS if (getattr(contact, name) or "") != cleaned[name]
    )
    for name in changed:
        setattr(contact, name, cleaned[name])
    contact.phone_index = phone_index(contact.phone) if contact.phone else ""
    contact.email_index = email_index(contact.email) if contact.email else ""
    return changed


def ask_for_consent(contact: TrustedContact) -> list[str]:
    """Queue the consent request; the channels it went by (a number that said STOP: none)."""
    asked = []
    if contact.phone:
        text = messages.consent_request(contact, "", "sms")
        try:
            enqueue_message("sms", contact.phone, text.for_channel("sms"), purpose=CONSENT_PURPOSE)
            asked.append("sms")
        except RecipientOptedOut:
            pass
    if contact.email:
        text = messages.consent_request(contact, links.consent_page_url(contact), "email")
        enqueue_message("email", contact.email, text.for_channel("email"), purpose=CONSENT_PURPOSE)
        asked.append("email")
    now = timezone.now()
    TrustedContact.objects.filter(pk=contact.pk).update(
        consent=Consent.ASKED, consent_asked_at=now, consent_changed_at=now
    )
    contact.consent, contact.consent_asked_at, contact.consent_changed_at = Consent.ASKED, now, now
    return asked


@transaction.atomic
def update_contact(contact: TrustedContact, *, actor: User | None, **fields: Any) -> TrustedContact:
    """Change a contact; a new number or address is asked for consent afresh."""
    unknown = sorted(set(fields) - set(CONTACT_FIELDS))
    if unknown:
        raise SafetyInvalid({name: _("This field cannot be changed here.") for name in unknown})
    changed = set_contact_fields(contact, fields)
    contact.save()
    asked: list[str] = []
    if {"phone", "email"} & set(changed):
        asked = ask_for_consent(contact)
    record_event("contact:update", actor, str(contact.pk), {"fields": changed, "asked_by": asked})
    return contact


@transaction.atomic
def ask_consent_again(contact: TrustedContact, *, actor: User | None) -> list[str]:
    asked = ask_for_consent(contact)
    record_event("contact:ask", actor, str(contact.pk), {"asked_by": asked})
    return asked


@transaction.atomic
def remove_contact(contact: TrustedContact, *, actor: User | None) -> None:
    contact_id, person_id = str(contact.pk), str(contact.person_id)
    contact.delete()
    record_event("contact:remove", actor, contact_id, {"person": person_id})


def set_consent(contact: TrustedContact, consent: str, how: str) -> bool:
    """Record the contact's answer; False when it was already that."""
    changed = (
        TrustedContact.objects.filter(pk=contact.pk)
        .exclude(consent=consent)
        .update(consent=consent, consent_changed_at=timezone.now())
    )
    if changed:
        contact.refresh_from_db(fields=["consent", "consent_changed_at"])
        record_event("contact:consent", "contact", str(contact.pk), {"consent": consent, "by": how})
    return changed == 1


@transaction.atomic
def contact_replied(phone: str, agreed: bool) -> list[TrustedContact]:
    """SMS YES or NO from a contact's number: the answer for every person who asked them.

    A number that said STOP must be asked again by staff before a YES counts.
    """
    answer = Consent.AGREED if agreed else Consent.DECLINED
    contacts = [c for c in contacts_by_phone(phone) if c.consent != Consent.WITHDRAWN]
    for contact in contacts:
        set_consent(contact, answer, "sms")
    return contacts


@transaction.atomic
def contact_stopped(phone: str) -> list[TrustedContact]:
    """SMS STOP from a contact's number: consent withdrawn for every person they watched."""
    contacts = contacts_by_phone(phone)
    for contact in contacts:
        set_consent(contact, Consent.WITHDRAWN, "sms")
    return contacts


@transaction.atomic
def consent_by_link(contact: TrustedContact, agreed: bool) -> None:
    """The answer given on the consent page the email linked to."""
    set_consent(contact, Consent.AGREED if agreed else Consent.DECLINED, "link")
