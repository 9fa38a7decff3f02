"""SafeSpaces' own URLs plus `/bench/bare/`: a Django view that inserts one row, no more."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import URLPattern, URLResolver, path
from django.views.decorators.csrf import csrf_exempt

from safespaces.reports.models import Report
from safespaces.urls import urlpatterns as safespaces_urlpatterns

BARE_TABLE = "bench_bare_row"


def create_bare_table() -> None:
    # SQLite numbers an INTEGER PRIMARY KEY itself; PostgreSQL needs a serial column.
    key = "BIGSERIAL" if connection.vendor == "postgresql" else "INTEGER"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {BARE_TABLE} (id {key} PRIMARY KEY, body TEXT)")


@csrf_exempt
def bare_insert(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {BARE_TABLE} (body) VALUES (%s)", [request.body.decode()])  # noqa: S608
    return JsonResponse({"status": "ok"}, status=201)


def all_points_geojson(request: HttpRequest) -> JsonResponse:
    """The comparison for the map: every published point in the box, as GeoJSON (Ushahidi's way)."""
    west, south, east, north = (float(part) for part in request.GET["bbox"].split(","))
    rows = Report.objects.filter(
        status=Report.Status.PUBLISHED,
        consent_public=True,
        public_latitude__range=(south, north),
        public_longitude__range=(west, east),
    ).values_list("public_id", "public_latitude", "public_longitude")
    features = [
        {
            "type": "Feature",
            "id": public_id,
            "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
            "properties": {},
        }
        for public_id, latitude, longitude in rows.iterator(chunk_size=5000)
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features})


urlpatterns: list[URLPattern | URLResolver] = [
    path("bench/bare/", bare_insert),
    path("bench/all-points/", all_points_geojson),
    *safespaces_urlpatterns,
]
