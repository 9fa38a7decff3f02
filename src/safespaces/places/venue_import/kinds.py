"""The kind of venue that OpenStreetMap tags or HSDS taxonomy terms describe.

docs/exchange (the import table) lists these; the first rule that matches wins.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from safespaces.places.models import VenueKind

# (tag, values) -> kind; an empty set of values matches any value of the tag.
OSM_RULES: tuple[tuple[str, frozenset[str], str], ...] = (
    ("social_facility", frozenset({"shelter", "group_home"}), VenueKind.SHELTER),
    ("amenity", frozenset({"shelter_for_women", "refugee_site"}), VenueKind.SHELTER),
    ("amenity", frozenset({"police"}), VenueKind.POLICE),
    ("amenity", frozenset({"embassy"}), VenueKind.EMBASSY),
    ("office", frozenset({"diplomatic"}), VenueKind.EMBASSY),
    ("diplomatic", frozenset({"embassy", "consulate"}), VenueKind.EMBASSY),
    ("office", frozenset({"lawyer", "notary"}), VenueKind.LEGAL_AID),
    ("amenity", frozenset({"clinic", "doctors", "hospital", "dentist"}), VenueKind.CLINIC),
    ("healthcare", frozenset(), VenueKind.CLINIC),
    ("social_facility", frozenset({"outreach", "day_care", "soup_kitchen"}), VenueKind.DROP_IN),
    (
        "amenity",
        frozenset({"community_centre", "social_centre", "social_facility"}),
        VenueKind.DROP_IN,
    ),
    (
        "amenity",
        frozenset({"school", "college", "university", "kindergarten", "library"}),
        VenueKind.SCHOOL,
    ),
    ("amenity", frozenset({"place_of_worship", "monastery"}), VenueKind.RELIGIOUS),
    (
        "amenity",
        frozenset({"cafe", "restaurant", "fast_food", "food_court", "ice_cream", "bar", "pub"}),
        VenueKind.CAFE,
    ),
    ("amenity", frozenset({"pharmacy", "marketplace", "fuel"}), VenueKind.SHOP),
    ("shop", frozenset(), VenueKind.SHOP),
)
VENUE_TAGS = ("amenity", "shop", "office", "healthcare", "social_facility")

# Words in an HSDS taxonomy term's code or name -> kind; our own export uses the kind keys.
TERM_WORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("shelter", "refuge", "safe house", "housing"), VenueKind.SHELTER),
    (("police",), VenueKind.POLICE),
    (("embassy", "consulate", "consular"), VenueKind.EMBASSY),
    (("legal",), VenueKind.LEGAL_AID),
    (("clinic", "health", "medical", "hospital"), VenueKind.CLINIC),
    (("drop-in", "drop in", "drop_in", "day centre", "day center", "community"), VenueKind.DROP_IN),
    (("school", "campus", "education", "university"), VenueKind.SCHOOL),
    (("religious", "church", "mosque", "temple", "worship"), VenueKind.RELIGIOUS),
    (("cafe", "café", "restaurant"), VenueKind.CAFE),
    (("shop", "store", "pharmacy"), VenueKind.SHOP),
)


def kind_from_tags(tags: Mapping[str, object]) -> str:
    given = str(tags.get("kind", "")).strip().lower()
    if given in VenueKind.values:
        return given
    for tag, values, kind in OSM_RULES:
        value = tags.get(tag)
        if isinstance(value, str) and value and (not values or value in values):
            return kind
    return VenueKind.OTHER


def is_venue(tags: Mapping[str, object]) -> bool:
    """OpenStreetMap features worth importing: named, and tagged as a kind of place."""
    return bool(str(tags.get("name", "")).strip()) and any(tag in tags for tag in VENUE_TAGS)


def kind_from_terms(terms: Iterable[str]) -> str:
    words = [term.strip().lower() for term in terms if term.strip()]
    for word in words:
        if word in VenueKind.values:
            return word
    for keys, kind in TERM_WORDS:
        if any(key in word for word in words for key in keys):
            return kind
    return VenueKind.OTHER
