"""Whatever a verified provider sends, in whatever step and state, the hotline never fails."""

from __future__ import annotations

from urllib.parse import urlencode

from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_django.fixtures import Settings

from tests.conversations.voice.calls import AT_TOKEN, PUBLIC_URL, twilio_post

STEPS = ["", "language/", "choice/", "place/", "consent/", "role/", "recorded/", "recording/",
         "dialled/", "start/", "nothing/"]  # fmt: skip
FIELDS = ["Digits", "SpeechResult", "RecordingUrl", "RecordingSid", "RecordingDuration",
          "DialCallStatus", "RecordingStatus", "CallSid", "dtmfDigits", "recordingUrl",
          "isActive", "sessionId", "durationInSeconds"]  # fmt: skip
STATE = ["lang", "tries", "n", "role"]

text = st.text(st.characters(codec="utf-8"), max_size=40)
values = st.one_of(text, st.sampled_from(["", "0", "1", "2", "3", "9999999", "completed", "-1"]))
params = st.dictionaries(st.sampled_from(FIELDS), values, max_size=6)
states = st.dictionaries(st.sampled_from(STATE), values, max_size=4)
HEALTH = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


def clean(mapping: dict[str, str]) -> dict[str, str]:
    """Form encoding cannot carry NUL, and neither can a provider's request."""
    return {key: value.replace("\x00", "") for key, value in mapping.items()}


@settings(max_examples=80, deadline=None, suppress_health_check=HEALTH)
@given(step=st.sampled_from(STEPS), fields=params, state=states)
def test_twilio_never_fails(
    hotline: Settings, step: str, fields: dict[str, str], state: dict[str, str]
) -> None:
    query = urlencode(clean(state))
    url = f"{PUBLIC_URL}/hooks/twilio/voice/{step}" + (f"?{query}" if query else "")
    response = twilio_post(Client(), url, clean(fields))
    assert response.status_code in (200, 204, 400, 404)


@settings(max_examples=80, deadline=None, suppress_health_check=HEALTH)
@given(step=st.sampled_from(STEPS), fields=params, state=states)
def test_africastalking_never_fails(
    hotline: Settings, step: str, fields: dict[str, str], state: dict[str, str]
) -> None:
    query = urlencode({**clean(state), "token": AT_TOKEN})
    response = Client().post(f"/hooks/africastalking/voice/{step}?{query}", clean(fields))
    assert response.status_code in (200, 400, 404)
