"""The call flow as Twilio TwiML: Say, Gather, Record, Dial, Redirect, Hangup, Reject."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from safespaces.conversations.voice.steps import (
    Dial,
    Gather,
    Hangup,
    Record,
    Redirect,
    Reject,
    Say,
    Verb,
)
from safespaces.conversations.voice.xml_text import UrlOf, child, document

CONTENT_TYPE = "text/xml; charset=utf-8"
# Twilio's text-to-speech and speech-recognition locale for each of our languages.
LOCALES = {"en": "en-GB", "ar": "ar-EG", "fr": "fr-FR", "es": "es-ES"}


def locale(language: str) -> str:
    return LOCALES.get(language, LOCALES["en"])


def add_say(parent: ET.Element, say: Say) -> None:
    child(parent, "Say", say.text, language=locale(say.language))


def add_gather(parent: ET.Element, gather: Gather, url_of: UrlOf) -> None:
    attributes = {
        "input": "dtmf speech" if gather.speech else "dtmf",
        "action": url_of(gather.action),
        "method": "POST",
        "timeout": str(gather.timeout),
        "language": locale(gather.language),
    }
    if gather.num_digits is not None:
        attributes["numDigits"] = str(gather.num_digits)
    else:
        attributes["finishOnKey"] = "#"
    if gather.speech:
        attributes["speechTimeout"] = "auto"
    element = child(parent, "Gather", **attributes)
    for say in gather.prompts:
        add_say(element, say)


def add_record(parent: ET.Element, record: Record, url_of: UrlOf) -> None:
    for say in record.prompts:
        add_say(parent, say)
    child(
        parent,
        "Record",
        action=url_of(record.action),
        method="POST",
        maxLength=str(record.max_length),
        playBeep="true",
        finishOnKey="#",
        recordingStatusCallback=url_of(record.status_callback),
        recordingStatusCallbackMethod="POST",
        recordingStatusCallbackEvent="completed",
    )


def add_dial(parent: ET.Element, dial: Dial, url_of: UrlOf) -> None:
    element = child(
        parent, "Dial", action=url_of(dial.action), method="POST", timeout=str(dial.timeout)
    )
    child(element, "Number", dial.number)


def add_verb(parent: ET.Element, verb: Verb, url_of: UrlOf) -> None:
    if isinstance(verb, Say):
        add_say(parent, verb)
    elif isinstance(verb, Gather):
        add_gather(parent, verb, url_of)
    elif isinstance(verb, Record):
        add_record(parent, verb, url_of)
    elif isinstance(verb, Dial):
        add_dial(parent, verb, url_of)
    elif isinstance(verb, Redirect):
        child(parent, "Redirect", url_of(verb.action), method="POST")
    elif isinstance(verb, Hangup):
        child(parent, "Hangup")
    elif isinstance(verb, Reject):
        child(parent, "Reject")


def render(verbs: Sequence[Verb], url_of: UrlOf) -> bytes:
    response = ET.Element("Response")
    for verb in verbs:
        add_verb(response, verb, url_of)
    return document(response)
