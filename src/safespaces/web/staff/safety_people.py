"""Setting up people at risk: their details, trusted contacts, check-in plans and panic link.

Open to staff who may manage people (safety.manage_person), and only for the people of
organisations they are members of: anyone else's is not found. Every change goes through a
safety action, which checks it again and audits it.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from safespaces.places.models import Organisation
from safespaces.safety import actions
from safespaces.safety.access import MANAGE, organisations_with
from safespaces.safety.links import panic_token, public_url
from safespaces.safety.models import (
    AlertStatus,
    CheckInPlan,
    Consent,
    EscalationLadder,
    PlanState,
    ProtectedPerson,
    TrustedContact,
)
from safespaces.web.staff.account import signed_in_staff
from safespaces.web.staff.safety_forms import (
    WEEKDAYS,
    ContactForm,
    PersonForm,
    PlanForm,
    person_initial,
)

PLAN_CHANGES = {
    "pause": ("pause_plan", gettext_lazy("The plan is paused.")),
    "resume": ("resume_plan", gettext_lazy("The plan is active again.")),
    "end": ("end_plan", gettext_lazy("The plan has ended.")),
}


def managed_organisations(request: HttpRequest) -> QuerySet[Organisation]:
    return organisations_with(request.user, MANAGE)


def managed_person(request: HttpRequest, pk: uuid.UUID) -> ProtectedPerson:
    people = ProtectedPerson.objects.filter(organisation__in=managed_organisations(request))
    return get_object_or_404(people.select_related("organisation", "ladder"), pk=pk)


def ladders_for(person: ProtectedPerson) -> QuerySet[EscalationLadder]:
    return EscalationLadder.objects.filter(organisation_id=person.organisation_id)


@never_cache
@require_safe
@permission_required(MANAGE, raise_exception=True)
def people_list(request: HttpRequest) -> HttpResponse:
    people = (
        ProtectedPerson.objects.filter(organisation__in=managed_organisations(request))
        .select_related("organisation")
        .annotate(
            contact_count=Count("contacts", distinct=True),
            agreed_count=Count(
                "contacts", filter=Q(contacts__consent=Consent.AGREED), distinct=True
            ),
            plan_count=Count(
                "checkin_plans",
                filter=Q(checkin_plans__state=PlanState.ACTIVE),
                distinct=True,
            ),
            open_alerts=Count(
                "alerts", filter=~Q(alerts__status=AlertStatus.RESOLVED), distinct=True
            ),
        )
        .order_by("alias")
    )
    context = {"people": people, "organisations": managed_organisations(request).count()}
    return render(request, "staff/safety/people.html", context)


@never_cache
@permission_required(MANAGE, raise_exception=True)
def person_create(request: HttpRequest) -> HttpResponse:
    form = PersonForm(managed_organisations(request), request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = actions.create_person(
                form.cleaned_data["organisation"],
                pin=form.cleaned_data["pin"],
                actor=signed_in_staff(request),
                **form.person_fields(),
            )
        except actions.SafetyInvalid as error:
            form.refused(error)
        else:
            messages.success(request, _("%(alias)s has been added.") % {"alias": person.alias})
            return redirect("staff:safety_person", pk=person.pk)
    return render(request, "staff/safety/person_form.html", {"form": form, "person": None})


@never_cache
@permission_required(MANAGE, raise_exception=True)
def person_edit(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    person = managed_person(request, pk)
    form = PersonForm(
        managed_organisations(request).filter(pk=person.organisation_id),
        request.POST or None,
        initial=person_initial(person),
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        actor = signed_in_staff(request)
        try:
            actions.update_person(person, actor=actor, **form.person_fields())
            if form.cleaned_data["pin"]:
                actions.set_pin(person, form.cleaned_data["pin"], actor=actor)
        except actions.SafetyInvalid as error:
            form.refused(error)
        else:
            messages.success(request, _("%(alias)s has been saved.") % {"alias": person.alias})
            return redirect("staff:safety_person", pk=person.pk)
    return render(request, "staff/safety/person_form.html", {"form": form, "person": person})


def days_in_words(weekdays: str) -> str:
    if set(weekdays) >= set("1234567"):
        return str(_("every day"))
    names = dict(WEEKDAYS)
    return ", ".join(str(names[day]) for day in weekdays if day in names)


def person_page(request: HttpRequest, person: ProtectedPerson, **forms: Any) -> HttpResponse:
    plans = CheckInPlan.objects.filter(person=person).exclude(state=PlanState.ENDED)
    context = {
        "person": person,
        "contacts": list(person.contacts.all()),
        "plans": [
            (plan, days_in_words(plan.weekdays))
            for plan in plans.select_related("ladder").order_by("created_at")
        ],
        "open_alerts": person.alerts.exclude(status=AlertStatus.RESOLVED).order_by("-opened_at"),
        "contact_form": forms.get("contact_form") or ContactForm(),
        "plan_form": forms.get("plan_form") or PlanForm(ladders_for(person)),
    }
    return render(request, "staff/safety/person.html", context, status=400 if forms else 200)


@never_cache
@require_safe
@permission_required(MANAGE, raise_exception=True)
def person_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return person_page(request, managed_person(request, pk))


@never_cache
@require_POST
@permission_required(MANAGE, raise_exception=True)
def contact_add(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    person = managed_person(request, pk)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            actions.add_contact(person, actor=signed_in_staff(request), **form.cleaned_data)
        except actions.SafetyInvalid as error:
            form.refused(error)
        else:
            messages.success(
                request, _("The contact is added and asked whether they agree to be alerted.")
            )
            return redirect("staff:safety_person", pk=person.pk)
    return person_page(request, person, contact_form=form)


def person_contact(request: HttpRequest, pk: uuid.UUID, contact_pk: uuid.UUID) -> TrustedContact:
    person = managed_person(request, pk)
    return get_object_or_404(
        TrustedContact.objects.select_related("person"), pk=contact_pk, person=person
    )


@never_cache
@require_POST
@permission_required(MANAGE, raise_exception=True)
def contact_remove(request: HttpRequest, pk: uuid.UUID, contact_pk: uuid.UUID) -> HttpResponse:
    contact = person_contact(request, pk, contact_pk)
    actions.remove_contact(contact, actor=signed_in_staff(request))
    messages.success(request, _("The contact is removed: they will receive no more alerts."))
    return redirect("staff:safety_person", pk=pk)


@never_cache
@require_POST
@permission_required(MANAGE, raise_exception=True)
def contact_ask(request: HttpRequest, pk: uuid.UUID, contact_pk: uuid.UUID) -> HttpResponse:
    contact = person_contact(request, pk, contact_pk)
    actions.ask_consent_again(contact, actor=signed_in_staff(request))
    messages.success(request, _("The contact is asked again whether they agree to be alerted."))
    return redirect("staff:safety_person", pk=pk)


@never_cache
@require_POST
@permission_required(MANAGE, raise_exception=True)
def plan_create(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    person = managed_person(request, pk)
    form = PlanForm(ladders_for(person), request.POST)
    if form.is_valid():
        try:
            actions.create_plan(
                person,
                actor=signed_in_staff(request),
                **form.plan_arguments(person.time_zone),
            )
        except actions.SafetyInvalid as error:
            form.refused(error)
        else:
            messages.success(request, _("The check-in plan is active."))
            return redirect("staff:safety_person", pk=person.pk)
    return person_page(request, person, plan_form=form)


@never_cache
@require_POST
@permission_required(MANAGE, raise_exception=True)
def plan_change(
    request: HttpRequest, pk: uuid.UUID, plan_pk: uuid.UUID, change: str
) -> HttpResponse:
    person = managed_person(request, pk)
    plan = get_object_or_404(CheckInPlan, pk=plan_pk, person=person)
    action_name, message = PLAN_CHANGES[change]
    try:
        getattr(actions, action_name)(plan, actor=signed_in_staff(request))
    except actions.SafetyInvalid as refused:
        messages.error(request, "; ".join(refused.errors.values()))
    else:
        messages.success(request, str(message))
    return redirect("staff:safety_person", pk=person.pk)


def panic_link_of(person: ProtectedPerson) -> str:
    """The full link, in the person's language when the site offers it."""
    with translation.override(person.language or None):
        return public_url(reverse("public:panic", kwargs={"token": panic_token(person)}))


@never_cache
@require_POST
@permission_required(MANAGE, raise_exception=True)
def panic_link(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """Shown once, on request, to be given to the person; never listed on their page."""
    person = managed_person(request, pk)
    context = {"person": person, "link": panic_link_of(person)}
    return render(request, "staff/safety/panic_link.html", context)


@never_cache
@require_POST
@permission_required(MANAGE, raise_exception=True)
def panic_link_revoke(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    person = managed_person(request, pk)
    actions.revoke_panic_link(person, actor=signed_in_staff(request))
    messages.success(
        request,
        _("Every panic link given out before no longer works. Show the new link to give it."),
    )
    return redirect("staff:safety_person", pk=person.pk)


urlpatterns: list[URLPattern] = [
    path("safety/people/", people_list, name="safety_people"),
    path("safety/people/new/", person_create, name="safety_person_create"),
    path("safety/people/<uuid:pk>/", person_detail, name="safety_person"),
    path("safety/people/<uuid:pk>/edit/", person_edit, name="safety_person_edit"),
    path("safety/people/<uuid:pk>/contacts/", contact_add, name="safety_contact_add"),
    path(
        "safety/people/<uuid:pk>/contacts/<uuid:contact_pk>/remove/",
        contact_remove,
        name="safety_contact_remove",
    ),
    path(
        "safety/people/<uuid:pk>/contacts/<uuid:contact_pk>/ask/",
        contact_ask,
        name="safety_contact_ask",
    ),
    path("safety/people/<uuid:pk>/plans/", plan_create, name="safety_plan_create"),
    *(
        path(
            f"safety/people/<uuid:pk>/plans/<uuid:plan_pk>/{change}/",
            plan_change,
            {"change": change},
            name=f"safety_plan_{change}",
        )
        for change in PLAN_CHANGES
    ),
    path("safety/people/<uuid:pk>/panic-link/", panic_link, name="safety_panic_link"),
    path(
        "safety/people/<uuid:pk>/panic-link/revoke/",
        panic_link_revoke,
        name="safety_panic_link_revoke",
    ),
]
