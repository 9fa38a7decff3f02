"""Coordinators manage staff accounts: roles, activation, one-time passwords, MFA resets."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from safespaces.accounts import actions
from safespaces.accounts.forms import RolesForm, UserCreateForm
from safespaces.accounts.models import TotpDevice, User
from safespaces.accounts.roles import roles_of
from safespaces.web.staff.account import signed_in_staff

MANAGE_USERS = "accounts.manage_users"


@never_cache
@permission_required(MANAGE_USERS, raise_exception=True)
def user_list_view(request: HttpRequest) -> HttpResponse:
    enrolled = TotpDevice.objects.filter(user=OuterRef("pk"), confirmed_at__isnull=False)
    users = (
        User.objects.annotate(mfa_enrolled=Exists(enrolled))
        .prefetch_related(Prefetch("groups"))
        .order_by("username")
    )
    rows = [{"user": user, "roles": roles_of(user)} for user in users]
    return render(request, "staff/users/list.html", {"rows": rows})


@sensitive_post_parameters("password")
@never_cache
@permission_required(MANAGE_USERS, raise_exception=True)
def user_create_view(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user, one_time = actions.create_user(
            signed_in_staff(request),
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            roles=form.cleaned_data["roles"],
            password=form.cleaned_data["password"] or None,
        )
        if one_time is None:
            messages.success(request, _("The account has been created."))
            return redirect("staff:user_edit", pk=user.pk)
        # Shown in this answer only: the coordinator passes it on, the person replaces it.
        return render(request, "staff/users/created.html", {"new_user": user, "password": one_time})
    return render(request, "staff/users/create.html", {"form": form})


@never_cache
@permission_required(MANAGE_USERS, raise_exception=True)
def user_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    form = RolesForm(request.POST or None, initial={"roles": [r.value for r in roles_of(user)]})
    if request.method == "POST" and form.is_valid():
        actions.set_roles(signed_in_staff(request), user, form.cleaned_data["roles"])
        messages.success(request, _("The roles have been saved."))
        return redirect("staff:user_edit", pk=user.pk)
    context = {"subject": user, "form": form, "is_self": user.pk == request.user.pk}
    return render(request, "staff/users/edit.html", context)


@require_POST
@permission_required(MANAGE_USERS, raise_exception=True)
def user_active_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    if user.pk == request.user.pk:
        messages.error(request, _("You cannot deactivate your own account."))
        return redirect("staff:user_edit", pk=user.pk)
    active = request.POST.get("active") == "yes"
    actions.set_active(signed_in_staff(request), user, active)
    if active:
        messages.success(request, _("The account has been reactivated."))
    else:
        messages.success(request, _("The account has been deactivated."))
    return redirect("staff:user_edit", pk=user.pk)


@require_POST
@permission_required(MANAGE_USERS, raise_exception=True)
def user_reset_mfa_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    actions.reset_mfa(signed_in_staff(request), user)
    messages.success(
        request, _("The authenticator has been reset. The person enrols again at their next login.")
    )
    return redirect("staff:user_edit", pk=user.pk)


urlpatterns: list[URLPattern] = [
    path("users/", user_list_view, name="users"),
    path("users/new/", user_create_view, name="user_create"),
    path("users/<int:pk>/", user_edit_view, name="user_edit"),
    path("users/<int:pk>/active/", user_active_view, name="user_active"),
    path("users/<int:pk>/reset-mfa/", user_reset_mfa_view, name="user_reset_mfa"),
]
