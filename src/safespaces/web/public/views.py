"""The public pages: no cookies, no JavaScript needed, nothing from another origin."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "public/home.html")


@require_safe
def safety(request: HttpRequest) -> HttpResponse:
    return render(request, "public/safety.html")
