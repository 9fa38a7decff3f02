"""Placeholder until this provider's hooks are written."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
