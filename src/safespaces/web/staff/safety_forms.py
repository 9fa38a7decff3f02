"""Forms of the safety set-up pages; the safety actions check everything again and decide.

Organisations, ladders, networks and officers offered are only those of the signed-in
user's organisations, so a form cannot name another organisation's records.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from safespaces.accounts.models import User
from safespaces.places.models import Organisation
from safespaces.safety.models import (
    EscalationLadder,
    PlanKind,
    RiskLevel,
    Situation,
    StepAction,
    SupportNetwork,
)
from safespaces.safety.validation import (
    MAX_ALIAS_CHARS,
    MAX_NAME_CHARS,
    MAX_PIN_CHARS,
    MAX_TEXT_CHARS,
    MAX_WORD_CHARS,
    SafetyInvalid,
)

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
LADDER_ROWS = 5
WEEKDAYS = (
    ("1", _("Monday")),
    ("2", _("Tuesday")),
    ("3", _("Wednesday")),
    ("4", _("Thursday")),
    ("5", _("Friday")),
    ("6", _("Saturday")),
    ("7", _("Sunday")),
)
CHANNELS_HELP = _(
    "In the order to try, separated by commas: sms, whatsapp, voice, email. "
    "Only those the number or address given can reach are kept."
)


class RefusalMixin:
    """Shows an action's refusal on the fields it names."""

    def refused(self, error: SafetyInvalid) -> None:
        for name, message in error.errors.items():
            field = name if name in self.fields else None  # type: ignore[attr-defined]
            self.add_error(field, message)  # type: ignore[attr-defined]


def language_choices() -> list[tuple[str, Any]]:
    return [("", _("The deployment's language")), *settings.LANGUAGES]


def text(label: Any, limit: int, *, required: bool = True, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, max_length=limit, required=required, **kwargs)


def long_text(label: Any, *, required: bool = False, **kwargs: Any) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": 3, "dir": "auto"})
    return forms.CharField(
        label=label, max_length=MAX_TEXT_CHARS, required=required, widget=widget, **kwargs
    )


def channels_field(default: str) -> forms.CharField:
    return text(_("Channels"), 64, initial=default, help_text=CHANNELS_HELP)


class OrganisationChoiceMixin:
    """An `organisation` field offering only the organisations given."""

    def limit_organisations(self, organisations: QuerySet[Organisation]) -> None:
        field = self.fields["organisation"]  # type: ignore[attr-defined]
        field.queryset = organisations
        if organisations.count() == 1:
            field.initial = organisations.first()


class PersonForm(RefusalMixin, OrganisationChoiceMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    alias = text(
        _("Alias"), MAX_ALIAS_CHARS, help_text=_("A name that does not identify the person.")
    )
    phone = text(_("Phone (kept encrypted)"), 32, required=False)
    email = forms.EmailField(label=_("Email (kept encrypted)"), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=language_choices, required=False)
    time_zone = text(_("Time zone"), 64, required=False, help_text=_("For example Africa/Cairo."))
    risk_level = forms.ChoiceField(
        label=_("Risk level"), choices=RiskLevel.choices, initial=RiskLevel.MEDIUM
    )
    situation = long_text(
        _("Situation (kept encrypted)"),
        help_text=_("What responders need to know; it is sent with every alert."),
    )
    pin = text(
        _("PIN to end an alert"),
        MAX_PIN_CHARS,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("The person types it to say they are safe. Leave empty to keep the PIN."),
    )
    ladder = forms.ModelChoiceField(
        label=_("Escalation ladder"),
        queryset=EscalationLadder.objects.none(),
        required=False,
        empty_label=_("The organisation's default ladder"),
    )

    def __init__(
        self,
        organisations: QuerySet[Organisation],
        *args: Any,
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.limit_organisations(organisations)
        self.fields["ladder"].queryset = EscalationLadder.objects.filter(  # type: ignore[attr-defined]
            organisation__in=organisations
        )
        if editing:  # a person stays with their organisation
            del self.fields["organisation"]

    def person_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("organisation", None)
        data.pop("pin", None)
        return data


def person_initial(person: Any) -> dict[str, Any]:
    names = ("alias", "phone", "email", "language", "time_zone", "risk_level", "situation")
    initial = {name: getattr(person, name) or "" for name in names}
    initial["ladder"] = person.ladder_id
    return initial


class ContactForm(RefusalMixin, forms.Form):
    name = text(_("Name (kept encrypted)"), MAX_NAME_CHARS)
    phone = text(_("Phone (kept encrypted)"), 32, required=False)
    email = forms.EmailField(label=_("Email (kept encrypted)"), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=language_choices, required=False)
    channels = channels_field("sms,email")
    codeword = text(
        _("Codeword"),
        MAX_WORD_CHARS,
        help_text=_("Said in every alert, so the contact can tell a real alert from a forged one."),
    )


class PlanForm(RefusalMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PlanKind.choices, initial=PlanKind.RECURRING)
    due_time = forms.TimeField(
        label=_("Recurring: check in by (local time)"), required=False, widget=TIME
    )
    weekdays = forms.MultipleChoiceField(
        label=_("Recurring: on these days"),
        choices=WEEKDAYS,
        required=False,
        initial=[value for value, _label in WEEKDAYS],
        widget=forms.CheckboxSelectMultiple,
    )
    deadline = forms.DateTimeField(
        label=_("Trip: check in by (local date and time)"), required=False, widget=DATETIME
    )
    time_zone = text(
        _("Time zone"),
        64,
        required=False,
        help_text=_("Empty: the person's time zone, or the deployment's."),
    )
    grace_minutes = forms.IntegerField(
        label=_("Grace period (minutes)"),
        min_value=0,
        max_value=24 * 60,
        initial=settings.SAFESPACES_CHECKIN_GRACE_MINUTES,
    )
    checkin_word = text(_("Check-in word"), MAX_WORD_CHARS, required=False)
    duress_word = text(
        _("Duress word"),
        MAX_WORD_CHARS,
        required=False,
        help_text=_("Looks like a normal check-in to anyone watching, and raises an alert."),
    )
    ladder = forms.ModelChoiceField(
        label=_("Escalation ladder"),
        queryset=EscalationLadder.objects.none(),
        required=False,
        empty_label=_("The person's ladder"),
    )
    is_drill = forms.BooleanField(label=_("Drill: every message says so"), required=False)

    def __init__(self, ladders: QuerySet[EscalationLadder], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ladder"].queryset = ladders  # type: ignore[attr-defined]

    def plan_arguments(self, person_zone: str) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["weekdays"] = "".join(sorted(data["weekdays"])) or "1234567"
        data["deadline"] = local_deadline(data["deadline"], data["time_zone"] or person_zone)
        return data


def local_deadline(value: datetime | None, zone: str) -> datetime | None:
    """The wall-clock time typed, read in the plan's time zone rather than the server's."""
    if value is None:
        return None
    try:
        where = ZoneInfo(zone or settings.TIME_ZONE)
    except (ValueError, KeyError):
        where = ZoneInfo(settings.TIME_ZONE)
    return value.replace(tzinfo=None).replace(tzinfo=where)


class LadderForm(RefusalMixin, OrganisationChoiceMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    name = text(_("Name"), MAX_NAME_CHARS)
    repeat_minutes = forms.IntegerField(
        label=_("Repeat unanswered alerts every (minutes)"),
        min_value=1,
        max_value=24 * 60,
        initial=settings.SAFESPACES_ALERT_REPEAT_MINUTES,
    )

    def __init__(
        self,
        organisations: QuerySet[Organisation],
        networks: QuerySet[SupportNetwork],
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.limit_organisations(organisations)
        actions = [("", _("(no step)")), *StepAction.choices]
        for row in range(1, LADDER_ROWS + 1):
            self.fields[f"step_{row}_action"] = forms.ChoiceField(
                label=_("Step %(number)d") % {"number": row}, choices=actions, required=False
            )
            self.fields[f"step_{row}_delay"] = forms.IntegerField(
                label=_("Minutes after the step before"), min_value=0, initial=0, required=False
            )
            self.fields[f"step_{row}_network"] = forms.ModelChoiceField(
                label=_("Support network (for that step)"), queryset=networks, required=False
            )

    def steps(self) -> list[tuple[str, int, SupportNetwork | None]]:
        data = self.cleaned_data
        return [
            (
                data[f"step_{row}_action"],
                data[f"step_{row}_delay"] or 0,
                data[f"step_{row}_network"],
            )
            for row in range(1, LADDER_ROWS + 1)
            if data.get(f"step_{row}_action")
        ]


class NetworkForm(RefusalMixin, OrganisationChoiceMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    name = text(_("Name"), MAX_NAME_CHARS)
    description = long_text(_("Description"))
    template = long_text(
        _("Activation message"),
        required=True,
        help_text=_(
            "Sent to every member when the network is activated. {alias}, {situation} and "
            "{link} are replaced by the person's alias, their situation and the link to the "
            "alert's live page."
        ),
    )

    def __init__(self, organisations: QuerySet[Organisation], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_organisations(organisations)


class MemberForm(RefusalMixin, forms.Form):
    name = text(_("Name (kept encrypted)"), MAX_NAME_CHARS)
    phone = text(_("Phone (kept encrypted)"), 32, required=False)
    email = forms.EmailField(label=_("Email (kept encrypted)"), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=language_choices, required=False)
    channels = channels_field("sms,email")


class InstructionsForm(RefusalMixin, forms.Form):
    """One box per situation: what members are asked to do then."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for situation, label in Situation.choices:
            self.fields[situation] = long_text(label)


class ShiftForm(RefusalMixin, OrganisationChoiceMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    officer = forms.ModelChoiceField(label=_("Duty officer"), queryset=User.objects.none())
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DATETIME)
    phone = text(_("Phone on duty"), 32)
    channels = channels_field("sms,voice")

    def __init__(
        self,
        organisations: QuerySet[Organisation],
        officers: QuerySet[User],
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.limit_organisations(organisations)
        self.fields["officer"].queryset = officers  # type: ignore[attr-defined]


class MembershipForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Staff member"), queryset=User.objects.none())
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.all()
    )

    def __init__(self, users: QuerySet[User], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users  # type: ignore[attr-defined]
