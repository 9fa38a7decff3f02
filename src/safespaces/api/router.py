"""The JSON API at /api/v1/."""

from __future__ import annotations

from ninja import NinjaAPI

from safespaces.api import hsds, map, me, places, places_map, reports, safety
from safespaces.api.auth import StaffToken
from safespaces.api.errors import install_error_handlers
from safespaces.api.throttle import CallerRateThrottle

# The interactive docs page loads scripts from a CDN, which our CSP forbids: schema only.
api = NinjaAPI(
    title="SafeSpaces API",
    version="1",
    urls_namespace="api",
    docs_url=None,
    auth=StaffToken(),
    throttle=[CallerRateThrottle()],
)
install_error_handlers(api)
api.add_router("", me.router)
api.add_router("", reports.router)
api.add_router("", map.router)
api.add_router("", places_map.router)
api.add_router("", hsds.router)
api.add_router("", places.router)
api.add_router("", safety.router)
