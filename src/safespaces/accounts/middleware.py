"""Staff session rules: MFA before any staff page, idle and absolute timeouts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils import translation

from safespaces.accounts import staff_session
from safespaces.accounts.roles import is_staff_member

STAFF_PREFIX = "/staff/"
# How far along the login a page may be opened: the rest of the console needs every step.
OPEN_PAGES = frozenset({"login", "logout"})
SECOND_FACTOR_PAGES = frozenset({"mfa_verify", "mfa_enrol"})
AFTER_SECOND_FACTOR_PAGES = frozenset({"conduct", "password_change"})


class StaffSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(STAFF_PREFIX) and request.user.is_authenticated:
            if staff_session.has_expired(request):
                logout(request)
                return redirect_to_login(request.get_full_path())
            staff_session.touch(request)
            language = getattr(request.user, "language", "")
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        if not request.path.startswith(STAFF_PREFIX):
            return None
        match = request.resolver_match
        page = match.url_name if match is not None and match.namespace == "staff" else None
        if page in OPEN_PAGES:
            return None
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_staff_member(user):
            raise PermissionDenied
        if page in SECOND_FACTOR_PAGES:
            return None
        if not staff_session.is_mfa_verified(request):
            return self._second_factor_step(request)
        if page in AFTER_SECOND_FACTOR_PAGES:
            return None
        if getattr(user, "password_change_required", False):
            return redirect("staff:password_change")
        if getattr(user, "conduct_accepted_at", None) is None:
            return redirect("staff:conduct")
        return None

    def _second_factor_step(self, request: HttpRequest) -> HttpResponseRedirect:
        if getattr(request.user, "has_mfa", False):
            return redirect("staff:mfa_verify")
        return redirect("staff:mfa_enrol")
