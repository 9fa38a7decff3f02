"""The safety side of text messages: who a sender is to the safety app, and what they are told.

The sender's number decides: a protected person (safety.actions.person_by_index) may raise
alerts, check in, start a timer, send a place and end an alert; a trusted contact
(contacts_by_phone) answers an opt-in request with YES or NO and acknowledges alerts with ACK.
Anyone else learns nothing of either: those commands answer them as if they were not commands.
"""

from __future__ import annotations

import datetime
import unicodedata

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext, override

from safespaces.conversations.commands import Turn
from safespaces.conversations.keywords import first_keyword, fold
from safespaces.conversations.report_dialog import YES_WORDS
from safespaces.reports.locating import locate_unattended
from safespaces.safety import schedule
from safespaces.safety.actions import (
    CheckInResult,
    SafetyInvalid,
    check_in,
    contact_replied,
    person_by_index,
)
from safespaces.safety.models import CheckInPlan, ProtectedPerson, TrustedContact
from safespaces.safety.validation import MAX_PIN_CHARS, MAX_PLACE_CHARS

NO_WORDS = frozenset(fold(word) for word in ("no", "n", "nope", "non", "لا", "لأ", "كلا"))
# "PANIC DRILL" raises a drill: every message it causes says so.
DRILL_WORDS = frozenset(
    fold(word)
    for word in ("drill", "test", "تدريب", "تجربة", "exercice", "essai", "simulacro", "prueba")
)


def language_for(turn: Turn, person: ProtectedPerson | None = None) -> str:
    """The person's own choice by LANG, else the language staff set for them, else the turn's."""
    if turn.correspondent.language:
        return turn.correspondent.language
    if person is not None and person.language:
        return person.language
    return turn.language


def sender_person(turn: Turn) -> ProtectedPerson | None:
    # The correspondent's blind index is the number's: no need to parse the number again.
    return person_by_index(turn.correspondent.phone_index)


def helpline_text(language: str) -> str:
    """What HELP tells anyone: who to call now, and how to report."""
    with override(language):
        helpline = settings.SAFESPACES_HELPLINE.strip()
        report = first_keyword("report", language)
        if helpline:
            return gettext(
                "If you are in danger now, call %(helpline)s. To tell us what happened, send "
                "%(report)s and what happened where."
            ) % {"helpline": helpline, "report": report}
        return gettext(
            "If you are in danger now, call the emergency services. To tell us what happened, "
            "send %(report)s and what happened where."
        ) % {"report": report}


def protected_help_text(language: str) -> str:
    """What HELP tells a protected person: who to call now, and how to raise an alert."""
    with override(language):
        helpline = settings.SAFESPACES_HELPLINE.strip()
        panic = first_keyword("panic", language)
        if helpline:
            return gettext(
                "If you are in danger now, call %(helpline)s. To alert your contacts and our "
                "duty team at once, send %(panic)s."
            ) % {"helpline": helpline, "panic": panic}
        return gettext(
            "If you are in danger now, call the emergency services. To alert your contacts and "
            "our duty team at once, send %(panic)s."
        ) % {"panic": panic}


def place_point(place: str) -> tuple[float | None, float | None]:
    """(latitude, longitude) of a place named in a text, when the gazetteer is near-certain."""
    located = locate_unattended(place) if place else None
    if located is None:
        return None, None
    return located.latitude, located.longitude


def panic_words(text: str) -> tuple[bool, str]:
    """(drill, place) from the words after PANIC: "DRILL" first makes it a drill."""
    words = text.split()
    if words and fold(words[0]) in DRILL_WORDS:
        return True, " ".join(words[1:])[:MAX_PLACE_CHARS]
    return False, text.strip()[:MAX_PLACE_CHARS]


def alert_sent_text(language: str, drill: bool) -> str:
    with override(language):
        loc, end = first_keyword("location", language), first_keyword("end_alert", language)
        if drill:
            return gettext(
                "DRILL: alert sent to your contacts and our duty team. Send %(loc)s and where "
                "you are to update them. When you are safe, send %(end)s and your PIN."
            ) % {"loc": loc, "end": end}
        return gettext(
            "Alert sent to your contacts and our duty team. Send %(loc)s and where you are to "
            "update them. When you are safe, send %(end)s and your PIN."
        ) % {"loc": loc, "end": end}


def check_in_text(result: CheckInResult, language: str) -> str:
    """The answer to a check-in; a duress word gets exactly the answer of the right word."""
    with override(language):
        if result in (CheckInResult.CHECKED_IN, CheckInResult.DURESS):
            return gettext("Thank you, you are checked in.")
        if result == CheckInResult.WRONG_WORD:
            return gettext("That word did not check you in.")
        checkin = first_keyword("checkin", language)
        return gettext(
            "No check-in is due for you now. To start a timer, send %(checkin)s and how long, "
            "such as %(checkin)s 45m."
        ) % {"checkin": checkin}


def local_deadline(plan: CheckInPlan, now: datetime.datetime | None = None) -> str:
    """The plan's deadline as the person reads it: their time zone, the day when not today."""
    assert plan.next_deadline is not None
    zone = schedule.zone(plan.time_zone or plan.person.time_zone)
    deadline = plan.next_deadline.astimezone(zone)
    today = (now or timezone.now()).astimezone(zone).date()
    clock = formats.time_format(deadline, "H:i")
    if deadline.date() == today:
        return clock
    day = formats.date_format(deadline, "D j M")
    return gettext("%(time)s on %(day)s") % {"time": clock, "day": day}


def trip_started_text(plan: CheckInPlan, language: str) -> str:
    with override(language):
        deadline, ok = local_deadline(plan), first_keyword("ok", language)
        if plan.checkin_word_hash:
            return gettext(
                "Timer set: check in by %(deadline)s. Send %(ok)s and your check-in word "
                "before then, or your contacts will be alerted."
            ) % {"deadline": deadline, "ok": ok}
        return gettext(
            "Timer set: check in by %(deadline)s. Send %(ok)s before then, or your contacts "
            "will be alerted."
        ) % {"deadline": deadline, "ok": ok}


def trip_refused_text(error: schedule.BadDuration, language: str) -> str:
    with override(language):
        return f"{error} " + gettext("For example, send %(checkin)s 45m.") % {
            "checkin": first_keyword("checkin", language)
        }


def trip_usage_text(language: str) -> str:
    with override(language):
        checkin = first_keyword("checkin", language)
        return gettext(
            "Send %(checkin)s and how long, such as %(checkin)s 45m, %(checkin)s 2h or "
            "%(checkin)s until 18:30."
        ) % {"checkin": checkin}


def pin_of(text: str) -> str | None:
    """The PIN in the words after END, Arabic-Indic digits as ASCII; None when the words are
    no PIN at all ("END of the street")."""
    words = text.split()
    if len(words) != 1 or len(words[0]) > MAX_PIN_CHARS:
        return None
    return "".join(str(unicodedata.digit(char)) if char.isdigit() else char for char in words[0])


def consent_answer(turn: Turn) -> str | None:
    """YES or NO from a trusted contact asked to receive alerts; None for anything else."""
    words = turn.text.split()
    first = fold(words[0]) if words else ""
    if first not in YES_WORDS and first not in NO_WORDS:
        return None
    agreed = first in YES_WORDS
    contacts = contact_replied(turn.phone, agreed)
    if not contacts:
        return None
    turn.command = "consent"
    return consent_text(contacts, agreed, contact_language(turn, contacts))


def contact_language(turn: Turn, contacts: list[TrustedContact]) -> str:
    return turn.correspondent.language or contacts[0].language or turn.language


def consent_text(contacts: list[TrustedContact], agreed: bool, language: str) -> str:
    aliases = ", ".join(sorted({contact.person.alias for contact in contacts}))
    with override(language):
        stop = first_keyword("stop", language)
        if agreed:
            return gettext(
                "Thank you. You will receive alerts for %(aliases)s. Send %(stop)s at any time "
                "to stop them."
            ) % {"aliases": aliases, "stop": stop}
        return gettext("Understood. You will not receive alerts for %(aliases)s.") % {
            "aliases": aliases
        }


def checked_in(person: ProtectedPerson, word: str) -> CheckInResult:
    """check_in, a word too long to be anyone's counting as a wrong one."""
    try:
        return check_in(person, word)
    except SafetyInvalid:
        return CheckInResult.WRONG_WORD


def bare_check_in_answer(turn: Turn) -> str | None:
    """A protected person's message that is only their check-in (or duress) word."""
    person = sender_person(turn)
    if person is None or not turn.text.strip():
        return None
    result = checked_in(person, turn.text.strip())
    if result == CheckInResult.NO_PLAN:
        return None
    turn.command = "ok"
    return check_in_text(result, language_for(turn, person))


def unrecognised_answer(turn: Turn) -> str | None:
    """The safety reading of a message that starts with no keyword, or None for the menu."""
    return consent_answer(turn) or bare_check_in_answer(turn)
