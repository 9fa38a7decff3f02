"""What the call flow asks the provider to do, before any provider's XML is written."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class StepUrl:
    """The next step of the flow and the state it carries in the query string."""

    step: str
    state: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Say:
    text: str
    language: str


@dataclass(frozen=True)
class Gather:
    """Prompts said while listening for keys (and speech, where the provider hears it)."""

    prompts: tuple[Say, ...]
    action: StepUrl
    language: str
    num_digits: int | None = 1
    timeout: int = 6
    speech: bool = False


@dataclass(frozen=True)
class Record:
    prompts: tuple[Say, ...]
    action: StepUrl
    status_callback: StepUrl
    max_length: int


@dataclass(frozen=True)
class Dial:
    """Ring one number; the action learns whether it answered (or is reached when not)."""

    number: str
    action: StepUrl
    timeout: int


@dataclass(frozen=True)
class Redirect:
    action: StepUrl


@dataclass(frozen=True)
class Hangup:
    pass


@dataclass(frozen=True)
class Reject:
    pass


Verb = Say | Gather | Record | Dial | Redirect | Hangup | Reject
