"""Coordinators' changes to the taxonomy: each validated, atomic and audited."""

from __future__ import annotations

import pytest

from safespaces.accounts.models import User
from safespaces.audit.models import AuditEvent
from safespaces.reports.actions import submit_report
from safespaces.reports.category_actions import (
    CategoryDetails,
    CategoryInvalid,
    create_category,
    load_preset_for,
    update_category,
)
from safespaces.reports.models import Category
from safespaces.reports.taxonomy import GBVIMS, UnknownPreset
from safespaces.reports.validation import ReportInvalid
from tests.reports.submissions import a_submission

pytestmark = pytest.mark.django_db

NAMES = {
    "en": "Harassment on public transport",
    "ar": "التحرش في وسائل النقل العام",
    "fr": "Harcèlement dans les transports",
    "es": "Acoso en el transporte público",
}


def details(**changes: object) -> CategoryDetails:
    fields: dict[str, object] = {"names": dict(NAMES), "order": 30, "is_active": True}
    fields.update(changes)
    return CategoryDetails(**fields)  # type: ignore[arg-type]


def events(tag: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(tag=tag).order_by("sequence"))


def test_it_creates_a_category_with_its_names_and_an_event(alice: User) -> None:
    category = create_category(alice, "transport", details())
    assert category.names() == NAMES
    assert (category.order, category.is_active, category.preset) == (30, True, "")
    [event] = events("category:create")
    assert (event.actor, event.target) == (alice.pseudonym, "transport")


def test_it_squeezes_spaces_out_of_names(alice: User) -> None:
    names = {**NAMES, "en": "  Harassment   on transport "}
    category = create_category(alice, "transport", details(names=names))
    assert category.name_en == "Harassment on transport"


@pytest.mark.parametrize(
    "key", ["Transport", "on transport", "transport_", "-x", "a--b", "", "é", "a" * 65]
)
def test_it_refuses_a_key_that_is_not_a_lowercase_slug(alice: User, key: str) -> None:
    with pytest.raises(CategoryInvalid) as refused:
        create_category(alice, key, details())
    assert refused.value.field == "key"
    assert not Category.objects.exists()
    assert not events("category:create")


def test_it_refuses_a_key_already_taken(alice: User, categories: list[Category]) -> None:
    with pytest.raises(CategoryInvalid, match="already has this key") as refused:
        create_category(alice, "catcalls", details())
    assert refused.value.field == "key"
    assert Category.objects.get(key="catcalls").name_en == "Catcalls and whistles"


@pytest.mark.parametrize("language", ["en", "ar", "fr", "es"])
def test_it_refuses_a_missing_name(alice: User, language: str) -> None:
    names = {**NAMES, language: "   "}
    with pytest.raises(CategoryInvalid) as refused:
        create_category(alice, "transport", details(names=names))
    assert refused.value.field == f"name_{language}"
    assert not Category.objects.exists()


def test_it_refuses_a_negative_order(alice: User) -> None:
    with pytest.raises(CategoryInvalid) as refused:
        create_category(alice, "transport", details(order=-1))
    assert refused.value.field == "order"


def test_it_updates_names_order_and_state_and_lists_what_changed(
    alice: User, categories: list[Category]
) -> None:
    catcalls = Category.objects.get(key="catcalls")
    names = {**catcalls.names(), "fr": "Sifflements"}
    updated = update_category(alice, catcalls, details(names=names, order=9, is_active=False))
    catcalls.refresh_from_db()
    assert (catcalls.name_fr, catcalls.order, catcalls.is_active) == ("Sifflements", 9, False)
    assert (updated.key, catcalls.key) == ("catcalls", "catcalls")
    [event] = events("category:update")
    assert (event.actor, event.target) == (alice.pseudonym, "catcalls")
    assert event.data == {"changed": ["name_fr", "order", "is_active"]}


def test_an_update_that_changes_nothing_writes_no_event(
    alice: User, categories: list[Category]
) -> None:
    catcalls = Category.objects.get(key="catcalls")
    same = details(names=catcalls.names(), order=catcalls.order, is_active=True)
    update_category(alice, catcalls, same)
    assert not events("category:update")


def test_a_refused_update_changes_nothing(alice: User, categories: list[Category]) -> None:
    catcalls = Category.objects.get(key="catcalls")
    with pytest.raises(CategoryInvalid):
        update_category(alice, catcalls, details(names={**NAMES, "ar": ""}))
    catcalls.refresh_from_db()
    assert catcalls.name_en == "Catcalls and whistles"


def test_a_deactivated_category_stays_on_old_reports_but_takes_no_new_ones(
    alice: User, categories: list[Category]
) -> None:
    report = submit_report(a_submission(categories=["catcalls", "ogling"]))
    catcalls = Category.objects.get(key="catcalls")
    update_category(alice, catcalls, details(names=catcalls.names(), is_active=False))
    assert set(report.categories.values_list("key", flat=True)) == {"catcalls", "ogling"}
    with pytest.raises(ReportInvalid):
        submit_report(a_submission(categories=["catcalls"]))


def test_loading_a_preset_adds_its_categories_once_and_names_the_coordinator(
    alice: User,
) -> None:
    assert load_preset_for(alice, GBVIMS.key) == len(GBVIMS.terms)
    assert Category.objects.filter(preset=GBVIMS.key).count() == len(GBVIMS.terms)
    assert load_preset_for(alice, GBVIMS.key) == 0
    assert Category.objects.filter(preset=GBVIMS.key).count() == len(GBVIMS.terms)
    mine = [event for event in events("category:load_preset") if event.actor == alice.pseudonym]
    assert [(event.target, event.data) for event in mine] == [
        (GBVIMS.key, {"added": len(GBVIMS.terms)}),
        (GBVIMS.key, {"added": 0}),
    ]


def test_loading_a_preset_writes_one_event_by_the_coordinator_alone(alice: User) -> None:
    load_preset_for(alice, GBVIMS.key)
    [event] = events("category:load_preset")
    assert (event.actor, event.data) == (alice.pseudonym, {"added": len(GBVIMS.terms)})


def test_loading_a_preset_again_keeps_what_coordinators_changed(alice: User) -> None:
    load_preset_for(alice, GBVIMS.key)
    first = Category.objects.get(key=GBVIMS.terms[0].key)
    update_category(alice, first, details(names=first.names(), order=99, is_active=False))
    load_preset_for(alice, GBVIMS.key)
    first.refresh_from_db()
    assert (first.order, first.is_active) == (99, False)


def test_loading_an_unknown_preset_is_refused(alice: User) -> None:
    with pytest.raises(UnknownPreset):
        load_preset_for(alice, "no_such_preset")
    assert not events("category:load_preset")
