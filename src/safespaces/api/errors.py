"""One JSON shape for every API failure: {"error": {"code", "message", "details"}}.

Ninja's own errors go through the handlers installed here; anything that escapes Ninja (an
unknown path, a wrong method, a crash, a body that is too large) is rewritten into the same
shape by `safespaces.api.middleware.ApiErrorMiddleware`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

# status -> (code, message) for failures that carry nothing more specific.
STANDARD_ERRORS: dict[int, tuple[str, str | Promise]] = {
    400: ("bad_request", _("The request could not be understood.")),
    401: ("not_authenticated", _("A valid API token is required.")),
    403: ("permission_denied", _("Your account may not do this.")),
    404: ("not_found", _("Nothing exists at this address.")),
    405: ("method_not_allowed", _("This method is not allowed at this address.")),
    406: ("not_acceptable", _("This address answers only in JSON.")),
    413: ("payload_too_large", _("The request body is too large.")),
    415: ("unsupported_media_type", _("The request body must be JSON.")),
    422: ("validation_error", _("Some fields of the request are not valid.")),
    429: ("rate_limited", _("Too many requests were made; wait a moment and try again.")),
    500: ("server_error", _("Something went wrong on our side; please try again later.")),
    503: ("unavailable", _("The service is unavailable; please try again later.")),
}


class ErrorDetail(Schema):
    code: str
    message: str
    details: Any = None


class ErrorOut(Schema):
    error: ErrorDetail


class ApiError(HttpError):
    """A failure raised by our own endpoints, with a code clients can rely on."""

    def __init__(
        self, status_code: int, code: str, message: str | Promise, details: Any = None
    ) -> None:
        super().__init__(status_code, str(message))
        self.code = code
        self.details = details


def error_body(
    status: int, code: str = "", message: str | Promise = "", details: Any = None
) -> dict[str, Any]:
    standard_code, standard_message = STANDARD_ERRORS.get(
        status, ("client_error" if status < 500 else "server_error", STANDARD_ERRORS[500][1])
    )
    return {
        "error": {
            "code": code or standard_code,
            "message": str(message or standard_message),
            "details": details,
        }
    }


def error_response(
    status: int, code: str = "", message: str | Promise = "", details: Any = None
) -> JsonResponse:
    return JsonResponse(error_body(status, code, message, details), status=status)


def validation_details(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Where and why each field failed; never the submitted value."""
    return [
        {
            "loc": list(error.get("loc", ())),
            "msg": str(error.get("msg", "")),
            "type": str(error.get("type", "")),
        }
        for error in errors
    ]


def handle_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return error_response(exc.status_code, exc.code, exc.message, exc.details)


def handle_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # Ninja's own messages ("Cannot parse request body") are replaced by ours, translated.
    return error_response(exc.status_code)


def handle_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = error_response(401)
    response.headers["WWW-Authenticate"] = "Bearer"
    return response


def handle_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    details = {"retry_after": round(exc.wait)} if exc.wait is not None else None
    return error_response(429, details=details)


def handle_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return error_response(422, details=validation_details(exc.errors))


def handle_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(404)


def handle_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return error_response(413)


# The most specific class in an exception's MRO picks its handler.
HANDLERS: tuple[tuple[type[Exception], Callable[..., HttpResponse]], ...] = (
    (HttpError, handle_http_error),
    (ApiError, handle_api_error),
    (AuthenticationError, handle_authentication_error),
    (Throttled, handle_throttled),
    (ValidationError, handle_validation_error),
    (Http404, handle_not_found),
    (RequestDataTooBig, handle_too_big),
)


def install_error_handlers(api: NinjaAPI) -> None:
    for exception_class, handler in HANDLERS:
        api.exception_handler(exception_class)(handler)
