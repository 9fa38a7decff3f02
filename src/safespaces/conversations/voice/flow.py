"""The hotline's call flow: a small state machine from (step, state, input) to verbs.

The state travels in each step's query string (`lang`, `tries`, `n`, `role`), so the server
keeps nothing about a call and never the caller's number. Invalid or missing input repeats
the question up to MAX_TRIES times, then the call ends with a goodbye naming the helpline.

A caller whose number is a protected person's (the hooks look it up on every request, from
the provider's own field, never from the URL) hears first "to raise an alert, press 9", in
the language menu and in the main menu, and 9 raises it at once: no question in between.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from django.conf import settings

from safespaces.conversations.safe_spaces import safe_space_answer
from safespaces.conversations.voice import prompts
from safespaces.conversations.voice.districts import district_name, is_district_code
from safespaces.conversations.voice.steps import (
    Dial,
    Gather,
    Hangup,
    Record,
    Redirect,
    Say,
    StepUrl,
    Verb,
)
from safespaces.reports.models import Report
from safespaces.safety.actions import on_duty_numbers, raise_alert
from safespaces.safety.models import Trigger

if TYPE_CHECKING:
    from safespaces.safety.models import ProtectedPerson

MAX_TRIES = 3
MAX_RECORDING_SECONDS = 180
DIAL_TIMEOUT_SECONDS = 25
MENU_TIMEOUT_SECONDS = 6
PLACE_TIMEOUT_SECONDS = 8
LANGUAGES = ("en", "ar", "fr", "es")
ROLE_KEYS = {
    "1": Report.ReporterRole.HAPPENED_TO_ME,
    "2": Report.ReporterRole.WITNESSED,
    "3": Report.ReporterRole.HEARD_OF,
}
# Twilio's DialCallStatus when someone picked up.
ANSWERED = ("completed", "answered")
# A protected caller's key for an alert: out of the way of the menus' 0 to 4.
ALERT_KEY = "9"


@dataclass(frozen=True)
class Call:
    """What the flow knows of a call: the provider's abilities and the state in the URL."""

    speech: bool
    language: str = "en"
    tries: int = 0
    counsellor: int = 0
    role: str = ""
    # The protected person calling, if any: found from the caller's number, never in the URL.
    person: ProtectedPerson | None = field(default=None, compare=False)

    def state(self, **changes: str) -> dict[str, str]:
        values = {"lang": self.language, "tries": "0"}
        if self.role:
            values["role"] = self.role
        values.update(changes)
        return values


@dataclass(frozen=True)
class Heard:
    """What the caller keyed in or said in answer to the last question."""

    digits: str = ""
    speech: str = ""
    dial_status: str = ""


def start(call: Call) -> list[Verb]:
    """The first answer: the language menu, each line in its own language."""
    lines = prompts.language_menu()
    if call.person is not None:
        lines = (prompts.alert_offer(person_language(call.person)), *lines)
    return ask(Gather(lines, StepUrl("language", {"tries": str(call.tries)}), "en"))


def person_language(person: ProtectedPerson) -> str:
    return person.language if person.language in LANGUAGES else "en"


def ask(gather: Gather) -> list[Verb]:
    """A question, then (when nothing was keyed in) its own step again with no answer."""
    return [gather, Redirect(gather.action)]


def menu(call: Call) -> list[Verb]:
    action = StepUrl("choice", call.state(tries=str(call.tries)))
    lines: tuple[Say, ...] = (prompts.main_menu(call.language),)
    if call.person is not None:
        lines = (prompts.alert_offer(call.language), *lines)
    return ask(Gather(lines, action, call.language))


def goodbye(call: Call) -> list[Verb]:
    return [prompts.goodbye(call.language), Hangup()]


def again(call: Call, repeat: Callable[[Call], list[Verb]]) -> list[Verb]:
    """Repeat the question after a wrong or missing answer, or say goodbye after MAX_TRIES."""
    if call.tries >= MAX_TRIES:
        return goodbye(call)
    return [prompts.not_understood(call.language), *repeat(replace(call, tries=call.tries + 1))]


def language(call: Call, heard: Heard) -> list[Verb]:
    if heard.digits == ALERT_KEY and call.person is not None:
        return raise_hotline_alert(replace(call, language=person_language(call.person)))
    chosen = prompts.LANGUAGE_KEYS.get(heard.digits)
    if chosen is None:
        return again(replace(call, language="en"), start)
    return menu(Call(speech=call.speech, language=chosen, person=call.person))


def choice(call: Call, heard: Heard) -> list[Verb]:
    fresh = replace(call, tries=0)
    if heard.digits == ALERT_KEY and call.person is not None:
        return raise_hotline_alert(fresh)
    options: dict[str, Callable[[Call], list[Verb]]] = {
        "1": place_question,
        "2": consent_question,
        "3": connect,
        "0": menu,
    }
    option = options.get(heard.digits)
    if option is None:
        return again(call, menu)
    return option(fresh)


def place_question(call: Call) -> list[Verb]:
    action = StepUrl("place", call.state(tries=str(call.tries)))
    gather = Gather(
        (prompts.place_question(call.language, call.speech),),
        action,
        call.language,
        num_digits=None,
        timeout=PLACE_TIMEOUT_SECONDS,
        speech=call.speech,
    )
    return ask(gather)


def place(call: Call, heard: Heard) -> list[Verb]:
    """The nearest safe space to what the caller said, or to the district they keyed in."""
    spoken = heard.speech.strip()[:200]
    code = heard.digits.strip("#")
    if spoken:
        answer = safe_space_answer(spoken, call.language, channel="voice")
    elif is_district_code(code):
        name = district_name(code)
        if name is None:
            return [prompts.unknown_district(call.language, code), *menu(replace(call, tries=0))]
        answer = safe_space_answer(name, call.language, channel="voice")
    else:
        return again(call, place_question)
    return [Say(answer, call.language), *menu(replace(call, tries=0))]


def consent_question(call: Call) -> list[Verb]:
    action = StepUrl("consent", call.state(tries=str(call.tries)))
    return ask(Gather((prompts.consent_question(call.language),), action, call.language))


def consent(call: Call, heard: Heard) -> list[Verb]:
    if heard.digits == "1":
        return role_question(replace(call, tries=0))
    if heard.digits:
        return [prompts.nothing_recorded(call.language), *menu(replace(call, tries=0))]
    return again(call, consent_question)


def role_question(call: Call) -> list[Verb]:
    action = StepUrl("role", call.state(tries=str(call.tries)))
    return ask(Gather((prompts.role_question(call.language),), action, call.language))


def role(call: Call, heard: Heard) -> list[Verb]:
    chosen = ROLE_KEYS.get(heard.digits)
    if chosen is None:
        return again(call, role_question)
    return record(replace(call, role=str(chosen), tries=0))


def record(call: Call) -> list[Verb]:
    """Consent was given: record at most three minutes, the hash key ending it sooner."""
    return [
        Record(
            (prompts.record_instructions(call.language),),
            StepUrl("recorded", call.state()),
            StepUrl("recording", call.state()),
            MAX_RECORDING_SECONDS,
        )
    ]


def recorded(call: Call, accepted: bool) -> list[Verb]:
    """After the recording: thanks when a report was made of it, else back to the menu."""
    if accepted:
        return [prompts.report_received(call.language), *goodbye(call)]
    return [prompts.no_recording(call.language), *menu(replace(call, tries=0, role=""))]


def raise_hotline_alert(call: Call) -> list[Verb]:
    """Key 9 from a protected caller: the alert goes out, then someone on duty is offered.

    A provider repeating the request adds to the open alert (one open alert per person).
    """
    assert call.person is not None
    raise_alert(call.person, trigger=Trigger.PANIC_HOTLINE)
    action = StepUrl("choice", call.state(tries="0"))
    lines = (prompts.alert_sent(call.language), prompts.talk_offer(call.language))
    return ask(Gather(lines, action, call.language))


def counsellor_numbers() -> list[str]:
    return [number.strip() for number in settings.SAFESPACES_HOTLINE_COUNSELLOR_NUMBERS if number]


def transfer_numbers() -> list[str]:
    """Who option 3 rings, in order: the officers on duty now, then the counsellors."""
    numbers = [*on_duty_numbers(), *counsellor_numbers()]
    return list(dict.fromkeys(number for number in numbers if number))


def connect(call: Call) -> list[Verb]:
    """Ring those on duty and the counsellors in order, starting with number `call.counsellor`."""
    numbers = transfer_numbers()
    if not numbers:
        return [prompts.no_counsellor_configured(call.language), *offer_recording(call)]
    if call.counsellor >= len(numbers):
        return no_one_answered(call)
    action = StepUrl("dialled", call.state(n=str(call.counsellor)))
    dial = Dial(numbers[call.counsellor], action, DIAL_TIMEOUT_SECONDS)
    return [prompts.connecting(call.language), dial, Redirect(action)]


def dialled(call: Call, heard: Heard) -> list[Verb]:
    """After one counsellor's number: done if they answered, else the next number."""
    if heard.dial_status in ANSWERED:
        return [Hangup()]
    return connect(replace(call, counsellor=call.counsellor + 1))


def no_one_answered(call: Call) -> list[Verb]:
    return [prompts.no_counsellor_answered(call.language), *offer_recording(call)]


def offer_recording(call: Call) -> list[Verb]:
    """Option 2 (and the helpline, when there is one) after the counsellor could not be had."""
    said = [prompts.recording_offer(call.language)]
    helpline = prompts.helpline_offer(call.language)
    if helpline is not None:
        said.append(helpline)
    action = StepUrl("choice", call.state(tries="0"))
    return ask(Gather(tuple(said), action, call.language))


# The steps that answer the caller's input (the recording steps are handled by the hooks).
STEPS: dict[str, Callable[[Call, Heard], list[Verb]]] = {
    "language": language,
    "choice": choice,
    "place": place,
    "consent": consent,
    "role": role,
    "dialled": dialled,
}
