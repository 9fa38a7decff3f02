"""Who gets what (SECURITY.md 13): every URL and every API operation, as every kind of visitor.

Each URL name and each API operation must be declared below. A new one without a declaration
fails `test_every_url_has_a_declared_expectation`, so whoever adds a page decides who sees it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client

from safespaces.accounts import staff_session
from safespaces.accounts.actions import create_token
from safespaces.accounts.models import User
from safespaces.accounts.roles import Role
from safespaces.api.router import api
from tests.conftest import MakeStaff
from tests.url_walk import all_routes, paths_of

LOGIN = "/staff/login/"
MFA_ENROL = "/staff/mfa/enrol/"
MFA_VERIFY = "/staff/mfa/verify/"
STAFF_HOME = "/staff/"

# Visitors who are not (yet) fully signed-in staff, then one fully signed-in user per role.
ANONYMOUS = "anonymous"
NOT_ENROLLED = "staff without MFA enrolled"
NOT_VERIFIED = "staff who has not passed MFA"
NO_ROLE = "signed-in user without a role"
ACTORS = (ANONYMOUS, NOT_ENROLLED, NOT_VERIFIED, NO_ROLE, *[role.value for role in Role])
ALL_ROLES = frozenset(Role)

Outcome = tuple[int, str | None]  # status, and the path redirected to


@dataclass(frozen=True)
class Rule:
    """What each actor gets from a GET, and for POST-only URLs from a POST too."""

    get: Callable[[str], Outcome | set[int]]
    post: Callable[[str], Outcome | set[int]] | None = None


def public(actor: str) -> Outcome:
    return (200, None)


def health(actor: str) -> set[int]:
    return {200, 503}  # 503 while no worker has beaten: the same for everyone


def not_staff_yet(actor: str) -> Outcome | None:
    """Where the console sends someone who may not open a staff page yet."""
    return {
        ANONYMOUS: (302, LOGIN),
        NOT_ENROLLED: (302, MFA_ENROL),
        NOT_VERIFIED: (302, MFA_VERIFY),
        NO_ROLE: (403, None),
    }.get(actor)


def staff_page(roles: frozenset[Role] = ALL_ROLES) -> Rule:
    def get(actor: str) -> Outcome:
        early = not_staff_yet(actor)
        if early is not None:
            return early
        return (200, None) if Role(actor) in roles else (403, None)

    return Rule(get)


def staff_action(roles: frozenset[Role] = ALL_ROLES) -> Rule:
    """POST-only: a GET is refused as a method; a POST by a role outside `roles` is forbidden."""

    def get(actor: str) -> Outcome:
        return not_staff_yet(actor) or (405, None)

    def post(actor: str) -> Outcome | set[int]:
        early = not_staff_yet(actor)
        if early is not None:
            return early
        return {200, 302, 404} if Role(actor) in roles else (403, None)

    return Rule(get, post)


def api_operation(roles: frozenset[Role] = ALL_ROLES) -> Callable[[str], Outcome]:
    """Token-authenticated: no session matters, only a valid token of staff with MFA."""

    def outcome(actor: str) -> Outcome:
        if actor in (ANONYMOUS, NOT_ENROLLED, NO_ROLE):
            return (401, None)
        if actor == NOT_VERIFIED:  # the token was made in a verified session, earlier
            return (200, None) if Role.MODERATOR in roles else (403, None)
        return (200, None) if Role(actor) in roles else (403, None)

    return outcome


def login_page(actor: str) -> Outcome:
    return (200, None)


def logout_page(actor: str) -> Outcome:
    return (405, None)


def logout_post(actor: str) -> Outcome:
    return (302, LOGIN)


def second_factor_page(enrolment: bool) -> Callable[[str], Outcome]:
    """The MFA pages: open once the password passed, each for the right kind of user."""

    def outcome(actor: str) -> Outcome:
        if actor == ANONYMOUS:
            return (302, LOGIN)
        if actor == NO_ROLE:
            return (403, None)
        if enrolment:
            return (200, None) if actor == NOT_ENROLLED else (302, MFA_VERIFY)
        if actor == NOT_ENROLLED:
            return (302, MFA_ENROL)
        return (200, None) if actor == NOT_VERIFIED else (302, STAFF_HOME)

    return outcome


def after_second_factor_page(actor: str) -> Outcome:
    """Conduct and password pages: after MFA, before the rest of the console."""
    return not_staff_yet(actor) or (200, None)


COORDINATOR = frozenset({Role.COORDINATOR})
MESSAGE_READERS = frozenset({Role.COORDINATOR, Role.DUTY_OFFICER})
MODERATORS = frozenset({Role.COORDINATOR, Role.MODERATOR})
WATCHERS = frozenset({Role.COORDINATOR, Role.DUTY_OFFICER, Role.CASE_WORKER})


def staff_object_page(roles: frozenset[Role]) -> Rule:
    """A page about one object; the walk's made-up id names none, so those allowed get 404."""

    def get(actor: str) -> Outcome:
        early = not_staff_yet(actor)
        if early is not None:
            return early
        return (404, None) if Role(actor) in roles else (403, None)

    return Rule(get)


URL_RULES: dict[str, Rule] = {
    "healthz": Rule(health),
    "public:home": Rule(public),
    "public:safety": Rule(public),
    "public:report": Rule(public),  # an empty POST shows step one again, with its errors
    "api:openapi-json": Rule(public),
    "api:api-root": Rule(lambda actor: (404, None)),
    "api:me": Rule(api_operation()),
    "api:reports": Rule(public),
    "api:report_submit": Rule(public),  # its GET is the public list of the same path
    "api:report": Rule(lambda actor: (404, None)),  # no published report has this code
    "api:map_cells": Rule(lambda actor: (422, None)),  # bbox and zoom are required
    "api:map_places": Rule(lambda actor: (422, None)),
    "api:hsds_services": Rule(public),
    "api:hsds_service": Rule(lambda actor: (404, None)),  # no venue has the walk's id
    "api:hsds_organizations": Rule(public),
    "public:map": Rule(public),
    "public:map_tile": Rule(lambda actor: (404, None)),  # no tile server in tests
    "public:published_report": Rule(lambda actor: (404, None)),  # no report has this code
    "public:published_report_support": Rule(lambda actor: (405, None), lambda actor: (404, None)),
    "staff:login": Rule(login_page),
    "staff:logout": Rule(logout_page, logout_post),
    "staff:mfa_enrol": Rule(second_factor_page(enrolment=True)),
    "staff:mfa_verify": Rule(second_factor_page(enrolment=False)),
    "staff:conduct": Rule(after_second_factor_page),
    "staff:password_change": Rule(after_second_factor_page),
    "staff:language": staff_page(),
    "staff:home": staff_page(),
    "staff:tokens": staff_page(),
    "staff:token_revoke": staff_action(),
    "staff:users": staff_page(COORDINATOR),
    "staff:user_create": staff_page(COORDINATOR),
    "staff:user_edit": staff_page(COORDINATOR),
    "staff:user_active": staff_action(COORDINATOR),
    "staff:user_reset_mfa": staff_action(COORDINATOR),
    "staff:outbox": staff_page(MESSAGE_READERS),
    "staff:outbox_retry": staff_action(COORDINATOR),
    "staff:outbox_acknowledge": staff_action(MESSAGE_READERS),
    "staff:gateways": staff_page(MESSAGE_READERS),
    "staff:gateway_settings": staff_object_page(COORDINATOR),  # no gateway is named "example"
    "staff:conversations": staff_page(MESSAGE_READERS),
    "staff:conversation": staff_object_page(MESSAGE_READERS),
    "staff:conversation_reply": staff_action(MESSAGE_READERS),
    "staff:keywords": staff_page(COORDINATOR),
    "staff:audit": staff_page(COORDINATOR),
    "staff:reports": staff_page(MODERATORS),
    "staff:reports_bulk": staff_action(MODERATORS),
    "staff:report": staff_object_page(MODERATORS),
    "staff:report_verify": staff_action(MODERATORS),
    "staff:report_publish": staff_action(MODERATORS),
    "staff:report_reject": staff_action(MODERATORS),
    "staff:report_archive": staff_action(MODERATORS),
    "staff:report_withdraw_consent": staff_action(MODERATORS),
    "staff:report_categories": staff_action(MODERATORS),
    "staff:report_location": staff_action(MODERATORS),
    "staff:report_photo": staff_object_page(MODERATORS),
    "staff:report_recording": staff_object_page(MODERATORS),
    "staff:report_merge": staff_action(MODERATORS),
    "staff:report_release": staff_action(MODERATORS),
    "staff:report_break_lock": staff_action(COORDINATOR),
    "public:exports": Rule(public),
    # The walk downloads more often from one address than an hour's share: 429 may come first.
    "public:export_csv": Rule(public),
    "public:export_hxl": Rule(public),
    "public:export_geojson": Rule(public),
    "staff:exports": staff_page(MODERATORS),
    "staff:export_csv": staff_page(MODERATORS),
    "staff:export_hxl": staff_page(MODERATORS),
    "staff:export_geojson": staff_page(MODERATORS),
    "staff:export_job_start": staff_action(MODERATORS),
    "staff:export_job": staff_object_page(MODERATORS),  # no export has the walk's id
    "staff:export_job_download": staff_object_page(MODERATORS),
    "staff:export_job_delete": staff_action(MODERATORS),
    "staff:categories": staff_page(COORDINATOR),
    "staff:category_create": staff_page(COORDINATOR),
    "staff:category_edit": staff_object_page(COORDINATOR),
    "staff:category_load_preset": staff_action(COORDINATOR),
    "public:venue_feedback": Rule(lambda actor: (404, None)),  # no venue has the walk's id
    "public:venue_status": Rule(lambda actor: (404, None)),  # "example" is not a signed link
    "staff:venue_feedback": staff_page(MODERATORS),
    "staff:venue_flag_resolve": staff_action(MODERATORS),
    "staff:venue_edit_accept": staff_action(MODERATORS),
    "staff:venue_edit_reject": staff_action(MODERATORS),
    "staff:venue_status_link": staff_action(COORDINATOR),
    "public:safe_spaces": Rule(public),
    "public:safe_space": Rule(lambda actor: (404, None)),  # no venue has this id
    "public:verify": Rule(lambda actor: (404, None)),  # no sign has this token
    "api:places_map": Rule(lambda actor: (422, None)),  # bbox is required
    "api:places_nearest": Rule(lambda actor: (422, None)),  # lat and lon are required
    # A protected person's app: only the person's panic token opens these, no staff token.
    "api:safety_panic": Rule(lambda actor: (405, None), lambda actor: (401, None)),
    "api:safety_location": Rule(lambda actor: (405, None), lambda actor: (401, None)),
    "api:safety_checkin": Rule(lambda actor: (405, None), lambda actor: (401, None)),
    "api:safety_end": Rule(lambda actor: (405, None), lambda actor: (401, None)),
    "staff:gazetteer": staff_page(COORDINATOR),
    "staff:venue_sign": staff_object_page(COORDINATOR),
    "staff:venues": staff_page(COORDINATOR),
    "staff:venue": staff_object_page(COORDINATOR),
    "staff:venue_create": staff_page(COORDINATOR),
    "staff:venue_edit": staff_object_page(COORDINATOR),
    "staff:venue_activate": staff_action(COORDINATOR),
    "staff:venue_suspend": staff_action(COORDINATOR),
    "staff:venue_reinstate": staff_action(COORDINATOR),
    "staff:venue_close": staff_action(COORDINATOR),
    "staff:venue_new_sign": staff_action(COORDINATOR),
    "staff:venue_pledge": staff_action(COORDINATOR),
    "staff:venue_add_staff": staff_action(COORDINATOR),
    "staff:venue_remove_staff": staff_action(COORDINATOR),
    "staff:venue_visit": staff_action(COORDINATOR),
    "staff:organisations": staff_page(COORDINATOR),
    "staff:organisation_create": staff_page(COORDINATOR),
    "staff:organisation_edit": staff_object_page(COORDINATOR),
    # Safety: "example" is no signed link, and no alert, person or network has the walk's id.
    "public:panic": Rule(lambda actor: (404, None), lambda actor: (404, None)),
    "public:alert_page": Rule(lambda actor: (404, None), lambda actor: (404, None)),
    "public:consent": Rule(lambda actor: (404, None), lambda actor: (404, None)),
    "staff:duty": staff_page(WATCHERS),
    "staff:duty_alert": staff_object_page(WATCHERS),
    "staff:duty_alert_claim": staff_action(WATCHERS),
    "staff:duty_alert_acknowledge": staff_action(WATCHERS),
    "staff:duty_alert_note": staff_action(WATCHERS),
    "staff:duty_alert_call": staff_action(WATCHERS),
    "staff:duty_alert_network": staff_action(WATCHERS),
    "staff:duty_alert_resolve": staff_action(WATCHERS),
    "staff:duty_roster": staff_page(COORDINATOR),
    "staff:duty_roster_remove": staff_action(COORDINATOR),
    "staff:safety_people": staff_page(COORDINATOR),
    "staff:safety_person_create": staff_page(COORDINATOR),
    "staff:safety_person": staff_object_page(COORDINATOR),
    "staff:safety_person_edit": staff_object_page(COORDINATOR),
    "staff:safety_contact_add": staff_action(COORDINATOR),
    "staff:safety_contact_remove": staff_action(COORDINATOR),
    "staff:safety_contact_ask": staff_action(COORDINATOR),
    "staff:safety_plan_create": staff_action(COORDINATOR),
    "staff:safety_plan_pause": staff_action(COORDINATOR),
    "staff:safety_plan_resume": staff_action(COORDINATOR),
    "staff:safety_plan_end": staff_action(COORDINATOR),
    "staff:safety_panic_link": staff_action(COORDINATOR),
    "staff:safety_panic_link_revoke": staff_action(COORDINATOR),
    "staff:safety_ladders": staff_page(COORDINATOR),
    "staff:safety_networks": staff_page(COORDINATOR),
    "staff:safety_network": staff_object_page(COORDINATOR),
    "staff:safety_network_member_add": staff_action(COORDINATOR),
    "staff:safety_network_member_remove": staff_action(COORDINATOR),
    "staff:safety_network_instructions": staff_action(COORDINATOR),
    "staff:safety_memberships": staff_page(COORDINATOR),
    "staff:safety_membership_remove": staff_action(COORDINATOR),
}

# Provider callbacks: an unverified caller (no signature, secret or token) is refused, by
# every method the hook accepts (405 for a method it does not), whoever is signed in.
HOOK_RULE = Rule(lambda actor: {403, 405}, lambda actor: {403, 405})


def rule_for(name: str) -> Rule | None:
    if name in URL_RULES:
        return URL_RULES[name]
    return HOOK_RULE if name.startswith("hooks:") else None


# Every operation of the OpenAPI schema, as "METHOD /path".
API_RULES: dict[str, Callable[[str], Outcome]] = {
    "GET /api/v1/hsds/services": lambda actor: (200, None),
    "GET /api/v1/hsds/services/{service_id}": lambda actor: (404, None),
    "GET /api/v1/hsds/organizations": lambda actor: (200, None),
    "GET /api/v1/me": api_operation(),
    # Open to everyone; the empty body the walk sends is refused, for everyone alike.
    "POST /api/v1/reports": lambda actor: (422, None),
    "GET /api/v1/reports": lambda actor: (200, None),
    "GET /api/v1/reports/{public_id}": lambda actor: (404, None),
    "GET /api/v1/map/cells": lambda actor: (422, None),
    "GET /api/v1/map/places": lambda actor: (422, None),
    "GET /api/v1/places/map": lambda actor: (422, None),
    "GET /api/v1/places/nearest": lambda actor: (422, None),
    # Staff tokens are no panic tokens: everyone alike gets 401.
    "POST /api/v1/safety/panic": lambda actor: (401, None),
    "POST /api/v1/safety/location": lambda actor: (401, None),
    "POST /api/v1/safety/checkin": lambda actor: (401, None),
    "POST /api/v1/safety/end": lambda actor: (401, None),
}


@dataclass
class World:
    """The visitors, and objects whose ids fill path parameters."""

    clients: dict[str, Client]
    tokens: dict[str, dict[str, str]]
    values: dict[str, dict[str, Any]]


@pytest.fixture
def world(make_staff: MakeStaff, staff_client: Callable[[User], Client], settings: Any) -> World:
    # Every visitor downloads from the same address; the walk is not about the hourly limit.
    settings.SAFESPACES_PUBLIC_EXPORTS_PER_HOUR = 1_000_000
    clients: dict[str, Client] = {ANONYMOUS: Client()}
    tokens: dict[str, dict[str, str]] = {ANONYMOUS: {}}
    not_enrolled = make_staff(Role.MODERATOR, mfa=False)
    not_verified = make_staff(Role.MODERATOR)
    no_role = make_staff(None)
    for actor, user in (
        (NOT_ENROLLED, not_enrolled),
        (NOT_VERIFIED, not_verified),
        (NO_ROLE, no_role),
    ):
        clients[actor] = password_only_client(user)
        tokens[actor] = bearer(user)
    for role in Role:
        user = make_staff(role)
        clients[role.value] = staff_client(user)
        tokens[role.value] = bearer(user)
    # A user to look at, and a token that is nobody's among the visitors.
    subject = make_staff(Role.CASE_WORKER, username="subject")
    token, _raw = create_token(subject, "someone else's")
    values = {
        "staff:user_edit": {"pk": subject.pk},
        "staff:user_active": {"pk": subject.pk},
        "staff:user_reset_mfa": {"pk": subject.pk},
        "staff:token_revoke": {"pk": token.pk},
    }
    return World(clients, tokens, values)


def password_only_client(user: User) -> Client:
    """Signed in with the password a moment ago; the second factor has not passed."""
    client = Client()
    client.force_login(user)
    session = client.session
    now = time.time()
    session[staff_session.LOGIN_AT] = now
    session[staff_session.SEEN_AT] = now
    session[staff_session.MFA_VERIFIED] = False
    session.save()
    return client


def bearer(user: User) -> dict[str, str]:
    _token, raw = create_token(user, "url access")
    return {"authorization": f"Bearer {raw}"}


def outcome_of(response: Any) -> Outcome:
    location = response.headers.get("Location")
    return (response.status_code, urlsplit(location).path if location else None)


def matches(actual: Outcome, expected: Outcome | set[int]) -> bool:
    if isinstance(expected, set):
        return actual[0] in expected
    return actual == expected


def test_every_url_has_a_declared_expectation() -> None:
    names = {route.name for route in all_routes()}
    undeclared = {name for name in names if rule_for(name) is None}
    assert undeclared == set(), "declare who may open these URLs in URL_RULES"
    assert set(URL_RULES) - names == set(), "these URL_RULES name no URL any more"


def test_every_api_operation_has_a_declared_expectation() -> None:
    schema = api.get_openapi_schema()
    operations = {
        f"{method.upper()} {path}"
        for path, methods in schema["paths"].items()
        for method in methods
    }
    assert operations == set(API_RULES)


ROUTE_NAMES = sorted(
    set(URL_RULES) | {route.name for route in all_routes() if route.name.startswith("hooks:")}
)


@pytest.mark.parametrize("name", ROUTE_NAMES)
def test_each_visitor_gets_what_is_declared_for_the_url(name: str, world: World) -> None:
    route = next((route for route in all_routes() if route.name == name), None)
    assert route is not None, f"{name} is declared but not in the URLconf"
    rule = rule_for(name)
    assert rule is not None
    wrong = []
    for path in paths_of(route, world.values):
        for actor in ACTORS:
            headers = world.tokens[actor] if name.startswith("api:") else {}
            for method, expect in (("GET", rule.get), ("POST", rule.post)):
                if expect is None:
                    continue
                client = world.clients[actor]
                response = client.generic(method, path, headers=headers)
                actual, expected = outcome_of(response), expect(actor)
                if not matches(actual, expected):
                    wrong.append(f"{method} {path} as {actor}: got {actual}, expected {expected}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("operation", sorted(API_RULES))
def test_each_visitor_gets_what_is_declared_for_the_api_operation(
    operation: str, world: World
) -> None:
    method, path = operation.split(" ", 1)
    wrong = []
    for actor in ACTORS:
        response = Client().generic(
            method, path, b"{}", content_type="application/json", headers=world.tokens[actor]
        )
        actual, expected = outcome_of(response), API_RULES[operation](actor)
        if not matches(actual, expected):
            wrong.append(f"{operation} as {actor}: got {actual}, expected {expected}")
    assert not wrong, "\n".join(wrong)
