"""Signing in and out of the staff console: password, second factor, code of conduct."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from safespaces.accounts import actions, mfa, staff_session, throttle
from safespaces.accounts.forms import CodeForm, LanguageForm, LoginForm, NewPasswordForm, VerifyForm
from safespaces.accounts.models import User
from safespaces.accounts.roles import is_staff_member

NEXT_URL = "staff_next"


def signed_in_staff(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # the staff session middleware let only staff through
    return user


def _continue(request: HttpRequest) -> HttpResponse:
    """The page a signed-in staff member asked for, once every login step is done."""
    target = request.session.pop(NEXT_URL, "")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if target and allowed and target.startswith("/staff/"):
        return redirect(target)
    return redirect("staff:home")


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        buckets = (throttle.username_bucket(username), throttle.client_bucket(request))
        if throttle.is_locked_out(*buckets):
            form.add_error(None, _("Too many failed attempts. Please wait and try again later."))
        else:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if isinstance(user, User) and is_staff_member(user):
                throttle.clear_failures(buckets[0])
                next_url = request.GET.get("next", "")
                login(request, user)
                staff_session.begin(request)
                request.session[NEXT_URL] = next_url
                return redirect("staff:mfa_verify" if user.has_mfa else "staff:mfa_enrol")
            throttle.record_failure(*buckets)
            known = User.objects.filter(username=username).first()
            actions.record_login_failure(known, step="password")
            form.add_error(None, _("The username or password is not correct."))
    return render(request, "staff/account/login.html", {"form": form})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if isinstance(request.user, User):
        actions.record_logout(request.user)
    logout(request)  # flushes the session row on the server, not just the cookie
    messages.success(request, _("You are logged out."))
    return redirect("staff:login")


@never_cache
def mfa_verify_view(request: HttpRequest) -> HttpResponse:
    user = signed_in_staff(request)
    if staff_session.is_mfa_verified(request):
        return _continue(request)
    if not user.has_mfa:
        return redirect("staff:mfa_enrol")
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        bucket = throttle.username_bucket(user.username)
        if throttle.is_locked_out(bucket):
            logout(request)
            messages.error(request, _("Too many failed attempts. Please wait and try again later."))
            return redirect("staff:login")
        if _second_factor_passes(request, user, form.cleaned_data["code"]):
            throttle.clear_failures(bucket)
            staff_session.mark_mfa_verified(request)
            actions.record_login(user)
            return _continue(request)
        throttle.record_failure(bucket)
        actions.record_login_failure(user, step="mfa")
        form.add_error("code", _("This code is not valid. Codes work only once."))
    return render(request, "staff/account/mfa_verify.html", {"form": form})


def _second_factor_passes(request: HttpRequest, user: User, code: str) -> bool:
    if mfa.looks_like_totp_code(code):
        return actions.verify_totp(user, code)
    if actions.use_recovery_code(user, code):
        messages.warning(
            request,
            _(
                "You signed in with a recovery code. Ask a coordinator to reset your authenticator "
                "if you have lost it."
            ),
        )
        return True
    return False


@never_cache
def mfa_enrol_view(request: HttpRequest) -> HttpResponse:
    user = signed_in_staff(request)
    try:
        device = actions.start_mfa_enrolment(user)
    except actions.MfaAlreadyEnrolled:
        return redirect("staff:mfa_verify")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = actions.confirm_mfa_enrolment(user, form.cleaned_data["code"])
        if codes is not None:
            staff_session.mark_mfa_verified(request)
            actions.record_login(user)
            # Shown in this answer only: nothing but their hashes is kept.
            return render(request, "staff/account/recovery_codes.html", {"codes": codes})
        form.add_error("code", _("This code is not valid. Check the time on your phone."))
    secret = device.secret or ""
    uri = mfa.provisioning_uri(secret, user.username)
    context = {"form": form, "secret": secret, "qr_code": mfa.qr_code_data_uri(uri)}
    return render(request, "staff/account/mfa_enrol.html", context)


@never_cache
def conduct_view(request: HttpRequest) -> HttpResponse:
    user = signed_in_staff(request)
    if request.method == "POST":
        if request.POST.get("accept") == "yes":
            actions.accept_conduct(user)
            return _continue(request)
        messages.error(request, _("Please tick the box to accept the code of conduct."))
    return render(request, "staff/account/conduct.html", {"accepted_at": user.conduct_accepted_at})


@sensitive_post_parameters("password1", "password2")
@never_cache
def password_change_view(request: HttpRequest) -> HttpResponse:
    user = signed_in_staff(request)
    form = NewPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.change_password(user, form.cleaned_data["password1"])
        # Keeps this session signed in (with a new id); every other session of the user ends.
        update_session_auth_hash(request, user)
        messages.success(request, _("Your password has been changed."))
        return _continue(request)
    return render(request, "staff/account/password_change.html", {"form": form})


def language_view(request: HttpRequest) -> HttpResponse:
    user = signed_in_staff(request)
    form = LanguageForm(request.POST or None, initial={"language": user.language})
    if request.method == "POST" and form.is_valid():
        actions.set_language(user, form.cleaned_data["language"])
        # The middleware activated the old language for this request: answer in the new one.
        translation.activate(user.language)
        messages.success(request, _("The staff console will now use this language."))
        return redirect("staff:home")
    return render(request, "staff/account/language.html", {"form": form})


urlpatterns: list[URLPattern] = [
    path("login/", login_view, name="login"),
    path("logout/", logout_view, name="logout"),
    path("mfa/verify/", mfa_verify_view, name="mfa_verify"),
    path("mfa/enrol/", mfa_enrol_view, name="mfa_enrol"),
    path("conduct/", conduct_view, name="conduct"),
    path("password/", password_change_view, name="password_change"),
    path("language/", language_view, name="language"),
]
