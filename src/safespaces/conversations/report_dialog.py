"""REPORT by SMS: one message, or a short dialog for what is missing, then the report.

The dialog asks what happened (free words, then a numbered list), where, and whether the
report may be shown on the public map. The phone number never goes into the report.
"""

# Arabic letters here are data, not look-alikes of Latin ones.
# ruff: noqa: RUF001

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils.translation import gettext, override

from safespaces.conversations import dialogs, keywords
from safespaces.conversations.commands import Turn
from safespaces.conversations.keywords import fold
from safespaces.conversations.places import strip_marker
from safespaces.conversations.report_parse import ParsedReport, parse_report
from safespaces.conversations.sms_length import split_message
from safespaces.conversations.when import When, extract_when
from safespaces.geo.gazetteer.normalise import normalise
from safespaces.reports.actions import submit_report
from safespaces.reports.models import Category, Report
from safespaces.reports.validation import (
    MAX_DESCRIPTION_CHARS,
    MAX_PLACE_CHARS,
    ReportInvalid,
    ReportSubmission,
    local_now,
)

DIALOG = "report"
CATEGORY, CATEGORY_MENU, PLACE, CONSENT = "category", "category_menu", "place", "consent"
YES_WORDS = frozenset(
    fold(word)
    for word in (
        "yes",
        "y",
        "yeah",
        "yep",
        "sure",
        "oui",
        "si",
        "sí",
        "claro",
        "d'accord",
        "نعم",
        "ايوه",
        "أيوة",
        "اه",
        "ايوا",
        "أجل",
        "موافق",
        "موافقة",
    )
)
EXAMPLES = 3
# The numbered list of categories costs the reporter at most this many text messages.
MENU_PARTS = 3


def start(turn: Turn) -> str:
    """The REPORT command: a report from this message, or the first question of the dialog."""
    parsed = parse_report(turn.text, local_now())
    state: dict[str, Any] = {
        "first": turn.inbound.pk,
        "text": turn.text,
        "when": None,
        # The language of the REPORT keyword holds for the answers, which have no keyword.
        "language": turn.language,
    }
    merge(state, parsed)
    return next_question(turn, state)


def answer(turn: Turn) -> str:
    """The next message of an unfinished report dialog."""
    state = dialogs.state_of(turn.correspondent)
    if not turn.correspondent.language and state.get("language") in keywords.LANGUAGES:
        turn.language = state["language"]
    with override(turn.language):
        return take_answer(turn, state)


def take_answer(turn: Turn, state: dict[str, Any]) -> str:
    step = state.get("step")
    if step in (CATEGORY, CATEGORY_MENU):
        take_category(state, turn.text)
    elif step == PLACE:
        take_place(state, turn.text)
    elif step == CONSENT:
        state["consent"] = fold(turn.text.split()[0]) in YES_WORDS if turn.text.split() else False
        state["asked_consent"] = True
    else:
        return start(turn)
    return next_question(turn, state)


def merge(state: dict[str, Any], parsed: ParsedReport) -> None:
    if parsed.categories and not state.get("categories"):
        state["categories"] = parsed.categories
    if parsed.place_text and not state.get("place_text"):
        state["place_text"] = parsed.place_text
        place = parsed.place
        state["place"] = (
            None if place is None else [place.latitude, place.longitude, place.precision]
        )
    if parsed.when.found and not state.get("when"):
        state["when"] = when_state(parsed.when)


def take_category(state: dict[str, Any], text: str) -> None:
    state["text"] = f"{state.get('text', '')}\n{text}".strip()
    chosen = numbered_choice(text)
    if chosen is not None:
        state["categories"] = [chosen]
        return
    merge(state, parse_report(text, local_now()))
    if not state.get("categories"):
        state["step"] = CATEGORY_MENU


def take_place(state: dict[str, Any], text: str) -> None:
    parsed = parse_report(text, local_now())
    merge(state, parsed)
    if not state.get("place_text"):
        # Whatever they wrote (less a time) is the place when the gazetteer does not know it.
        _when, rest = extract_when(text, local_now())
        state["place_text"] = strip_marker(rest)[:MAX_PLACE_CHARS]
        state["place"] = None


def next_question(turn: Turn, state: dict[str, Any]) -> str:
    if not state.get("categories"):
        return ask(turn, state, state.get("step") or CATEGORY)
    if not state.get("place_text"):
        return ask(turn, state, PLACE)
    if not state.get("asked_consent"):
        return ask(turn, state, CONSENT)
    dialogs.end(turn.correspondent)
    return finish(turn, state)


def ask(turn: Turn, state: dict[str, Any], step: str) -> str:
    state["step"] = step
    dialogs.keep(turn.correspondent, DIALOG, state)
    if step == CATEGORY:
        names = [category.name(turn.language) for category in active_categories()[:EXAMPLES]]
        return gettext("What happened? Answer in a few words, for example: %(examples)s.") % {
            "examples": ", ".join(names)
        }
    if step == CATEGORY_MENU:
        return category_menu(turn.language)
    if step == PLACE:
        return gettext("Where did it happen? Answer with a street, a station or a landmark.")
    return gettext("May we show it on the public map without your number? Answer YES or NO.")


def category_menu(language: str) -> str:
    """The numbered categories, as many as fit in MENU_PARTS text messages."""
    choices = [
        f"{number} {category.name(language)}"
        for number, category in enumerate(active_categories(), start=1)
    ]
    menu = ""
    for count in range(1, len(choices) + 1):
        candidate = gettext(
            "What happened? Answer with a number or in a few words: %(choices)s"
        ) % {"choices": "; ".join(choices[:count])}
        if menu and len(split_message(candidate, max_parts=MENU_PARTS + 1)) > MENU_PARTS:
            break
        menu = candidate
    return menu


def active_categories() -> list[Category]:
    return list(Category.objects.filter(is_active=True).order_by("order", "key"))


def numbered_choice(text: str) -> str | None:
    words = normalise(text).split()
    if len(words) != 1 or not words[0].isdigit():
        return None
    categories = active_categories()
    number = int(words[0])
    return categories[number - 1].key if 1 <= number <= len(categories) else None


def when_state(when: When) -> dict[str, Any]:
    return {
        "on": when.occurred_on.isoformat(),
        "on_estimated": when.occurred_on_estimated,
        "from": when.time_from.isoformat() if when.time_from else None,
        "to": when.time_to.isoformat() if when.time_to else None,
        "time_estimated": when.time_estimated,
    }


def submission(turn: Turn, state: dict[str, Any]) -> ReportSubmission:
    when = state.get("when") or when_state(When(local_now().date(), True, None, None, False, False))
    place = state.get("place")
    channel = turn.channel if turn.channel in Report.Channel.values else Report.Channel.SMS
    return ReportSubmission(
        categories=list(state["categories"]),
        occurred_on=datetime.date.fromisoformat(when["on"]),
        occurred_on_estimated=when["on_estimated"],
        time_from=datetime.time.fromisoformat(when["from"]) if when["from"] else None,
        time_to=datetime.time.fromisoformat(when["to"]) if when["to"] else None,
        time_estimated=when["time_estimated"],
        reporter_role=Report.ReporterRole.HAPPENED_TO_ME,
        channel=channel,
        description=state.get("text", "")[:MAX_DESCRIPTION_CHARS],
        latitude=place[0] if place else None,
        longitude=place[1] if place else None,
        place_text=state["place_text"],
        precision=place[2] if place else Report.Precision.AREA,
        language=turn.language,
        consent_public=bool(state.get("consent")),
    )


def finish(turn: Turn, state: dict[str, Any]) -> str:
    try:
        report = submit_report(
            submission(turn, state),
            # A retried message cannot make a second report: the key is the first message's.
            idempotency_key=f"conversations-inbound-{state['first']}",
        )
    except ReportInvalid:
        return gettext("Sorry, we could not record this report. Please send it again.")
    helpline = settings.SAFESPACES_HELPLINE.strip()
    if helpline:
        return gettext(
            "Thank you. Your report code is %(code)s. For support, call %(helpline)s."
        ) % {"code": report.public_id, "helpline": helpline}
    return gettext("Thank you. Your report code is %(code)s. Keep it to ask about your report.") % {
        "code": report.public_id
    }
