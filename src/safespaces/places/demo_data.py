"""The demo's safe-space network: about 300 venues around Cairo, the same every time.

Shops, cafés and pharmacies of the safe-area network gather in the busy districts; clinics,
legal aid and drop-in centres keep office hours; a few confidential shelters sit under an
organisation with a 24/7 hotline. Hours vary on purpose: 24/7, overnight cafés, closed on
Fridays, closed on public holidays. Most venues count as safe spaces today; some are
suspended, being recruited, due to renew their pledge, or losing their trained staff.
Every venue's fields go through the same validation as the console's (`venue_fields`); rows
are then written in bulk for speed, with one audit event for the whole load.
"""

from __future__ import annotations

import datetime
import math
import random
import uuid
from dataclasses import dataclass, replace

from django.db import transaction
from django.utils import timezone

from safespaces.audit.actions import record_event
from safespaces.places.actions import add_months, create_organisation, venue_fields
from safespaces.places.models import Organisation, TrainedStaff, Venue, VenueStatus
from safespaces.places.validation import OrganisationDetails, VenueDetails

DEMO_SEED = 20260305
DEMO_VENUE_COUNT = 300
SHELTER_COUNT = 5
# Ids derive from this namespace, so loading again finds what the first load wrote.
DEMO_NAMESPACE = uuid.UUID("5afe5bac-e5de-4000-8000-00000000ca1e")
METRES_PER_DEGREE = 111_320.0


@dataclass(frozen=True)
class District:
    name: str
    latitude: float
    longitude: float
    weight: int
    spread_metres: float = 700.0


DISTRICTS = (
    District("Downtown", 30.0478, 31.2394, 12),
    District("Tahrir", 30.0444, 31.2357, 8, 400.0),
    District("Ramses", 30.0626, 31.2467, 6),
    District("Attaba", 30.0522, 31.2468, 5),
    District("Zamalek", 30.0609, 31.2197, 6),
    District("Garden City", 30.0375, 31.2318, 3, 400.0),
    District("Dokki", 30.0385, 31.2123, 6),
    District("Mohandessin", 30.0566, 31.2009, 6),
    District("Agouza", 30.0552, 31.2136, 3),
    District("Giza Square", 30.0131, 31.2089, 4),
    District("Heliopolis", 30.0911, 31.3225, 7, 1200.0),
    District("Nasr City", 30.0566, 31.3301, 8, 1500.0),
    District("Maadi", 29.9602, 31.2569, 6, 1000.0),
    District("Shubra", 30.0771, 31.2446, 5),
    District("Abbassia", 30.0725, 31.2826, 3),
    District("Sayeda Zeinab", 30.0293, 31.2367, 3),
    District("Manial", 30.0206, 31.2293, 3),
)

NETWORK = OrganisationDetails(
    name="Safe Streets Cairo (demo)",
    description="The safe-area network: shops, cafés and pharmacies that pledged to help.",
    phone="+20 2 2575 0100",
    hotline="+20 100 700 0100",
)
SHELTERS = OrganisationDetails(
    name="Nadeem Shelter Network (demo)",
    description="Confidential shelters for women and children leaving violence.",
    hotline="+20 100 700 0200",
    hotline_is_24_7=True,
)
SERVICES = OrganisationDetails(
    name="Cairo Care and Counsel (demo)",
    description="Clinics, legal aid and drop-in centres.",
    phone="+20 2 2575 0300",
    hotline="+20 100 700 0300",
)

# kind, share of the network, name words, hours choices, services
PROFILES: dict[str, tuple[int, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "shop": (
        30,
        ("Pharmacy", "Bookshop", "Grocery", "Kiosk", "Bakery", "Phone shop"),
        (
            "Sa-Th 09:00-23:00; Fr 14:00-23:00",
            "Mo-Su 08:00-24:00",
            "Sa-Th 10:00-22:00; Fr off",
            "24/7",
        ),
        ("refuge", "phone", "charging", "first_aid", "food"),
    ),
    "cafe": (
        30,
        ("Café", "Ahwa", "Restaurant", "Juice bar", "Koshary"),
        ("Mo-Su 18:00-02:00", "Mo-Su 08:00-24:00", "Mo-Su 12:00-01:00", "24/7"),
        ("refuge", "phone", "charging", "food"),
    ),
    "clinic": (
        8,
        ("Clinic", "Health Centre"),
        ("Su-Th 09:00-17:00; PH off", "Sa-Th 08:00-20:00; Fr off; PH off", "24/7"),
        ("medical", "first_aid", "counselling", "referral"),
    ),
    "legal_aid": (
        5,
        ("Legal Aid Office",),
        ("Su-Th 10:00-16:00; PH off", "Sa-Th 09:00-15:00; Fr,PH off"),
        ("legal", "referral", "counselling"),
    ),
    "drop_in": (
        6,
        ("Drop-in Centre", "Youth Space"),
        ("Sa-Th 10:00-20:00; Fr off", "Mo-Su 16:00-23:00"),
        ("refuge", "counselling", "food", "referral", "charging"),
    ),
    "school": (
        5,
        ("University Gate", "Campus Safe Room"),
        ("Sa-Th 08:00-18:00; Fr,PH off",),
        ("refuge", "phone", "counselling"),
    ),
    "religious": (
        4,
        ("Church Hall", "Mosque Community Room"),
        ("Mo-Su 07:00-21:00",),
        ("refuge", "food", "referral"),
    ),
    "embassy": (1, ("Consulate Desk",), ("Su-Th 09:00-14:00; PH off",), ("phone", "referral")),
    "police": (1, ("Women's Police Unit",), ("24/7",), ("refuge", "phone", "referral")),
}
NAME_WORDS = (
    "Al Amal", "El Nour", "Nile", "Horreya", "Salam", "Yasmine", "Lotus", "Zahra", "Misr",
    "Corniche", "Ward", "Sabah", "Layali", "Kawkab", "Nakhla",
)  # fmt: skip
GROUP_SETS: tuple[list[str], ...] = (
    [],
    [],
    ["women"],
    ["women", "children_youth"],
    ["children_youth"],
    ["lgbtqi", "sex_workers"],
    ["migrants_refugees"],
    ["defenders"],
    ["women", "migrants_refugees"],
)
LANGUAGE_SETS = (["ar"], ["ar", "en"], ["ar", "en", "fr"], ["ar", "am", "ti"], ["ar", "so", "en"])
STAFF_NAMES = ("Mona", "Youssef", "Nour", "Karim", "Salma", "Omar", "Hana", "Tarek", "Rania")
SUSPENSION_REASONS = (
    "A complaint that staff turned someone away: under review.",
    "The venue changed owners; the new owners have not pledged yet.",
)


class DemoVenues:
    """Draws the demo venues from one seeded generator, in a fixed order."""

    def __init__(self, seed: int, today: datetime.date) -> None:
        self.random = random.Random(seed)  # noqa: S311 (demo data, reproducible by design)
        self.today = today

    def point(self, district: District) -> tuple[float, float]:
        distance = abs(self.random.gauss(0.0, district.spread_metres))
        bearing = self.random.uniform(0.0, 2 * math.pi)
        north = distance * math.cos(bearing) / METRES_PER_DEGREE
        east = (
            distance
            * math.sin(bearing)
            / (METRES_PER_DEGREE * math.cos(math.radians(district.latitude)))
        )
        return round(district.latitude + north, 6), round(district.longitude + east, 6)

    def details(self, index: int, organisation: Organisation) -> VenueDetails:
        kinds = list(PROFILES)
        kind = self.random.choices(kinds, weights=[PROFILES[k][0] for k in kinds])[0]
        _share, words, hours, services = PROFILES[kind]
        district = self.random.choices(DISTRICTS, weights=[d.weight for d in DISTRICTS])[0]
        latitude, longitude = self.point(district)
        name = f"{self.random.choice(NAME_WORDS)} {self.random.choice(words)}, {district.name}"
        groups = self.random.choice(GROUP_SETS)
        return VenueDetails(
            organisation_id=str(organisation.pk),
            name=f"{name} #{index + 1}",
            kind=kind,
            latitude=latitude,
            longitude=longitude,
            address=f"{self.random.randint(1, 140)} {district.name} Street, Cairo",
            phone=f"+20 2 2{self.random.randint(1000000, 9999999)}",
            contact_phone=f"+20 10 {self.random.randint(10000000, 99999999)}",
            groups=groups,
            min_age=12 if "children_youth" in groups else None,
            max_age=24 if "children_youth" in groups else None,
            languages=self.random.choice(LANGUAGE_SETS),
            services=sorted(self.random.sample(services, k=min(len(services), 3))),
            wheelchair_accessible=self.random.random() < 0.3,
            opening_hours=self.random.choice(hours),
            heads_up=self.random.random() < 0.4,
        )

    def shelter(self, index: int, organisation: Organisation) -> VenueDetails:
        district = DISTRICTS[(index * 5 + 3) % len(DISTRICTS)]
        latitude, longitude = self.point(district)
        return VenueDetails(
            organisation_id=str(organisation.pk),
            name=f"Nadeem Shelter {index + 1}",
            kind="shelter",
            confidential=True,
            latitude=latitude,
            longitude=longitude,
            address=f"Confidential house {index + 1}, {district.name}, Cairo",
            contact_phone=f"+20 10 {self.random.randint(10000000, 99999999)}",
            groups=["women", "children_youth"],
            min_age=0,
            max_age=120,
            languages=["ar", "en"],
            services=["shelter", "counselling", "medical", "legal"],
            opening_hours="24/7",
        )

    def standing(self, venue: Venue) -> list[TrainedStaff]:
        """Status, pledge, visits and trained staff: mostly safe, a few needing attention."""
        draw = self.random.random()
        days = datetime.timedelta(days=1)
        venue.status = VenueStatus.ACTIVE
        venue.pledge_signed_on = self.today - self.random.randint(20, 330) * days
        venue.pledge_commitments = "Take in anyone in danger, call for help, never judge."
        venue.pledge_renewal_due = add_months(venue.pledge_signed_on, 12)
        venue.next_visit_due = self.today + self.random.randint(-20, 170) * days
        trained = 2 + (self.random.random() < 0.4)
        expiry = self.today + self.random.randint(60, 700) * days
        if draw < 0.05:
            venue.status = VenueStatus.SUSPENDED
            venue.suspension_reason = self.random.choice(SUSPENSION_REASONS)
        elif draw < 0.10:
            venue.status = VenueStatus.PENDING
            venue.pledge_signed_on = venue.pledge_renewal_due = None
            trained = self.random.randint(0, 1)
        elif draw < 0.16:  # renewal falls due this month, or has just passed
            venue.pledge_signed_on = self.today - self.random.randint(340, 380) * days
            venue.pledge_renewal_due = add_months(venue.pledge_signed_on, 12)
        elif draw < 0.20:  # training runs out within a month
            expiry = self.today + self.random.randint(1, 25) * days
        return [
            TrainedStaff(
                venue=venue,
                name=f"{self.random.choice(STAFF_NAMES)} ({n + 1})",
                trained_on=add_months(expiry, -24),
                expires_on=expiry,
            )
            for n in range(trained)
        ]


def demo_organisation(details: OrganisationDetails) -> Organisation:
    found = Organisation.objects.filter(name=details.name).first()
    return found or create_organisation("system", details)


def demo_venue(details: VenueDetails, key: str) -> Venue:
    return Venue(id=uuid.uuid5(DEMO_NAMESPACE, key), **venue_fields(details))


def load_demo_venues(
    *, count: int = DEMO_VENUE_COUNT, seed: int = DEMO_SEED, today: datetime.date | None = None
) -> int:
    """The demo network unless it is there already; returns how many venues were added."""
    first_id = uuid.uuid5(DEMO_NAMESPACE, "venue-0")
    if Venue.objects.filter(pk=first_id).exists():
        return 0
    demo = DemoVenues(seed, today or timezone.localdate())
    with transaction.atomic():
        network, shelters, services = map(demo_organisation, (NETWORK, SHELTERS, SERVICES))
        venues, staff = [], []
        for index in range(count - SHELTER_COUNT):
            details = demo.details(index, network)
            if details.kind in ("clinic", "legal_aid", "drop_in"):
                details = replace(details, organisation_id=str(services.pk))
            venues.append(demo_venue(details, f"venue-{index}"))
        for index in range(SHELTER_COUNT):
            venues.append(demo_venue(demo.shelter(index, shelters), f"shelter-{index}"))
        for venue in venues:
            staff.extend(demo.standing(venue))
        Venue.objects.bulk_create(venues)
        TrainedStaff.objects.bulk_create(staff)
        record_event("venue:load_demo", "system", "", {"venues": len(venues)})
    return len(venues)
