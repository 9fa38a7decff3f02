"""Walk the URLconf: every named URL, with plausible values for its path parameters."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, UUIDConverter
from django.utils import translation


@dataclass(frozen=True)
class Route:
    name: str
    converters: dict[str, Any] = field(default_factory=dict)
    localised: bool = False


def walk(
    resolver: URLResolver,
    namespace: str = "",
    converters: dict[str, Any] | None = None,
    localised: bool = False,
) -> Iterator[Route]:
    """Every named URL of the URLconf, with the converters of its path parameters."""
    for entry in resolver.url_patterns:
        found = {**(converters or {}), **getattr(entry.pattern, "converters", {})}
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if entry.namespace else namespace
            is_locale = type(entry.pattern).__name__ == "LocalePrefixPattern"
            yield from walk(entry, inner.strip(":"), found, localised or is_locale)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else str(entry.name)
            yield Route(name, found, localised)


def all_routes() -> list[Route]:
    return list(walk(get_resolver()))


def plausible_kwargs(route: Route, known: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Known objects where the test made one; otherwise a well-formed value of the right type."""
    if route.name in known:
        return known[route.name]
    kwargs: dict[str, Any] = {}
    for name, converter in route.converters.items():
        if isinstance(converter, IntConverter):
            kwargs[name] = 1
        elif isinstance(converter, UUIDConverter):
            kwargs[name] = uuid.UUID(int=1)
        else:
            kwargs[name] = "example"
    return kwargs


def paths_of(route: Route, known: dict[str, dict[str, Any]]) -> list[str]:
    """The route's path, in every language when it is under i18n_patterns."""
    kwargs = plausible_kwargs(route, known)
    if not route.localised:
        return [reverse(route.name, kwargs=kwargs)]
    paths = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            paths.append(reverse(route.name, kwargs=kwargs))
    return paths
