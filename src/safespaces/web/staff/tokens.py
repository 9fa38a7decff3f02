"""Personal API tokens: created in an MFA-verified session, shown once, revocable."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from safespaces.accounts import actions
from safespaces.accounts.forms import TokenForm
from safespaces.accounts.models import ApiToken
from safespaces.web.staff.account import signed_in_staff


@never_cache
def token_list_view(request: HttpRequest) -> HttpResponse:
    user = signed_in_staff(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, raw = actions.create_token(user, form.cleaned_data["name"])
        # Shown in this answer only: the database keeps a hash of the secret.
        return render(request, "staff/tokens/created.html", {"token": token, "raw": raw})
    tokens = ApiToken.objects.filter(user=user)
    return render(request, "staff/tokens/list.html", {"form": form, "tokens": tokens})


@require_POST
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_staff(request)
    token = get_object_or_404(ApiToken, pk=pk, user=user)
    actions.revoke_token(user, token)
    messages.success(request, _("The token has been revoked."))
    return redirect("staff:tokens")


urlpatterns: list[URLPattern] = [
    path("tokens/", token_list_view, name="tokens"),
    path("tokens/<int:pk>/revoke/", token_revoke_view, name="token_revoke"),
]
