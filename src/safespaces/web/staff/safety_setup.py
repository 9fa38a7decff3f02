"""Setting up what alerts run on: escalation ladders, support networks, the duty roster, and
which staff work for which organisation.

Ladders and networks need safety.manage_person, the roster safety.manage_roster, each for the
organisations the user is a member of; memberships need accounts.manage_users, since that is
where a coordinator gives a new colleague their first organisation.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from safespaces.accounts.models import User
from safespaces.accounts.roles import Role
from safespaces.places.models import Organisation
from safespaces.safety import actions
from safespaces.safety.access import MANAGE, ROSTER, organisations_with
from safespaces.safety.models import (
    DutyShift,
    EscalationLadder,
    NetworkMember,
    Situation,
    StaffMembership,
    SupportNetwork,
)
from safespaces.web.staff.account import signed_in_staff
from safespaces.web.staff.safety_forms import (
    InstructionsForm,
    LadderForm,
    MemberForm,
    MembershipForm,
    NetworkForm,
    ShiftForm,
)

MANAGE_USERS = "accounts.manage_users"


def networks_of(organisations: QuerySet[Organisation]) -> QuerySet[SupportNetwork]:
    return SupportNetwork.objects.filter(organisation__in=organisations)


@never_cache
@permission_required(MANAGE, raise_exception=True)
def ladders(request: HttpRequest) -> HttpResponse:
    organisations = organisations_with(request.user, MANAGE)
    form = LadderForm(organisations, networks_of(organisations), request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.create_ladder(
                form.cleaned_data["organisation"],
                name=form.cleaned_data["name"],
                steps=form.steps(),
                repeat_minutes=form.cleaned_data["repeat_minutes"],
                actor=signed_in_staff(request),
            )
        except actions.SafetyInvalid as error:
            form.refused(error)
        else:
            messages.success(request, _("The ladder is saved."))
            return redirect("staff:safety_ladders")
    listed = (
        EscalationLadder.objects.filter(organisation__in=organisations)
        .select_related("organisation")
        .prefetch_related("steps__network")
    )
    context = {"ladders": listed, "form": form}
    return render(request, "staff/safety/ladders.html", context, status=400 if form.errors else 200)


@never_cache
@permission_required(MANAGE, raise_exception=True)
def networks(request: HttpRequest) -> HttpResponse:
    organisations = organisations_with(request.user, MANAGE)
    form = NetworkForm(organisations, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            network = actions.create_network(
                data["organisation"],
                name=data["name"],
                template=data["template"],
                description=data["description"],
                actor=signed_in_staff(request),
            )
        except actions.SafetyInvalid as error:
            form.refused(error)
        else:
            messages.success(request, _("The network is saved. Now add its members."))
            return redirect("staff:safety_network", pk=network.pk)
    listed = networks_of(organisations).select_related("organisation")
    context = {"networks": listed, "form": form}
    return render(
        request, "staff/safety/networks.html", context, status=400 if form.errors else 200
    )


def managed_network(request: HttpRequest, pk: int) -> SupportNetwork:
    return get_object_or_404(networks_of(organisations_with(request.user, MANAGE)), pk=pk)


def network_page(
    request: HttpRequest,
    network: SupportNetwork,
    member_form: MemberForm | None = None,
    instructions_form: InstructionsForm | None = None,
) -> HttpResponse:
    given = {item.situation: item.text for item in network.instructions.all()}
    context = {
        "network": network,
        "members": list(network.members.all()),
        "member_form": member_form or MemberForm(),
        "instructions_form": instructions_form or InstructionsForm(initial=given),
    }
    failed = (member_form and member_form.errors) or (
        instructions_form and instructions_form.errors
    )
    return render(request, "staff/safety/network.html", context, status=400 if failed else 200)


@never_cache
@permission_required(MANAGE, raise_exception=True)
def network_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return network_page(request, managed_network(request, pk))


@never_cache
@require_POST
@permission_required(MANAGE, raise_exception=True)
def network_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    network = managed_network(request, pk)
    form = MemberForm(request.POST)
    if form.is_valid():
        try:
            actions.add_network_member(network, actor=signed_in_staff(request), **form.cleaned_data)
        except actions.SafetyInvalid as error:
            form.refused(error)
        else:
            messages.success(request, _("The member is added."))
            return redirect("staff:safety_network", pk=network.pk)
    return network_page(request, network, member_form=form)


@never_cache
@require_POST
@permission_required(MANAGE, raise_exception=True)
def network_member_remove(request: HttpRequest, pk: int, member_pk: uuid.UUID) -> HttpResponse:
    network = managed_network(request, pk)
    member = get_object_or_404(NetworkMember, pk=member_pk, network=network)
    actions.remove_network_member(member, actor=signed_in_staff(request))
    messages.success(request, _("The member is removed."))
    return redirect("staff:safety_network", pk=network.pk)


@never_cache
@require_POST
@permission_required(MANAGE, raise_exception=True)
def network_instructions(request: HttpRequest, pk: int) -> HttpResponse:
    network = managed_network(request, pk)
    form = InstructionsForm(request.POST)
    if not form.is_valid():
        return network_page(request, network, instructions_form=form)
    given = {item.situation: item.text for item in network.instructions.all()}
    actor = signed_in_staff(request)
    for situation in Situation.values:
        if form.cleaned_data[situation] != given.get(situation, ""):
            actions.set_instruction(network, situation, form.cleaned_data[situation], actor=actor)
    messages.success(request, _("The instructions are saved."))
    return redirect("staff:safety_network", pk=network.pk)


def roster_officers(organisations: QuerySet[Organisation]) -> QuerySet[User]:
    members = StaffMembership.objects.filter(organisation__in=organisations).values("user_id")
    return User.objects.filter(pk__in=members, is_active=True).order_by("username")


@never_cache
@permission_required(ROSTER, raise_exception=True)
def roster(request: HttpRequest) -> HttpResponse:
    organisations = organisations_with(request.user, ROSTER)
    form = ShiftForm(organisations, roster_officers(organisations), request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_shift(actor=signed_in_staff(request), **form.cleaned_data)
        except actions.SafetyInvalid as error:
            form.refused(error)
        else:
            messages.success(request, _("The shift is on the roster."))
            return redirect("staff:duty_roster")
    shifts = (
        DutyShift.objects.filter(organisation__in=organisations, ends_at__gt=timezone.now())
        .select_related("organisation", "officer")
        .order_by("starts_at")
    )
    context = {"shifts": shifts, "form": form, "now": timezone.now()}
    return render(request, "staff/duty/roster.html", context, status=400 if form.errors else 200)


@never_cache
@require_POST
@permission_required(ROSTER, raise_exception=True)
def roster_remove(request: HttpRequest, pk: int) -> HttpResponse:
    shifts = DutyShift.objects.filter(organisation__in=organisations_with(request.user, ROSTER))
    actions.remove_shift(get_object_or_404(shifts, pk=pk), actor=signed_in_staff(request))
    messages.success(request, _("The shift is removed from the roster."))
    return redirect("staff:duty_roster")


def staff_users() -> QuerySet[User]:
    """Active users in a staff role (membership is useless to anyone else)."""
    roles = [role.value for role in Role]
    return (
        User.objects.filter(is_active=True, groups__name__in=roles).distinct().order_by("username")
    )


@never_cache
@permission_required(MANAGE_USERS, raise_exception=True)
def memberships(request: HttpRequest) -> HttpResponse:
    form = MembershipForm(staff_users(), request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.add_staff_membership(
            form.cleaned_data["user"],
            form.cleaned_data["organisation"],
            actor=signed_in_staff(request),
        )
        messages.success(request, _("The staff member now works for this organisation."))
        return redirect("staff:safety_memberships")
    listed = StaffMembership.objects.select_related("user", "organisation").order_by(
        "organisation__name", "user__username"
    )
    context = {"memberships": listed, "form": form}
    return render(
        request, "staff/safety/memberships.html", context, status=400 if form.errors else 200
    )


@never_cache
@require_POST
@permission_required(MANAGE_USERS, raise_exception=True)
def membership_remove(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(
        StaffMembership.objects.select_related("user", "organisation"), pk=pk
    )
    actions.remove_staff_membership(
        membership.user, membership.organisation, actor=signed_in_staff(request)
    )
    messages.success(request, _("The staff member no longer works for this organisation."))
    return redirect("staff:safety_memberships")


urlpatterns: list[URLPattern] = [
    path("safety/ladders/", ladders, name="safety_ladders"),
    path("safety/networks/", networks, name="safety_networks"),
    path("safety/networks/<int:pk>/", network_detail, name="safety_network"),
    path("safety/networks/<int:pk>/members/", network_member_add, name="safety_network_member_add"),
    path(
        "safety/networks/<int:pk>/members/<uuid:member_pk>/remove/",
        network_member_remove,
        name="safety_network_member_remove",
    ),
    path(
        "safety/networks/<int:pk>/instructions/",
        network_instructions,
        name="safety_network_instructions",
    ),
    path("duty/roster/", roster, name="duty_roster"),
    path("duty/roster/<int:pk>/remove/", roster_remove, name="duty_roster_remove"),
    path("safety/memberships/", memberships, name="safety_memberships"),
    path("safety/memberships/<int:pk>/remove/", membership_remove, name="safety_membership_remove"),
]
