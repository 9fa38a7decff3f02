"""The nearest safe spaces that serve someone, open now or at a given time.

An in-process index of the venues that count as safe spaces today (the rule of
`places.rules.counts_as_safe_space`, as one query: `safe_spaces`), bucketed by H3 cell at
resolutions 9 and 7, rebuilt when the venues change (a generation number shared through the
cache, see `venues_changed`) or the day changes. A search walks rings of cells outward from
the person's cell, keeps the best `limit` venues by score, and stops when the next ring
cannot hold anything better: at resolution 9 first (a dense city answers within a few hundred
metres), and where a dozen rings of those are not enough, again at resolution 7.

Ranking: each venue's score is its distance in metres plus a penalty for what its live
status says, weighted by how fresh that status is:

    score = distance_m + freshness * LIVE_STATUS_PENALTY_M[live_status]

- freshness is 1 for a status reported within SAFESPACES_LIVE_STATUS_FRESH_HOURS (F) of the
  time asked about, falls linearly to 0 at 2F, and is 0 for no report, an older one, or one
  reported after the time asked about;
- the penalty is +5,000 m for "closed now", +2,000 m for "full", -200 m for "open" and 0 for
  "unknown": a venue that just said it is full counts as if it were 2 km further away.

Lower scores come first; ties go to the nearer venue, then to the smaller id. Distances are
great-circle (haversine) distances, correct across the antimeridian and near the poles.
"""

from __future__ import annotations

import bisect
import datetime
import math
import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from h3.api import basic_int as h3

from safespaces.geo.cells import validate_point
from safespaces.places import hours
from safespaces.places.models import (
    LiveStatus,
    Organisation,
    TrainedStaff,
    Venue,
    VenueStatus,
)

EARTH_RADIUS_M = 6_371_008.8
# The resolutions searched, finest first, each with the most rings walked there. A search
# starts at the finest whose cells hold a few venues around the searcher (judged from the
# searcher's resolution 7 cell: 7 times fewer venues a cell at each finer resolution), and
# where a dozen rings hold too little, goes on coarser, resolution 7 reaching any distance.
LEVELS = ((10, 12), (9, 12), (8, 12), (7, 3_000))
COARSEST = 7
# Venues a cell should hold, on average, at the resolution a search starts at.
VENUES_A_CELL = 2
# Ring k's cells are at least (RING_STEP * k - RADII) edges of the searcher's cell away. On a
# flat hexagonal grid the step is 1.5 (1.25 around a pentagon) and the radii 2; sampling H3
# at resolutions 7 to 9, pentagons included, found no ring nearer than a step of 1.28 with
# radii 2.2 (tests/places/test_search.py checks the bound beside every pentagon).
RING_STEP = 1.2
RADII = 2.2
# A search looks no further than this unless asked to.
DEFAULT_WITHIN_M = 50_000.0
LIVE_STATUS_PENALTY_M: dict[str, float] = {
    LiveStatus.CLOSED: 5_000.0,
    LiveStatus.FULL: 2_000.0,
    LiveStatus.OPEN: -200.0,
    LiveStatus.UNKNOWN: 0.0,
}
BEST_BONUS_M = -min(LIVE_STATUS_PENALTY_M.values())
GENERATION_KEY = "places:venues:generation"
# Other processes' venue changes are seen within this many seconds.
CHECK_EVERY_SECONDS = 1.0
# Venues remembered for showing results (venues_of); more than a city's network.
MAX_SHOWN = 20_000


@dataclass(frozen=True, slots=True)
class Found:
    """One venue a search found, and why it ranks where it does."""

    venue_id: uuid.UUID
    distance_m: float
    is_open: bool | None
    closes_at: datetime.datetime | None
    live_status: str
    freshness: float
    score: float


@dataclass(frozen=True, slots=True)
class Entry:
    """What the index keeps of one venue."""

    venue_id: uuid.UUID
    latitude: float
    longitude: float
    kind: str
    groups: frozenset[str]
    services: frozenset[str]
    languages: frozenset[str]
    min_age: int | None
    max_age: int | None
    accessible: bool
    opening_hours: str
    live_status: str
    live_status_at: datetime.datetime | None
    confidential: bool
    # The id as ranked, and the point's trigonometry, computed once.
    key: str = ""
    phi: float = 0.0
    lam: float = 0.0
    cos_phi: float = 0.0


@dataclass(frozen=True, slots=True)
class Wanted:
    """The filters of one search."""

    groups: frozenset[str] = frozenset()
    services: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()
    at: datetime.datetime = field(default_factory=timezone.now)
    open_only: bool = True
    accessible: bool = False
    language: str | None = None
    age: int | None = None
    include_confidential: bool = True

    def admits(self, entry: Entry) -> bool:
        """Every filter but the opening hours (the costliest, checked last)."""
        return (
            (self.include_confidential or not entry.confidential)
            and (not self.kinds or entry.kind in self.kinds)
            and (not self.groups or not entry.groups or not self.groups.isdisjoint(entry.groups))
            and self.services <= entry.services
            and (not self.accessible or entry.accessible)
            and (self.language is None or self.language in entry.languages)
            and (self.age is None or serves_age(entry, self.age))
        )


def serves_age(entry: Entry, age: int) -> bool:
    return (entry.min_age is None or entry.min_age <= age) and (
        entry.max_age is None or age <= entry.max_age
    )


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_dphi = (phi2 - phi1) / 2
    half_dlambda = math.radians(lon2 - lon1) / 2
    a = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def freshness(reported_at: datetime.datetime | None, at: datetime.datetime) -> float:
    """1 while a live status is fresh, falling to 0 at twice the fresh hours (module doc)."""
    if reported_at is None or reported_at > at:
        return 0.0
    fresh_hours = settings.SAFESPACES_LIVE_STATUS_FRESH_HOURS
    age_hours = (at - reported_at).total_seconds() / 3600
    if age_hours <= fresh_hours:
        return 1.0
    return max(0.0, 2.0 - age_hours / fresh_hours)


def score(distance_m: float, live_status: str, weight: float) -> float:
    return distance_m + weight * LIVE_STATUS_PENALTY_M.get(live_status, 0.0)


def ring_distance_bound_m(ring: int, edge_m: float) -> float:
    """No point in a cell `ring` steps from the searcher's cell is nearer than this, where
    `edge_m` is the shortest edge of the searcher's cell (see RING_STEP)."""
    return max(0.0, (RING_STEP * ring - RADII) * edge_m)


def shortest_edge_m(cell: int) -> float:
    return min(h3.edge_length(edge, "m") for edge in h3.origin_to_directed_edges(cell))


class Index:
    """The safe spaces of one day, bucketed by H3 cell at each resolution of LEVELS."""

    def __init__(self, entries: Iterable[Entry], day: datetime.date) -> None:
        self.day = day
        # Venues loaded to be shown, kept as long as this index (see `venues_of`).
        self.shown: dict[uuid.UUID, Venue] = {}
        self.levels: dict[int, dict[int, list[Entry]]] = {level: {} for level, _ in LEVELS}
        for entry in entries:
            for resolution, cells in self.levels.items():
                cell = h3.latlng_to_cell(entry.latitude, entry.longitude, resolution)
                cells.setdefault(cell, []).append(entry)

    def search(
        self, latitude: float, longitude: float, wanted: Wanted, limit: int, within_m: float
    ) -> list[Found]:
        point = Point.of(latitude, longitude)
        walk = Walk(wanted, hours.local_time(wanted.at), limit, within_m)
        start = self.start_resolution(latitude, longitude)
        for resolution, max_rings in LEVELS:
            if resolution > start:
                continue
            walk.kept.clear()
            if self._walk(walk, point, resolution, max_rings):
                break
        return [_found(kept, wanted) for kept in walk.kept]

    def start_resolution(self, latitude: float, longitude: float) -> int:
        around = len(
            self.levels[COARSEST].get(h3.latlng_to_cell(latitude, longitude, COARSEST), ())
        )
        resolution = COARSEST
        while around >= VENUES_A_CELL * 7 and resolution < LEVELS[0][0]:
            around //= 7
            resolution += 1
        return resolution

    def _walk(self, walk: Walk, point: Point, resolution: int, rings: int) -> bool:
        """Ring after ring at one resolution; True when no further ring can change the answer,
        False when `rings` were not enough (a coarser resolution then starts again)."""
        cells = self.levels[resolution]
        origin = h3.latlng_to_cell(point.latitude, point.longitude, resolution)
        edge_m = shortest_edge_m(origin)
        for ring in range(rings):
            bound = ring_distance_bound_m(ring, edge_m)
            if bound > walk.within_m or walk.cannot_improve(bound):
                return True
            for cell in h3.grid_ring(origin, ring):
                for entry in cells.get(cell, ()):
                    walk.consider(entry, point)
        return False


@dataclass(frozen=True, slots=True)
class Point:
    latitude: float
    longitude: float
    phi: float
    lam: float
    cos_phi: float

    @classmethod
    def of(cls, latitude: float, longitude: float) -> Point:
        phi = math.radians(latitude)
        return cls(latitude, longitude, phi, math.radians(longitude), math.cos(phi))


# (score, distance, venue id, entry, freshness): tuples order like the ranking.
Kept = tuple[float, float, str, Entry, float]


@dataclass(slots=True)
class Walk:
    """One search's filters and the best venues kept so far, best first."""

    wanted: Wanted
    local: datetime.datetime
    limit: int
    within_m: float
    kept: list[Kept] = field(default_factory=list)

    def cannot_improve(self, nearest_possible_m: float) -> bool:
        if len(self.kept) < self.limit:
            return False
        return nearest_possible_m - BEST_BONUS_M > self.kept[-1][0]

    def consider(self, entry: Entry, point: Point) -> None:
        # The difference in latitude alone is a distance no venue can be nearer than.
        if (
            len(self.kept) == self.limit
            and abs(entry.phi - point.phi) * EARTH_RADIUS_M - BEST_BONUS_M > self.kept[-1][0]
        ):
            return
        if not self.wanted.admits(entry):
            return
        distance = _haversine_from(point, entry)
        if distance > self.within_m:
            return
        if entry.live_status_at is None:
            weight, ranked = 0.0, distance
        else:
            weight = freshness(entry.live_status_at, self.wanted.at)
            ranked = score(distance, entry.live_status, weight)
        if len(self.kept) == self.limit and (ranked, distance, entry.key) >= self.kept[-1][:3]:
            return
        if (
            self.wanted.open_only
            and hours.is_open_local(entry.opening_hours, self.local) is not True
        ):
            return
        bisect.insort(self.kept, (ranked, distance, entry.key, entry, weight))
        if len(self.kept) > self.limit:
            self.kept.pop()


def _haversine_from(point: Point, entry: Entry) -> float:
    """haversine_m with the trigonometry of both points done in advance."""
    a = (
        math.sin((entry.phi - point.phi) / 2) ** 2
        + point.cos_phi * entry.cos_phi * math.sin((entry.lam - point.lam) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def _found(kept: Kept, wanted: Wanted) -> Found:
    ranked, distance, _key, entry, weight = kept
    open_now = hours.is_open(entry.opening_hours, wanted.at)
    return Found(
        venue_id=entry.venue_id,
        distance_m=distance,
        is_open=open_now,
        closes_at=hours.next_change(entry.opening_hours, wanted.at) if open_now else None,
        live_status=entry.live_status,
        freshness=weight,
        score=ranked,
    )


ENTRY_FIELDS = (
    "pk",
    "latitude",
    "longitude",
    "kind",
    "groups",
    "services",
    "languages",
    "min_age",
    "max_age",
    "wheelchair_accessible",
    "opening_hours",
    "live_status",
    "live_status_at",
    "confidential",
)


def safe_spaces(today: datetime.date) -> QuerySet[Venue]:
    """`places.rules.counts_as_safe_space` as one query: loading 100,000 venues as model
    instances to ask the rule one by one takes half a minute, this takes a second. The
    property tests check that both agree."""
    current_staff = Count(
        "trained_staff",
        filter=Q(trained_staff__trained_on__lte=today, trained_staff__expires_on__gt=today),
    )
    return (
        Venue.objects.filter(status=VenueStatus.ACTIVE, pledge_signed_on__lte=today)
        .filter(Q(pledge_renewal_due__isnull=True) | Q(pledge_renewal_due__gte=today))
        .alias(current_staff=current_staff)
        .filter(current_staff__gte=settings.SAFESPACES_MIN_TRAINED_STAFF)
    )


def load_entries(today: datetime.date) -> list[Entry]:
    """The venues that count as safe spaces today, as the index keeps them."""
    rows = safe_spaces(today).order_by().values_list(*ENTRY_FIELDS)
    return [entry_of(*row) for row in rows.iterator(chunk_size=5000)]


def entry_of(
    venue_id: uuid.UUID,
    latitude: float,
    longitude: float,
    kind: str,
    groups: list[str],
    services: list[str],
    languages: list[str],
    min_age: int | None,
    max_age: int | None,
    accessible: bool,
    opening_hours: str,
    live_status: str,
    live_status_at: datetime.datetime | None,
    confidential: bool,
) -> Entry:
    phi = math.radians(latitude)
    return Entry(
        venue_id=venue_id,
        latitude=latitude,
        longitude=longitude,
        kind=kind,
        groups=frozenset(groups),
        services=frozenset(services),
        languages=frozenset(languages),
        min_age=min_age,
        max_age=max_age,
        accessible=accessible,
        opening_hours=opening_hours,
        live_status=live_status,
        live_status_at=live_status_at,
        confidential=confidential,
        key=str(venue_id),
        phi=phi,
        lam=math.radians(longitude),
        cos_phi=math.cos(phi),
    )


class _Current:
    """This process's index, rebuilt when another process changed the venues."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.generation: object = object()  # matches no stored generation
        self.index: Index | None = None
        self.checked_at = -math.inf

    def index_for(self, today: datetime.date) -> Index:
        now = time.monotonic()
        with self.lock:
            index = self.index
            if (
                index is not None
                and index.day == today
                and now - self.checked_at < CHECK_EVERY_SECONDS
            ):
                return index
        generation = cache.get(GENERATION_KEY)
        with self.lock:
            self.checked_at = now
            if self.index is None or self.index.day != today or generation != self.generation:
                self.index = Index(load_entries(today), today)
                self.generation = generation
            return self.index

    def forget(self) -> None:
        with self.lock:
            self.index = None
            self.checked_at = -math.inf


_current = _Current()


def venues_changed() -> None:
    """Tell every process the venues changed (again once committed, for non-database caches).
    Call it from every action that changes a venue, its organisation or its trained staff."""
    _current.forget()
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    transaction.on_commit(_forget_everywhere)


def _forget_everywhere() -> None:
    _current.forget()
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def warm_index() -> None:
    """Build this process's index now (a web process calls it before its first request)."""
    _current.index_for(timezone.localdate())


def forget_index() -> None:
    """Load the venues from the database again on next use (between tests)."""
    _current.forget()


def _on_venue_change(**_kwargs: object) -> None:
    venues_changed()


# A safety net: any save or delete, even one that forgot to call venues_changed().
for _model in (Venue, TrainedStaff, Organisation):
    post_save.connect(_on_venue_change, sender=_model, dispatch_uid=f"search-{_model.__name__}")
    post_delete.connect(_on_venue_change, sender=_model, dispatch_uid=f"search-d-{_model.__name__}")


def nearest(
    latitude: float,
    longitude: float,
    *,
    limit: int = 3,
    groups: Iterable[str] = (),
    services: Iterable[str] = (),
    kinds: Iterable[str] = (),
    at: datetime.datetime | None = None,
    open_only: bool = True,
    accessible: bool = False,
    language: str | None = None,
    age: int | None = None,
    include_confidential: bool = True,
    within_m: float = DEFAULT_WITHIN_M,
) -> list[Found]:
    """The `limit` best-ranked safe spaces within `within_m` that pass every filter (module
    doc); `at` is the time asked about (None: now), `open_only` keeps venues whose hours say
    open then. A venue with no groups listed serves everyone; `groups` asks for a venue that
    serves any of them; `services` asks for venues offering all of them."""
    validate_point(latitude, longitude)
    if limit <= 0:
        return []
    moment = at or timezone.now()
    wanted = Wanted(
        groups=frozenset(groups),
        services=frozenset(services),
        kinds=frozenset(kinds),
        at=moment,
        open_only=open_only,
        accessible=accessible,
        language=language,
        age=age,
        include_confidential=include_confidential,
    )
    index = _current.index_for(timezone.localdate())
    return index.search(latitude, longitude, wanted, limit, within_m)


def venues_of(found: Iterable[Found]) -> dict[uuid.UUID, Venue]:
    """The venues behind search results, with their organisations, by id: loaded once and
    remembered in this process until the venues change (they change far less often than
    people search). Venues gone since the search are left out."""
    index = _current.index_for(timezone.localdate())
    wanted = [item.venue_id for item in found]
    missing = [venue_id for venue_id in wanted if venue_id not in index.shown]
    if missing:
        if len(index.shown) > MAX_SHOWN:
            index.shown.clear()
        loaded = (
            Venue.objects.select_related("organisation")
            .defer("confidential_address", "contact_phone")
            .in_bulk(missing)
        )
        index.shown.update(loaded)
    return {venue_id: index.shown[venue_id] for venue_id in wanted if venue_id in index.shown}


def nearest_hotline(latitude: float, longitude: float) -> Organisation | None:
    """The organisation with a 24/7 hotline whose nearest venue (of any status but closed for
    good) is nearest; one with no venue only when no other has one."""
    validate_point(latitude, longitude)
    organisations = Organisation.objects.filter(hotline_is_24_7=True).exclude(hotline="")
    points = Venue.objects.filter(organisation__in=organisations).exclude(status=VenueStatus.CLOSED)
    best: tuple[float, str] | None = None
    for organisation_id, venue_latitude, venue_longitude in points.values_list(
        "organisation_id", "latitude", "longitude"
    ):
        candidate = (
            haversine_m(latitude, longitude, venue_latitude, venue_longitude),
            str(organisation_id),
        )
        best = candidate if best is None or candidate < best else best
    if best is not None:
        return organisations.get(pk=best[1])
    return organisations.order_by("name", "pk").first()
