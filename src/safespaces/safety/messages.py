"""The words of every message the safety app sends, in the recipient's language.

Each builder returns a Text: a subject (the first line of an email) and the lines of the body.
A drill says so in its subject and first line; a contact's alert carries their codeword, so
they can tell it from a forged one; a voice call leaves out the link nobody can click.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from safespaces.safety.locations import Location, decode_location
from safespaces.safety.models import (
    Alert,
    Outcome,
    ProtectedPerson,
    RecipientKind,
    Situation,
    SupportNetwork,
    Trigger,
    TrustedContact,
)
from safespaces.safety.recipients import Recipient

CANARY_PREFIX = "SafeSpaces self-test"


@dataclass(frozen=True)
class Text:
    subject: str
    lines: list[str]
    link: str = ""
    extra: list[str] = field(default_factory=list)

    def for_channel(self, channel: str) -> str:
        lines = [line for line in self.lines if line]
        if self.link and channel != "voice":
            lines.append(self.link)
        lines.extend(line for line in self.extra if line)
        if channel == "email":
            return self.subject + "\n\n" + "\n\n".join(lines)
        return " ".join(lines)


def site() -> str:
    return settings.SAFESPACES_SITE_NAME


def zone_of(person: ProtectedPerson) -> ZoneInfo:
    return ZoneInfo(person.time_zone or settings.TIME_ZONE)


def clock_time(moment: datetime, person: ProtectedPerson) -> str:
    return timezone.localtime(moment, zone_of(person)).strftime("%H:%M")


def drill(text: str, is_drill: bool) -> str:
    if not is_drill:
        return text
    return _("DRILL, not a real emergency: %(message)s") % {"message": text}


def trigger_words(trigger: str) -> str:
    return str(Trigger(trigger).label) if trigger in Trigger.values else trigger


def location_words(person: ProtectedPerson) -> str:
    location = decode_location(person.last_location)
    if location.is_empty or person.last_location_at is None:
        return _("No location is known yet.")
    return _("Last known location: %(place)s at %(time)s.") % {
        "place": location.describe(),
        "time": clock_time(person.last_location_at, person),
    }


def codeword_line(recipient: Recipient) -> str:
    if not recipient.codeword:
        return ""
    return _("Your codeword: %(codeword)s.") % {"codeword": recipient.codeword}


def answer_line(recipient: Recipient) -> str:
    if recipient.kind == RecipientKind.CONTACT and "sms" in recipient.channels:
        return _("Reply ACK when you are taking care of it, or open the live page:")
    return _("Live page:")


def consent_request(contact: TrustedContact, link: str, channel: str) -> Text:
    """Asks a new contact to agree to receive a person's alerts."""
    with translation.override(contact.language or settings.SAFESPACES_SMS_LANGUAGE):
        values = {"site": site(), "alias": contact.person.alias}
        subject = _("%(site)s: will you receive safety alerts for %(alias)s?") % values
        if channel == "email":
            lines = [
                _(
                    "%(alias)s has named you as a trusted contact on %(site)s. If they are in "
                    "danger, we will tell you at once."
                )
                % values,
                _("Open this link to agree or decline:"),
            ]
            return Text(subject, lines, link=link)
        line = (
            _(
                "%(site)s: %(alias)s has named you as a trusted contact for safety alerts. "
                "Reply YES to receive them or NO to decline."
            )
            % values
        )
        return Text(subject, [line])


def alert_message(alert: Alert, recipient: Recipient, link: str) -> Text:
    """The first message of an alert to a contact or a duty officer."""
    person = alert.person
    with translation.override(recipient.language):
        values = {"site": site(), "alias": person.alias, "trigger": trigger_words(alert.trigger)}
        subject = drill(_("%(site)s ALERT: %(alias)s may be in danger") % values, alert.is_drill)
        first = drill(
            _("%(site)s ALERT: %(alias)s may be in danger (%(trigger)s).") % values,
            alert.is_drill,
        )
        lines = [first, person.situation or "", location_words(person), codeword_line(recipient)]
        lines.append(answer_line(recipient))
        return Text(subject, lines, link=link)


def repeat_message(alert: Alert, recipient: Recipient, link: str) -> Text:
    person = alert.person
    with translation.override(recipient.language):
        values = {
            "site": site(),
            "alias": person.alias,
            "since": clock_time(alert.opened_at, person),
        }
        subject = drill(_("%(site)s ALERT still open: %(alias)s") % values, alert.is_drill)
        first = drill(
            _("%(site)s ALERT for %(alias)s, open since %(since)s, is not acknowledged yet.")
            % values,
            alert.is_drill,
        )
        lines = [first, location_words(person), codeword_line(recipient), answer_line(recipient)]
        return Text(subject, lines, link=link)


def update_message(alert: Alert, recipient: Recipient, location: Location, link: str) -> Text:
    person = alert.person
    with translation.override(recipient.language):
        values = {"site": site(), "alias": person.alias, "place": location.describe()}
        subject = drill(_("%(site)s: new location of %(alias)s") % values, alert.is_drill)
        first = drill(
            _("%(site)s update for %(alias)s: now at %(place)s.") % values, alert.is_drill
        )
        return Text(subject, [first, codeword_line(recipient), _("Live page:")], link=link)


def reminder_message(alert: Alert, recipient: Recipient) -> Text:
    """To the person whose check-in is overdue; worded so that it gives nothing away."""
    with translation.override(recipient.language):
        subject = drill(_("%(site)s: your check-in is overdue") % {"site": site()}, alert.is_drill)
        line = drill(
            _("%(site)s: your check-in is overdue. If you are safe, reply with your check-in word.")
            % {"site": site()},
            alert.is_drill,
        )
        return Text(subject, [line])


def network_message(alert: Alert, network: SupportNetwork, recipient: Recipient, link: str) -> Text:
    """The network's own template, its instructions for this situation, and the link."""
    person = alert.person
    with translation.override(recipient.language):
        body = (
            network.template.replace("{alias}", person.alias)
            .replace("{situation}", person.situation or "")
            .replace("{link}", link)
        )
        instruction = network.instructions.filter(situation=situation_of(alert)).first()
        subject = drill(
            _("%(site)s: support network %(network)s activated for %(alias)s")
            % {"site": site(), "network": network.name, "alias": person.alias},
            alert.is_drill,
        )
        lines = [drill(body, alert.is_drill), instruction.text if instruction else ""]
        lines.append(location_words(person))
        # The template may place the link itself; otherwise it goes at the end.
        return Text(subject, lines, link="" if "{link}" in network.template else link)


def failure_notice(alert: Alert, recipient: Recipient, link: str) -> Text:
    """To the duty officer when an alert message reached nobody on any channel."""
    with translation.override(recipient.language):
        values = {"site": site(), "alias": alert.person.alias}
        subject = drill(_("%(site)s: an alert message was not delivered") % values, alert.is_drill)
        line = drill(
            _(
                "%(site)s: a message about the alert for %(alias)s could not be delivered on "
                "any channel. Please check the duty console."
            )
            % values,
            alert.is_drill,
        )
        return Text(subject, [line], link=link)


def ended_message(alert: Alert, recipient: Recipient) -> Text:
    """To everyone alerted, once the person ended the alert or staff resolved it."""
    with translation.override(recipient.language):
        values = {"site": site(), "alias": alert.person.alias}
        if alert.outcome in Outcome.values:
            values["outcome"] = str(Outcome(alert.outcome).label)
            line = _("%(site)s: the alert for %(alias)s is over (%(outcome)s). Thank you.") % values
        else:
            line = _("%(site)s: the alert for %(alias)s is over. Thank you.") % values
        subject = drill(_("%(site)s: alert over for %(alias)s") % values, alert.is_drill)
        return Text(subject, [drill(line, alert.is_drill)])


def canary_text(token: str) -> str:
    """Not translated: the self-test is recognised by these words when it comes back."""
    return f"{CANARY_PREFIX} {token}"


def situation_of(alert: Alert) -> str:
    if alert.trigger == Trigger.MISSED_CHECKIN:
        return Situation.MISSED_CHECKIN
    if alert.trigger == Trigger.DURESS:
        return Situation.DURESS
    return Situation.PANIC
