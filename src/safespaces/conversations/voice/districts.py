"""District codes a caller can key in: the gazetteer's id of a district or neighbourhood.

The gazetteer's places carry no code of their own, so a district's code is its `NamedPlace`
id: it never changes once the place is imported, whatever else is imported later.
`safespaces manage hotline_districts` prints the list for leaflets and posters.
"""

from __future__ import annotations

from django.db.models import QuerySet

from safespaces.geo.models import NamedPlace

DISTRICT_KINDS = (NamedPlace.Kind.DISTRICT, NamedPlace.Kind.NEIGHBOURHOOD)


def districts() -> QuerySet[NamedPlace]:
    return NamedPlace.objects.filter(kind__in=DISTRICT_KINDS).order_by("pk")


MAX_CODE_DIGITS = 12


def is_district_code(text: str) -> bool:
    return 0 < len(text) <= MAX_CODE_DIGITS and text.isascii() and text.isdigit()


def district_name(code: str) -> str | None:
    """The name of the district with this code, or None when no district has it."""
    if not is_district_code(code):
        return None
    place = districts().filter(pk=int(code)).only("name").first()
    return None if place is None else place.name
