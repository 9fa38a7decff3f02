"""Template context shared by public and staff pages."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

PHONE_NUMBER = re.compile(r"\+?[\d\s().-]{3,}")


def site(request: HttpRequest) -> dict[str, Any]:
    context: dict[str, Any] = {
        "site_name": settings.SAFESPACES_SITE_NAME,
        "quick_exit_url": settings.SAFESPACES_QUICK_EXIT_URL,
    }
    match = getattr(request, "resolver_match", None)
    if match is not None and match.namespace == "public":
        context["language_links"] = language_links(request)
        context["helpline"] = settings.SAFESPACES_HELPLINE
        context["helpline_tel"] = helpline_tel(settings.SAFESPACES_HELPLINE)
    return context


def language_links(request: HttpRequest) -> list[dict[str, Any]]:
    """The same page in every language: plain links, so no language cookie is ever needed."""
    current = get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        links.append(
            {
                "code": code,
                "name": info["name_local"][:1].upper() + info["name_local"][1:],
                "bidi": info["bidi"],
                "url": translate_url(request.path, code),
                "current": code == current,
            }
        )
    return links


def helpline_tel(helpline: str) -> str:
    """A `tel:` target when the helpline is a phone number, so one tap calls it."""
    if not PHONE_NUMBER.fullmatch(helpline.strip()):
        return ""
    plus = "+" if helpline.strip().startswith("+") else ""
    return "tel:" + plus + re.sub(r"\D", "", helpline)
