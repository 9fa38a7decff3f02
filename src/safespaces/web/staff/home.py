"""The staff console's overview: who is signed in, in which roles, and where to go next."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.cache import never_cache

from safespaces.accounts.roles import roles_of


@never_cache
def home_view(request: HttpRequest) -> HttpResponse:
    return render(request, "staff/home.html", {"roles": roles_of(request.user)})


urlpatterns: list[URLPattern] = [path("", home_view, name="home")]
