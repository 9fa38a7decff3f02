"""`/consent/<token>/`: a trusted contact reached by email agrees, or not, to receive alerts.

Contacts with a phone answer YES or NO by text message; this page is the same answer for
email. The signed link names the contact; like the other secret links it needs no cookie.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from safespaces.safety import actions
from safespaces.safety.links import contact_for_consent_token
from safespaces.safety.models import Consent, TrustedContact
from safespaces.web.public.secret_links import link_not_found, no_referrer, over_limit

TEMPLATE = "public/safety/consent.html"
AGREE, DECLINE = "agree", "decline"


def page(
    request: HttpRequest, contact: TrustedContact, *, status: int = 200, **extra: object
) -> HttpResponse:
    context = {
        "alias": contact.person.alias,
        "organisation": contact.person.organisation.name,
        "agreed": contact.consent == Consent.AGREED,
        **extra,
    }
    return render(request, TEMPLATE, context, status=status)


@csrf_exempt
@no_referrer
@never_cache
@require_http_methods(["GET", "POST"])
def consent(request: HttpRequest, token: str) -> HttpResponse:
    contact = contact_for_consent_token(token)
    if contact is None:
        return link_not_found(request)
    if request.method == "GET":
        return page(request, contact)
    answer = request.POST.get("answer", "")
    if answer not in (AGREE, DECLINE):
        return page(request, contact, status=400)
    if over_limit(request):
        return page(request, contact, too_many=True, status=429)
    actions.consent_by_link(contact, answer == AGREE)
    contact.refresh_from_db()
    return page(request, contact, answered=answer)


urlpatterns: list[URLPattern | URLResolver] = [
    path("consent/<str:token>/", consent, name="consent"),
]
