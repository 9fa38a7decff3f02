"""The call flow as Africa's Talking voice XML: Say, GetDigits, Record, Dial, Redirect, Reject.

Africa's Talking has no Hangup: the call ends when the actions run out. Its Dial is terminal
when someone picks up, so the Redirect after it is reached only when no one did.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from safespaces.conversations.voice.steps import (
    Dial,
    Gather,
    Record,
    Redirect,
    Reject,
    Say,
    Verb,
)
from safespaces.conversations.voice.xml_text import UrlOf, child, document

CONTENT_TYPE = "application/xml; charset=utf-8"


def add_say(parent: ET.Element, say: Say) -> None:
    child(parent, "Say", say.text)


def add_gather(parent: ET.Element, gather: Gather, url_of: UrlOf) -> None:
    attributes = {
        "timeout": str(gather.timeout),
        "finishOnKey": "#",
        "callbackUrl": url_of(gather.action),
    }
    if gather.num_digits is not None:
        attributes["numDigits"] = str(gather.num_digits)
    element = child(parent, "GetDigits", **attributes)
    for say in gather.prompts:
        add_say(element, say)


def add_record(parent: ET.Element, record: Record, url_of: UrlOf) -> None:
    element = child(
        parent,
        "Record",
        finishOnKey="#",
        maxLength=str(record.max_length),
        playBeep="true",
        trimSilence="true",
        callbackUrl=url_of(record.action),
    )
    for say in record.prompts:
        add_say(element, say)


def add_verb(parent: ET.Element, verb: Verb, url_of: UrlOf) -> None:
    if isinstance(verb, Say):
        add_say(parent, verb)
    elif isinstance(verb, Gather):
        add_gather(parent, verb, url_of)
    elif isinstance(verb, Record):
        add_record(parent, verb, url_of)
    elif isinstance(verb, Dial):
        child(parent, "Dial", phoneNumbers=verb.number)
    elif isinstance(verb, Redirect):
        child(parent, "Redirect", url_of(verb.action))
    elif isinstance(verb, Reject):
        child(parent, "Reject")
    # Hangup: nothing follows, so the call ends.


def render(verbs: Sequence[Verb], url_of: UrlOf) -> bytes:
    response = ET.Element("Response")
    for verb in verbs:
        add_verb(response, verb, url_of)
    return document(response)
