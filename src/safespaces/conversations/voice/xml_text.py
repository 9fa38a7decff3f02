"""Text that XML 1.0 can hold: ElementTree escapes markup, but control characters break parsers."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

from safespaces.conversations.voice.steps import StepUrl

# Everything outside XML 1.0's Char production.
NOT_XML_CHARACTERS = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

UrlOf = Callable[[StepUrl], str]


def xml_safe(text: str) -> str:
    return NOT_XML_CHARACTERS.sub("", text)


def child(parent: ET.Element, tag: str, text: str = "", **attributes: str) -> ET.Element:
    element = ET.SubElement(
        parent, tag, {name: xml_safe(value) for name, value in attributes.items()}
    )
    if text:
        element.text = xml_safe(text)
    return element


def document(root: ET.Element) -> bytes:
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
