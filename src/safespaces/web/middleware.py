"""Security headers on every response (SECURITY.md 17).

This middleware is first in MIDDLEWARE, so it sees every response last: pages, API answers,
static files served by WhiteNoise, and the 404 and 500 pages Django builds from exceptions.
Headers are set by name, so one that Django's own middleware already set is replaced, never
repeated.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# No inline script or style anywhere: the quick exit is a static script, QR codes are inline
# SVG or data: images.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "media-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    )
)

# Geolocation stays available to our own pages for the report form; every other powerful
# feature is off.
PERMISSIONS_POLICY = ", ".join(
    (
        "geolocation=(self)",
        "camera=()",
        "microphone=()",
        "payment=()",
        "usb=()",
        "serial=()",
        "bluetooth=()",
        "midi=()",
        "accelerometer=()",
        "gyroscope=()",
        "magnetometer=()",
        "display-capture=()",
        "screen-wake-lock=()",
        "browsing-topics=()",
    )
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}

# A visit must not linger in the cache of a shared phone or a proxy.
NO_STORE = "no-store"
# Stricter than the default, kept when a view asks for it: pages whose address is a secret.
NO_REFERRER = "no-referrer"


def is_static_asset(request: HttpRequest, response: HttpResponse) -> bool:
    """A successful answer for a file under STATIC_URL: the only thing a browser may keep."""
    return request.path.startswith(settings.STATIC_URL) and response.status_code in (200, 304)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        keep_no_referrer = response.headers.get("Referrer-Policy") == NO_REFERRER
        for name, value in SECURITY_HEADERS.items():
            response.headers[name] = value
        if keep_no_referrer:
            response.headers["Referrer-Policy"] = NO_REFERRER
        if not is_static_asset(request, response):
            response.headers["Cache-Control"] = NO_STORE
            response.headers.pop("Expires", None)
        return response
