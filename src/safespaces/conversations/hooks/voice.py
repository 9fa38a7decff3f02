"""`/hooks/twilio/voice/` and `/hooks/africastalking/voice/`: the hotline, step by step.

Each answer is the provider's XML for the next step of `conversations.voice.flow`; each step
URL carries the call's state in its query (Twilio signs over it). Twilio requests are
verified by their signature, Africa's Talking's by the `?token=` secret, before anything
else is read. The caller's number is read only to know whether a protected person is calling
(they are offered an alert); it is never stored, logged or put in a URL.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.urls import URLPattern, path, reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from safespaces.conversations.voice import africastalking_xml, flow, twiml
from safespaces.conversations.voice.call_state import call_from_query, caller_person, duration
from safespaces.conversations.voice.flow import Call, Heard
from safespaces.conversations.voice.reports import LeftRecording, report_recording
from safespaces.conversations.voice.steps import Reject, StepUrl, Verb
from safespaces.conversations.voice.xml_text import UrlOf
from safespaces.outbox.gateways.config import gateway_enabled, gateway_setting
from safespaces.outbox.gateways.twilio_signature import is_signed_by_twilio

START = "start"
RECORDED = "recorded"
RECORDING = "recording"


@dataclass(frozen=True)
class Provider:
    """How one provider's requests are read and its answers written."""

    name: str
    step_route: str
    speech: bool
    render: Callable[[Sequence[Verb], UrlOf], bytes]
    content_type: str
    digits: str
    recording_url: str
    recording_id: str
    caller: str


TWILIO = Provider(
    name="twilio",
    step_route="hooks:twilio_voice_step",
    speech=True,
    render=twiml.render,
    content_type=twiml.CONTENT_TYPE,
    digits="Digits",
    recording_url="RecordingUrl",
    recording_id="RecordingSid",
    caller="From",
)
AFRICASTALKING = Provider(
    name="africastalking",
    step_route="hooks:africastalking_voice_step",
    speech=False,
    render=africastalking_xml.render,
    content_type=africastalking_xml.CONTENT_TYPE,
    digits="dtmfDigits",
    recording_url="recordingUrl",
    recording_id="sessionId",
    caller="callerNumber",
)


def absolute(request: HttpRequest, location: str) -> str:
    if settings.SAFESPACES_PUBLIC_URL:
        return settings.SAFESPACES_PUBLIC_URL + location
    return request.build_absolute_uri(location)


def url_maker(request: HttpRequest, provider: Provider, extra: dict[str, str]) -> UrlOf:
    def url_of(step: StepUrl) -> str:
        query = urlencode({**step.state, **extra})
        return absolute(request, f"{reverse(provider.step_route, args=[step.step])}?{query}")

    return url_of


def heard(request: HttpRequest, provider: Provider) -> Heard:
    return Heard(
        digits=request.POST.get(provider.digits, "").strip()[:32],
        speech=request.POST.get("SpeechResult", "").strip()[:200],
        dial_status=request.POST.get("DialCallStatus", "").strip().lower()[:32],
    )


def left_recording(request: HttpRequest, provider: Provider, call: Call) -> LeftRecording:
    return LeftRecording(
        provider=provider.name,
        recording_id=request.POST.get(provider.recording_id, ""),
        url=request.POST.get(provider.recording_url, "").strip(),
        duration_seconds=duration(request.POST.get("RecordingDuration", "")),
        language=call.language,
        reporter_role=call.role,
    )


def verbs_for(request: HttpRequest, provider: Provider, step: str, call: Call) -> list[Verb]:
    if step == START:
        return flow.start(call) if gateway_enabled(provider.name) else [Reject()]
    if step == RECORDED:
        report = report_recording(left_recording(request, provider, call))
        return flow.recorded(call, accepted=report is not None)
    return flow.STEPS[step](call, heard(request, provider))


def answer(
    request: HttpRequest, provider: Provider, step: str, extra: dict[str, str]
) -> HttpResponse:
    """The provider's XML for this step; 404 for a step the flow does not have."""
    if step not in flow.STEPS and step not in (START, RECORDED):
        return HttpResponse(status=404)
    person = caller_person(request.POST.get(provider.caller, ""))
    call = call_from_query(request.GET, speech=provider.speech, person=person)
    verbs = verbs_for(request, provider, step, call)
    body = provider.render(verbs, url_maker(request, provider, extra))
    return HttpResponse(body, content_type=provider.content_type)


def twilio_verified(request: HttpRequest) -> bool:
    return is_signed_by_twilio(request, gateway_setting("twilio", "auth_token"))


@csrf_exempt
@require_POST
def twilio_voice_view(request: HttpRequest, step: str = START) -> HttpResponse:
    if not twilio_verified(request):
        return HttpResponseForbidden()
    if not request.POST.get("CallSid"):
        return HttpResponse(status=400)
    if step == RECORDING:
        return twilio_recording_status(request)
    return answer(request, TWILIO, step, {})


def twilio_recording_status(request: HttpRequest) -> HttpResponse:
    """recordingStatusCallback: the recording is ready (Twilio may call the action first)."""
    if request.POST.get("RecordingStatus", "completed") == "completed":
        call = call_from_query(request.GET, speech=True)
        report_recording(left_recording(request, TWILIO, call))
    return HttpResponse(status=204)


def africastalking_token(request: HttpRequest) -> str | None:
    """The hook token when the request carries it; None when it does not (or none is set)."""
    expected = gateway_setting("africastalking", "hook_token")
    given = request.GET.get("token", "")
    if expected and hmac.compare_digest(given.encode(), expected.encode()):
        return expected
    return None


@csrf_exempt
@require_POST
def africastalking_voice_view(request: HttpRequest, step: str = START) -> HttpResponse:
    token = africastalking_token(request)
    if token is None:
        return HttpResponseForbidden()
    if not request.POST.get("sessionId"):
        return HttpResponse(status=400)
    if request.POST.get("isActive", "1") == "0":
        return call_ended(request, step)
    return answer(request, AFRICASTALKING, step, {"token": token})


def call_ended(request: HttpRequest, step: str) -> HttpResponse:
    """The last notification of a call: keep a recording it brings, answer nothing more."""
    if step == RECORDED:
        call = call_from_query(request.GET, speech=False)
        report_recording(left_recording(request, AFRICASTALKING, call))
    return HttpResponse(
        africastalking_xml.render([], lambda step: ""), content_type=africastalking_xml.CONTENT_TYPE
    )


urlpatterns: list[URLPattern] = [
    path("twilio/voice/", twilio_voice_view, name="twilio_voice"),
    path("twilio/voice/<slug:step>/", twilio_voice_view, name="twilio_voice_step"),
    path("africastalking/voice/", africastalking_voice_view, name="africastalking_voice"),
    path(
        "africastalking/voice/<slug:step>/",
        africastalking_voice_view,
        name="africastalking_voice_step",
    ),
]
