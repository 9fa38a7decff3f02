"""The demo's reports: a year of street-harassment reports in Cairo, and its named places.

Reports gather at real hotspots (Tahrir, Ramses, downtown, Attaba, metro exits, the Zamalek
bridges, the Nasr City malls), peak in the evening and at the weekend (Friday and Saturday in
Egypt), and spread over every status. They are written in bulk for speed, but each published
one gets exactly what `publish_report` gives it: a point displaced once with the deployment's
epsilon, and its public cells. The same seed always gives the same reports.
"""

from __future__ import annotations

import datetime
import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar
from zoneinfo import ZoneInfo

import h3
from django.db import transaction
from django.utils import timezone

from safespaces.audit.actions import record_event
from safespaces.geo.cells import CITY_RESOLUTION
from safespaces.geo.gazetteer.actions import PlaceRecord, import_places
from safespaces.geo.models import City, NamedPlace
from safespaces.geo.privacy import destination, displace, epsilon_per_metre, public_cells
from safespaces.outbox.maintenance import refresh_planner_statistics
from safespaces.reports import map_cells
from safespaces.reports.actions import load_preset, locate
from safespaces.reports.models import PUBLIC_ID_ALPHABET, PUBLIC_ID_LENGTH, Category, Report

DEMO_SEED = 20260301
DEMO_REPORT_COUNT = 5000
DAYS = 365
PLACE_SOURCE = NamedPlace.Source.CSV
PLACE_ID_PREFIX = "safespaces-demo-cairo-"
# Res-7 rings around the city centre that count as "the demo city": about 17 km.
CITY_RING = 8
# A share of reports falls anywhere within this distance of the centre, not at a hotspot.
BACKGROUND_SHARE = 0.12
BACKGROUND_RADIUS_METRES = 9000.0
BATCH = 500

Choice = TypeVar("Choice")
Kind = NamedPlace.Kind
Status = Report.Status


@dataclass(frozen=True)
class DemoPlace:
    key: str
    name: str
    arabic_name: str
    kind: str
    latitude: float
    longitude: float
    # How many reports gather here, relative to the others; 0 for a place with no hotspot.
    weight: float = 0.0
    spread_metres: float = 250.0


PLACES = (
    DemoPlace("tahrir", "Tahrir Square", "ميدان التحرير", Kind.SQUARE, 30.0444, 31.2357, 14),
    DemoPlace("ramses", "Ramses Station", "محطة رمسيس", Kind.LANDMARK, 30.0626, 31.2467, 11),
    DemoPlace("ramses_sq", "Ramses Square", "ميدان رمسيس", Kind.SQUARE, 30.0620, 31.2466, 5),
    DemoPlace(
        "talaat_harb", "Talaat Harb Square", "ميدان طلعت حرب", Kind.SQUARE, 30.0489, 31.2394, 10
    ),
    DemoPlace(
        "talaat_harb_st", "Talaat Harb Street", "شارع طلعت حرب", Kind.STREET, 30.0476, 31.2384, 7
    ),
    DemoPlace("attaba", "Attaba Square", "ميدان العتبة", Kind.SQUARE, 30.0522, 31.2468, 10),
    DemoPlace("opera_sq", "Opera Square", "ميدان الأوبرا", Kind.SQUARE, 30.0506, 31.2466, 3),
    DemoPlace(
        "emad_el_din", "Emad El Din Street", "شارع عماد الدين", Kind.STREET, 30.0513, 31.2433, 4
    ),
    DemoPlace("orabi", "Orabi Square", "ميدان عرابي", Kind.SQUARE, 30.0565, 31.2425, 2),
    DemoPlace(
        "qasr_el_nil", "Qasr El Nil Bridge", "كوبري قصر النيل", Kind.LANDMARK, 30.0436, 31.2297, 8
    ),
    DemoPlace(
        "october_bridge",
        "6th of October Bridge",
        "كوبري 6 أكتوبر",
        Kind.LANDMARK,
        30.0554,
        31.2258,
        5,
    ),
    DemoPlace(
        "may_15_bridge", "15th of May Bridge", "كوبري 15 مايو", Kind.LANDMARK, 30.0587, 31.2240, 5
    ),
    DemoPlace(
        "zamalek_26_july",
        "26th of July Street, Zamalek",
        "شارع 26 يوليو بالزمالك",
        Kind.STREET,
        30.0606,
        31.2196,
        3,
    ),
    DemoPlace("cairo_tower", "Cairo Tower", "برج القاهرة", Kind.LANDMARK, 30.0459, 31.2243, 2),
    DemoPlace(
        "city_stars", "City Stars Mall", "سيتي ستارز", Kind.LANDMARK, 30.0731, 31.3456, 7, 350
    ),
    DemoPlace("genena_mall", "Genena Mall", "جنينة مول", Kind.LANDMARK, 30.0588, 31.3359, 4, 300),
    DemoPlace(
        "abbas_el_akkad",
        "Abbas El Akkad Street",
        "شارع عباس العقاد",
        Kind.STREET,
        30.0606,
        31.3402,
        4,
        400,
    ),
    DemoPlace(
        "khan_el_khalili", "Khan el-Khalili", "خان الخليلي", Kind.LANDMARK, 30.0477, 31.2623, 4
    ),
    DemoPlace("al_azhar", "Al-Azhar Mosque", "الجامع الأزهر", Kind.LANDMARK, 30.0457, 31.2627, 1),
    DemoPlace(
        "sayeda_zeinab",
        "Sayeda Zeinab Square",
        "ميدان السيدة زينب",
        Kind.SQUARE,
        30.0297,
        31.2365,
        3,
    ),
    DemoPlace("abbassia", "Abbassia Square", "ميدان العباسية", Kind.SQUARE, 30.0722, 31.2832, 3),
    DemoPlace("giza_sq", "Giza Square", "ميدان الجيزة", Kind.SQUARE, 30.0131, 31.2089, 4),
    DemoPlace(
        "cairo_university",
        "Cairo University",
        "جامعة القاهرة",
        Kind.LANDMARK,
        30.0262,
        31.2100,
        3,
        400,
    ),
    DemoPlace("roxy", "Roxy Square", "ميدان روكسي", Kind.SQUARE, 30.0910, 31.3157, 2),
    DemoPlace(
        "korba", "Korba, Heliopolis", "الكوربة", Kind.NEIGHBOURHOOD, 30.0903, 31.3223, 2, 400
    ),
    DemoPlace(
        "mohandessin",
        "Gameat El Dewal Street",
        "شارع جامعة الدول العربية",
        Kind.STREET,
        30.0566,
        31.2023,
        4,
        500,
    ),
    DemoPlace("maadi", "Road 9, Maadi", "شارع 9 بالمعادي", Kind.STREET, 29.9602, 31.2569, 2, 300),
    DemoPlace(
        "egyptian_museum", "Egyptian Museum", "المتحف المصري", Kind.LANDMARK, 30.0478, 31.2336
    ),
    DemoPlace(
        "sadat_metro",
        "Sadat metro station",
        "محطة مترو السادات",
        Kind.METRO_STATION,
        30.0443,
        31.2357,
        6,
        120,
    ),
    DemoPlace(
        "nasser_metro",
        "Gamal Abdel Nasser metro station",
        "محطة مترو جمال عبد الناصر",
        Kind.METRO_STATION,
        30.0536,
        31.2386,
        3,
        120,
    ),
    DemoPlace(
        "shohadaa_metro",
        "Al Shohadaa metro station",
        "محطة مترو الشهداء",
        Kind.METRO_STATION,
        30.0616,
        31.2461,
        6,
        120,
    ),
    DemoPlace(
        "attaba_metro",
        "Attaba metro station",
        "محطة مترو العتبة",
        Kind.METRO_STATION,
        30.0525,
        31.2470,
        4,
        120,
    ),
    DemoPlace(
        "naguib_metro",
        "Mohamed Naguib metro station",
        "محطة مترو محمد نجيب",
        Kind.METRO_STATION,
        30.0452,
        31.2440,
        2,
        120,
    ),
    DemoPlace(
        "opera_metro",
        "Opera metro station",
        "محطة مترو الأوبرا",
        Kind.METRO_STATION,
        30.0425,
        31.2241,
        2,
        120,
    ),
    DemoPlace(
        "dokki_metro",
        "Dokki metro station",
        "محطة مترو الدقي",
        Kind.METRO_STATION,
        30.0384,
        31.2120,
        2,
        120,
    ),
    DemoPlace(
        "giza_metro",
        "Giza metro station",
        "محطة مترو الجيزة",
        Kind.METRO_STATION,
        30.0106,
        31.2075,
        2,
        120,
    ),
    DemoPlace(
        "abbassia_metro",
        "Abbassia metro station",
        "محطة مترو العباسية",
        Kind.METRO_STATION,
        30.0698,
        31.2807,
        2,
        120,
    ),
    DemoPlace(
        "stadium_metro",
        "Cairo Stadium metro station",
        "محطة مترو الاستاد",
        Kind.METRO_STATION,
        30.0729,
        31.3175,
        2,
        120,
    ),
    DemoPlace(
        "helwan_metro",
        "Helwan metro station",
        "محطة مترو حلوان",
        Kind.METRO_STATION,
        29.8491,
        31.3342,
        1,
        150,
    ),
    DemoPlace(
        "maadi_metro",
        "Maadi metro station",
        "محطة مترو المعادي",
        Kind.METRO_STATION,
        29.9603,
        31.2577,
        1,
        120,
    ),
    DemoPlace("downtown", "Downtown Cairo", "وسط البلد", Kind.DISTRICT, 30.0480, 31.2420),
    DemoPlace("zamalek", "Zamalek", "الزمالك", Kind.NEIGHBOURHOOD, 30.0626, 31.2197),
    DemoPlace("nasr_city", "Nasr City", "مدينة نصر", Kind.DISTRICT, 30.0561, 31.3301),
)

# Relative frequency of each street-harassment category; a key not named here counts as 1.
CATEGORY_WEIGHTS = {
    "catcalls": 30,
    "comments": 22,
    "ogling": 16,
    "touching": 12,
    "stalking": 10,
    "unwanted_attention": 8,
    "facial_expressions": 6,
    "sexual_invites": 5,
    "phone_calls": 3,
    "indecent_exposure": 3,
    "sexual_assault": 2,
    "rape": 0,
}
# Reports per hour of the day: quiet at night, busy on the way to work, most in the evening.
HOUR_WEIGHTS = (
    1, 1, 1, 1, 1, 1, 2, 4, 6, 5, 4, 4, 5, 6, 7, 8, 10, 12, 14, 14, 12, 9, 5, 2,
)  # fmt: skip
WEEKEND = (4, 5)  # Friday and Saturday
WEEKEND_WEIGHT = 1.7
STATUS_WEIGHTS = {
    Status.PUBLISHED: 72,
    Status.PENDING: 6,
    Status.VERIFIED: 6,
    Status.REJECTED: 8,
    Status.ARCHIVED: 8,
}
DESCRIPTIONS = {
    "en": (
        "A group of young men followed me and shouted comments.",
        "A man kept staring and whistling while I waited for the bus.",
        "Someone touched me in the crowd as I came out of the metro.",
        "A driver slowed down next to me and made obscene gestures.",
        "Two men blocked the pavement and would not let me pass.",
        "I saw a girl being followed across the square; nobody stopped them.",
        "A man on the bridge made sexual comments to every woman walking past.",
        "Boys on a motorbike grabbed at women near the station entrance.",
    ),
    "ar": (
        "مجموعة من الشباب تبعوني وقالوا تعليقات.",
        "رجل ظل يحدق ويصفر وأنا أنتظر الأتوبيس.",
        "شخص لمسني في الزحام وأنا خارجة من المترو.",
        "سائق هدأ السرعة بجانبي وقام بإشارات بذيئة.",
        "رجلان سدا الرصيف ولم يتركاني أمر.",
        "رأيت فتاة يتم ملاحقتها عبر الميدان ولم يوقفهم أحد.",
        "رجل على الكوبري كان يقول تعليقات جنسية لكل سيدة تمر.",
        "شباب على موتوسيكل تحرشوا بالسيدات عند مدخل المحطة.",
    ),
}
INTERVENTIONS = {
    "en": ("A shopkeeper told them to leave.", "Other passengers shouted at him."),
    "ar": ("صاحب محل طلب منهم أن يمشوا.", "الركاب الآخرون صرخوا فيه."),
}


def pick(rng: random.Random, weights: Mapping[Choice, float]) -> Choice:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def demo_city_cells(city: City) -> list[int]:
    centre = h3.latlng_to_cell(city.latitude, city.longitude, CITY_RESOLUTION)
    return [h3.str_to_int(cell) for cell in h3.grid_disk(centre, CITY_RING)]


def city_has_reports(city: City) -> bool:
    return Report.objects.filter(area_cell__in=demo_city_cells(city)).exists()


def place_records() -> list[PlaceRecord]:
    return [
        PlaceRecord(
            external_id=PLACE_ID_PREFIX + place.key,
            name=place.name,
            latitude=place.latitude,
            longitude=place.longitude,
            kind=place.kind,
            alternative_names=(place.arabic_name,),
        )
        for place in PLACES
    ]


class DemoReports:
    """Draws demo reports from one seeded generator: the same seed, the same reports."""

    def __init__(self, city: City, seed: int, today: datetime.date) -> None:
        # Reproducible on purpose: made-up demo data, never used for anything secret.
        self.rng = random.Random(seed)  # noqa: S311
        self.city = city
        self.zone = ZoneInfo(city.time_zone)
        self.today = today
        self.now = timezone.now()
        self.epsilon = epsilon_per_metre()
        self.hotspots = {place: place.weight for place in PLACES if place.weight > 0}
        self.used_ids: set[str] = set()

    def public_id(self) -> str:
        while True:
            candidate = "".join(self.rng.choices(PUBLIC_ID_ALPHABET, k=PUBLIC_ID_LENGTH))
            if candidate not in self.used_ids:
                self.used_ids.add(candidate)
                return candidate

    def where(self) -> tuple[float, float, DemoPlace | None]:
        """Near a hotspot (normally spread around it), or anywhere around the centre."""
        if self.rng.random() < BACKGROUND_SHARE:
            distance = BACKGROUND_RADIUS_METRES * math.sqrt(self.rng.random())
            latitude, longitude = destination(
                self.city.latitude, self.city.longitude, math.tau * self.rng.random(), distance
            )
            return latitude, longitude, None
        place = pick(self.rng, self.hotspots)
        distance = abs(self.rng.gauss(0.0, place.spread_metres))
        latitude, longitude = destination(
            place.latitude, place.longitude, math.tau * self.rng.random(), distance
        )
        return latitude, longitude, place

    def day(self) -> datetime.date:
        """A day of the past year before today, weekends more often than weekdays."""
        while True:
            day = self.today - datetime.timedelta(days=self.rng.randrange(1, DAYS + 1))
            weight = WEEKEND_WEIGHT if day.weekday() in WEEKEND else 1.0
            if self.rng.random() * WEEKEND_WEIGHT < weight:
                return day

    def times(self) -> tuple[datetime.time | None, datetime.time | None]:
        hour = self.rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
        start = datetime.time(hour, self.rng.choice((0, 10, 15, 20, 30, 40, 45, 50)))
        chance = self.rng.random()
        if chance < 0.2:
            return None, None
        if chance < 0.55 and hour < 23:
            end_hour = min(23, hour + self.rng.choice((1, 1, 2)))
            return start, datetime.time(end_hour, start.minute)
        return start, None

    def status(self, day: datetime.date, consent_public: bool) -> str:
        if (self.today - day).days < 10 and self.rng.random() < 0.6:
            return Status.PENDING
        status = pick(self.rng, STATUS_WEIGHTS)
        if status == Status.PUBLISHED and not consent_public:
            return Status.VERIFIED
        return status

    def moment(
        self, day: datetime.date, time: datetime.time | None, hours: float
    ) -> datetime.datetime:
        """A time some hours after the incident, never later than now."""
        start = datetime.datetime.combine(day, time or datetime.time(12), self.zone)
        return min(start + datetime.timedelta(hours=hours), self.now)

    def report(self, categories: dict[str, float]) -> tuple[Report, list[str]]:
        rng = self.rng
        language = "ar" if rng.random() < 0.7 else "en"
        latitude, longitude, place = self.where()
        day = self.day()
        time_from, time_to = self.times()
        consent_public = rng.random() < 0.85
        intervention = pick(rng, {"no": 55, "yes": 20, "unknown": 25})
        report = Report(
            public_id=self.public_id(),
            status=self.status(day, consent_public),
            description=rng.choice(DESCRIPTIONS[language]),
            occurred_on=day,
            occurred_on_estimated=rng.random() < 0.1,
            time_from=time_from,
            time_to=time_to,
            time_estimated=time_from is not None and rng.random() < 0.3,
            reporter_role=pick(rng, {"happened_to_me": 65, "witnessed": 28, "heard_of": 7}),
            age_range=pick(rng, {"under_18": 8, "18_24": 38, "25_34": 30, "35_44": 10, "": 14}),
            gender=pick(rng, {"woman": 86, "man": 4, "non_binary": 1, "": 9}),
            intervention=intervention,
            intervention_how=rng.choice(INTERVENTIONS[language]) if intervention == "yes" else "",
            place_text=(place.arabic_name if language == "ar" else place.name) if place else "",
            precision=pick(rng, {"exact": 30, "street": 40, "area": 30}),
            channel=pick(
                rng, {"web": 50, "sms": 18, "whatsapp": 18, "voice": 6, "api": 4, "staff": 4}
            ),
            language=language,
            consent_public=consent_public,
            consent_partners=rng.random() < 0.5,
            support_count=0,
        )
        locate(report, latitude, longitude)
        report.created_at = self.moment(day, time_from, rng.uniform(0.2, 30))
        if report.status == Status.REJECTED:
            report.rejection_reason = "Not an incident of harassment."
        was_published = report.status == Status.PUBLISHED or (
            report.status == Status.ARCHIVED and consent_public and rng.random() < 0.5
        )
        if was_published:
            self.publish(report, latitude, longitude)
        count = 1 if rng.random() < 0.75 else 2
        keys = list(
            dict.fromkeys(rng.choices(list(categories), list(categories.values()), k=count))
        )
        return report, keys

    def publish(self, report: Report, latitude: float, longitude: float) -> None:
        """What publish_report stores: one displaced point, its cells, and when."""
        public_latitude, public_longitude = displace(latitude, longitude, self.epsilon, self.rng)
        report.public_latitude, report.public_longitude = public_latitude, public_longitude
        report.set_public_cells(public_cells(public_latitude, public_longitude))
        report.published_at = max(
            self.moment(report.occurred_on, report.time_from, self.rng.uniform(24, 120)),
            report.created_at,
        )
        if report.status == Status.PUBLISHED:
            report.support_count = min(40, int(self.rng.expovariate(0.4)))


def category_weights(categories: Sequence[Category]) -> dict[str, float]:
    weights = {
        category.key: float(CATEGORY_WEIGHTS.get(category.key, 1)) for category in categories
    }
    return {key: weight for key, weight in weights.items() if weight > 0}


@transaction.atomic
def load_demo_reports(
    city: City,
    *,
    count: int = DEMO_REPORT_COUNT,
    seed: int = DEMO_SEED,
    today: datetime.date | None = None,
) -> int:
    """Cairo's named places, then `count` reports unless the city has reports already.

    Returns how many reports were added: 0 when the demo city had some.
    """
    import_places(place_records(), PLACE_SOURCE, city=city)
    if city_has_reports(city):
        return 0
    categories = category_weights(load_preset("street_harassment"))
    ids = dict(Category.objects.filter(key__in=categories).values_list("key", "pk"))
    demo = DemoReports(city, seed, today or timezone.localdate(timezone=ZoneInfo(city.time_zone)))
    drawn = [demo.report(categories) for _ in range(count)]
    reports = [report for report, _keys in drawn]
    # bulk_create stamps created_at with now (auto_now_add): the drawn times are kept first.
    received = [report.created_at for report in reports]
    Report.objects.bulk_create(reports, batch_size=BATCH)
    for report, created_at in zip(reports, received, strict=True):
        report.created_at = created_at
    Report.objects.bulk_update(reports, ["created_at"], batch_size=BATCH)
    Link = Report.categories.through
    Link.objects.bulk_create(
        (Link(report_id=report.pk, category_id=ids[key]) for report, keys in drawn for key in keys),
        batch_size=BATCH,
    )
    map_cells.rebuild()  # bulk inserts bypass the actions that keep the map's counts
    refresh_planner_statistics()
    record_event("report:demo_load", "system", city.name, {"count": count, "seed": seed})
    return count
