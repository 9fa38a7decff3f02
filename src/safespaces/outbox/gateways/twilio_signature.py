"""Twilio's request signature (X-Twilio-Signature), checked in constant time.

Twilio signs the full URL it called followed by each POST parameter, sorted by name, as name
then value with no separator: HMAC-SHA1 under the account's auth token, base64. Behind a
proxy the URL we see may differ from the one Twilio called, so SAFESPACES_PUBLIC_URL names it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.http import HttpRequest

DEFAULT_PORTS = {"https": 443, "http": 80}


def signature_of(url: str, params: Iterable[tuple[str, str]], auth_token: str) -> str:
    signed = url + "".join(f"{name}{value}" for name, value in sorted(params))
    digest = hmac.new(auth_token.encode(), signed.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def url_variants(url: str) -> list[str]:
    """The URL as given, and with its default port added or removed (Twilio signs either)."""
    parts = urlsplit(url)
    default = DEFAULT_PORTS.get(parts.scheme)
    host = parts.hostname or ""
    if parts.port is None and default is not None:
        other = parts._replace(netloc=f"{parts.netloc}:{default}")
    elif parts.port == default:
        other = parts._replace(netloc=parts.netloc.rsplit(":", 1)[0])
    else:
        return [url]
    return [url, urlunsplit(other)] if host else [url]


def called_url(request: HttpRequest) -> str:
    """The full URL the provider called: our public address plus the path and query."""
    if settings.SAFESPACES_PUBLIC_URL:
        return settings.SAFESPACES_PUBLIC_URL + request.get_full_path()
    return request.build_absolute_uri()


def is_signed_by_twilio(request: HttpRequest, auth_token: str) -> bool:
    """True when X-Twilio-Signature matches the request under `auth_token`."""
    given = request.headers.get("X-Twilio-Signature", "")
    if not given or not auth_token:
        return False
    params = [(name, value) for name in request.POST for value in request.POST.getlist(name)]
    return any(
        hmac.compare_digest(signature_of(url, params, auth_token), given)
        for url in url_variants(called_url(request))
    )
