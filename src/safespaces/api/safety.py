"""`/api/v1/safety/...`: a protected person's app raises an alert, sends where they are, checks
in and ends the alert with the PIN.

The authority is the person's panic token (the token of their panic link), sent as
`Authorization: Bearer <token>`; a new panic link revokes the old token. Any token that does
not name an active person gets the same 401, so the API never tells whether a person exists.
A duress word is answered exactly as the right check-in word.
"""

from __future__ import annotations

import datetime
from typing import Self

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle
from pydantic import model_validator

from safespaces.accounts.throttle import client_bucket
from safespaces.api.errors import ApiError, ErrorOut
from safespaces.api.throttle import CallerRateThrottle
from safespaces.safety.actions import (
    CheckInResult,
    add_location,
    check_in,
    end_alert_with_pin,
    raise_alert,
)
from safespaces.safety.links import person_for_panic_token
from safespaces.safety.models import LocationSource, ProtectedPerson, Trigger
from safespaces.safety.validation import (
    MAX_PIN_CHARS,
    MAX_PLACE_CHARS,
    MAX_WORD_CHARS,
    SafetyInvalid,
)

MAX_TOKEN_CHARS = 200
# Ending an alert is guarded by the PIN alone: few tries an hour, each logged on the alert.
PIN_TRIES_PER_HOUR = 10


class PanicToken(HttpBearer):
    """`Authorization: Bearer <panic token>`, the token of the person's panic link."""

    openapi_description = "The token of the person's panic link (the last part of its address)."

    def authenticate(self, request: HttpRequest, token: str) -> ProtectedPerson | None:
        if not token or len(token) > MAX_TOKEN_CHARS:
            return None
        return person_for_panic_token(token)


def person_of(request: HttpRequest) -> ProtectedPerson:
    person: ProtectedPerson = request.auth  # type: ignore[attr-defined]
    return person


class PersonRateThrottle(CallerRateThrottle):
    """The API's rate, counted per protected person (staff tokens are counted by pseudonym)."""

    cache_format = "throttle:safety:%(ident)s"

    def get_cache_key(self, request: HttpRequest) -> str:
        person = getattr(request, "auth", None)
        ident = f"person:{person.pk}" if person is not None else client_bucket(request)
        return self.cache_format % {"ident": ident}


class PinRateThrottle(SimpleRateThrottle):
    cache_format = "throttle:safety-pin:%(ident)s"

    def __init__(self) -> None:
        super().__init__(rate=f"{PIN_TRIES_PER_HOUR}/h")

    def get_cache_key(self, request: HttpRequest) -> str:
        person = getattr(request, "auth", None)
        ident = f"person:{person.pk}" if person is not None else client_bucket(request)
        return self.cache_format % {"ident": ident}


router = Router(tags=["safety"], auth=PanicToken(), throttle=[PersonRateThrottle()])


class PointIn(Schema):
    latitude: float | None = Field(None, ge=-90, le=90, description="Degrees, WGS 84.")
    longitude: float | None = Field(None, ge=-180, le=180, description="Degrees, WGS 84.")
    place: str = Field("", max_length=MAX_PLACE_CHARS, description="Where, in the person's words.")

    @model_validator(mode="after")
    def both_or_neither(self) -> Self:
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("Give both the latitude and the longitude, or neither.")
        return self


class PanicIn(PointIn):
    drill: bool = Field(False, description="A drill: every message it causes says DRILL.")


class LocationIn(PointIn):
    latitude: float = Field(..., ge=-90, le=90, description="Degrees, WGS 84.")
    longitude: float = Field(..., ge=-180, le=180, description="Degrees, WGS 84.")


class CheckInIn(Schema):
    word: str = Field(
        ..., min_length=1, max_length=MAX_WORD_CHARS, description="The check-in word."
    )


class EndIn(Schema):
    pin: str = Field(..., min_length=1, max_length=MAX_PIN_CHARS, description="The person's PIN.")


class AlertOut(Schema):
    status: str = Field(description="open, acknowledged (someone is on it) or resolved.")
    drill: bool
    opened_at: datetime.datetime


class LocationOut(Schema):
    received: bool = Field(
        description="Always true: kept as the last location and sent to anyone alerted."
    )


class CheckInOut(Schema):
    result: str = Field(
        description="checked_in, wrong_word (nothing changed) or no_plan (no check-in due)."
    )


class EndOut(Schema):
    ended: bool = Field(
        description="True when the PIN ended the open alert; false for a wrong PIN or when "
        "nothing was open."
    )


def invalid(error: SafetyInvalid) -> ApiError:
    details = [
        {"loc": ["body", "payload", name], "msg": str(message), "type": "value_error"}
        for name, message in error.errors.items()
    ]
    return ApiError(422, "validation_error", next(iter(error.errors.values())), details)


@router.post(
    "/safety/panic",
    url_name="safety_panic",
    response={200: AlertOut, 401: ErrorOut, 422: ErrorOut},
    summary="Raise an alert",
    # No rate limit may stop a panic: the token is the authority, and a second panic while
    # one is open only adds to it.
    throttle=[],
)
def panic(request: HttpRequest, payload: PanicIn) -> AlertOut:
    """Alert the person's trusted contacts and the duty officer at once, with the location when
    given. While an alert is open, another panic adds to it rather than opening a second."""
    try:
        alert = raise_alert(
            person_of(request),
            trigger=Trigger.PANIC_API,
            is_drill=payload.drill,
            latitude=payload.latitude,
            longitude=payload.longitude,
            place=payload.place.strip(),
        )
    except SafetyInvalid as error:
        raise invalid(error) from None
    return AlertOut(status=alert.status, drill=alert.is_drill, opened_at=alert.opened_at)


@router.post(
    "/safety/location",
    url_name="safety_location",
    response={200: LocationOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Send where the person is",
)
def location(request: HttpRequest, payload: LocationIn) -> LocationOut:
    """Keep the point as the person's last location; everyone alerted for an open alert gets
    it. The answer is the same whether or not an alert is open."""
    try:
        add_location(
            person_of(request),
            latitude=payload.latitude,
            longitude=payload.longitude,
            place=payload.place.strip(),
            source=LocationSource.APP,
        )
    except SafetyInvalid as error:
        raise invalid(error) from None
    return LocationOut(received=True)


@router.post(
    "/safety/checkin",
    url_name="safety_checkin",
    response={200: CheckInOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Check in",
)
def checkin(request: HttpRequest, payload: CheckInIn) -> CheckInOut:
    """Check in with the secret word before the deadline. A duress word gets the very same
    answer as the right word, and silently raises an alert."""
    try:
        result = check_in(person_of(request), payload.word.strip())
    except SafetyInvalid as error:
        raise invalid(error) from None
    if result == CheckInResult.DURESS:
        result = CheckInResult.CHECKED_IN
    return CheckInOut(result=str(result.value))


@router.post(
    "/safety/end",
    url_name="safety_end",
    response={200: EndOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="End the alert with the PIN",
    throttle=[PersonRateThrottle(), PinRateThrottle()],
)
def end(request: HttpRequest, payload: EndIn) -> EndOut:
    """The person is safe: the PIN ends the open alert. A wrong PIN ends nothing and is noted
    on the alert's timeline for the duty officer; after five, only staff can end it."""
    return EndOut(ended=end_alert_with_pin(person_of(request), payload.pin.strip()))
