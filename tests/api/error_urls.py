"""A small API built with the real error handlers, for failures our routes cannot yet cause."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, path
from ninja import NinjaAPI, Schema
from ninja.errors import AuthorizationError

from safespaces.api.errors import ApiError, install_error_handlers
from safespaces.urls import urlpatterns as project_urlpatterns

probe = NinjaAPI(title="Error probe", version="test", urls_namespace="probe", docs_url=None)
install_error_handlers(probe)


class Greeting(Schema):
    name: str
    times: int


@probe.post("/echo")
def echo(request: HttpRequest, greeting: Greeting) -> dict[str, object]:
    return {"name": greeting.name, "times": greeting.times}


@probe.get("/forbidden")
def forbidden(request: HttpRequest) -> None:
    raise AuthorizationError()


@probe.get("/conflict")
def conflict(request: HttpRequest) -> None:
    raise ApiError(409, "already_done", "This was already done.", {"id": 7})


@probe.get("/crash")
def crash(request: HttpRequest) -> None:
    raise RuntimeError("a bug")


urlpatterns: list[URLPattern | URLResolver] = [
    path("api/probe/", probe.urls),
    *project_urlpatterns,
]
