"""Coordinators edit the taxonomy in the console; nobody else may."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from safespaces.accounts.models import User
from safespaces.audit.models import AuditEvent
from safespaces.reports.actions import load_preset, submit_report
from safespaces.reports.models import Category
from safespaces.reports.taxonomy import GBVIMS, STREET_HARASSMENT
from tests.reports.submissions import a_submission

pytestmark = pytest.mark.django_db
StaffClient = Callable[[User], Client]

NEW = {
    "key": "transport",
    "name_en": "Harassment on public transport",
    "name_ar": "التحرش في وسائل النقل العام",
    "name_fr": "Harcèlement dans les transports",
    "name_es": "Acoso en el transporte público",
    "order": "30",
    "is_active": "on",
}


@pytest.fixture(autouse=True)
def categories(db: None) -> list[Category]:
    return load_preset(STREET_HARASSMENT.key)


def catcalls() -> Category:
    return Category.objects.get(key="catcalls")


def edit_url(category: Category) -> str:
    return reverse("staff:category_edit", args=[category.pk])


def edited(category: Category, **changes: str) -> dict[str, str]:
    """The edit form as the page fills it in, with some fields changed."""
    form = {f"name_{code}": name for code, name in category.names().items()}
    form.update(order=str(category.order))
    if category.is_active:
        form["is_active"] = "on"
    form.update(changes)
    return {name: value for name, value in form.items() if value != "off"}


def tags_for(target: str) -> list[str]:
    events = AuditEvent.objects.filter(target=target).order_by("sequence")
    return list(events.values_list("tag", flat=True))


@pytest.mark.parametrize("name", ["bob", "charlie", "dana"])
def test_other_roles_get_403_on_every_category_page(
    request: pytest.FixtureRequest, staff_client: StaffClient, name: str
) -> None:
    client = staff_client(request.getfixturevalue(name))
    category = catcalls()
    assert client.get(reverse("staff:categories")).status_code == 403
    assert client.get(reverse("staff:category_create")).status_code == 403
    assert client.post(reverse("staff:category_create"), NEW).status_code == 403
    assert client.get(edit_url(category)).status_code == 403
    assert client.post(edit_url(category), edited(category, name_en="Changed")).status_code == 403
    preset = {"preset": GBVIMS.key}
    assert client.post(reverse("staff:category_load_preset"), preset).status_code == 403
    assert catcalls().name_en == "Catcalls and whistles"
    assert not Category.objects.filter(key__in=["transport", GBVIMS.terms[0].key]).exists()


def test_anonymous_visitors_are_sent_to_the_login() -> None:
    response = Client().get(reverse("staff:categories"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("staff:login"))


def test_the_menu_shows_categories_to_the_coordinator_only(
    staff_client: StaffClient, alice: User, bob: User
) -> None:
    link = f'href="{reverse("staff:categories")}"'
    assert link in staff_client(alice).get(reverse("staff:home")).content.decode()
    assert link not in staff_client(bob).get(reverse("staff:home")).content.decode()


def test_the_list_shows_every_category_by_preset_in_four_languages(
    staff_client: StaffClient, alice: User
) -> None:
    page = staff_client(alice).get(reverse("staff:categories")).content.decode()
    assert str(STREET_HARASSMENT.title) in page
    for name in catcalls().names().values():
        assert name in page
    assert edit_url(catcalls()) in page


def test_a_coordinator_adds_a_category(staff_client: StaffClient, alice: User) -> None:
    response = staff_client(alice).post(reverse("staff:category_create"), NEW)
    assert response.status_code == 302
    category = Category.objects.get(key="transport")
    assert category.name_ar == NEW["name_ar"]
    assert (category.order, category.is_active, category.preset) == (30, True, "")
    assert tags_for("transport") == ["category:create"]
    page = staff_client(alice).get(reverse("staff:categories")).content.decode()
    assert "Added by coordinators" in page
    assert NEW["name_es"] in page


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"key": "catcalls"}, "Another category already has this key."),
        ({"key": "On Transport"}, "A key is made of lowercase letters and digits"),
        ({"name_fr": ""}, "This field is required."),
        ({"name_ar": "   "}, "This field is required."),
    ],
)
def test_adding_a_faulty_category_shows_the_error_and_adds_nothing(
    staff_client: StaffClient, alice: User, changes: dict[str, str], error: str
) -> None:
    count = Category.objects.count()
    response = staff_client(alice).post(reverse("staff:category_create"), {**NEW, **changes})
    assert response.status_code == 200
    assert error in response.content.decode()
    assert Category.objects.count() == count
    assert not AuditEvent.objects.filter(tag="category:create").exists()


def test_a_coordinator_edits_names_and_order(staff_client: StaffClient, alice: User) -> None:
    category = catcalls()
    form = edited(category, name_es="Silbidos", order="7")
    response = staff_client(alice).post(edit_url(category), form)
    assert response.status_code == 302
    category.refresh_from_db()
    assert (category.name_es, category.order, category.key) == ("Silbidos", 7, "catcalls")
    assert tags_for("catcalls") == ["category:update"]


def test_the_edit_page_offers_no_way_to_change_the_key(
    staff_client: StaffClient, alice: User
) -> None:
    category = catcalls()
    client = staff_client(alice)
    assert 'name="key"' not in client.get(edit_url(category)).content.decode()
    client.post(edit_url(category), edited(category, key="whistles"))
    assert catcalls().pk == category.pk


def test_editing_without_a_name_shows_the_error_and_changes_nothing(
    staff_client: StaffClient, alice: User
) -> None:
    category = catcalls()
    response = staff_client(alice).post(edit_url(category), edited(category, name_en=""))
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert catcalls().name_en == "Catcalls and whistles"
    assert tags_for("catcalls") == []


def test_an_unknown_category_is_404(staff_client: StaffClient, alice: User) -> None:
    response = staff_client(alice).get(reverse("staff:category_edit", args=[999_999]))
    assert response.status_code == 404


def test_a_deactivated_category_leaves_the_report_form_but_stays_on_old_reports(
    staff_client: StaffClient, alice: User, bob: User
) -> None:
    report = submit_report(a_submission(categories=["catcalls"]))
    category = catcalls()
    form_page = Client().get(reverse("public:report")).content.decode()
    assert 'value="catcalls"' in form_page
    response = staff_client(alice).post(edit_url(category), edited(category, is_active="off"))
    assert response.status_code == 302
    assert not catcalls().is_active
    assert tags_for("catcalls") == ["category:update"]
    form_page = Client().get(reverse("public:report")).content.decode()
    assert 'value="catcalls"' not in form_page
    assert 'value="ogling"' in form_page
    assert list(report.categories.values_list("key", flat=True)) == ["catcalls"]
    detail = staff_client(bob).get(reverse("staff:report", args=[report.public_id]))
    assert "<dt>Categories</dt><dd>catcalls</dd>" in detail.content.decode()


def test_a_coordinator_reactivates_a_category(staff_client: StaffClient, alice: User) -> None:
    Category.objects.filter(key="catcalls").update(is_active=False)
    category = catcalls()
    staff_client(alice).post(edit_url(category), edited(category, is_active="on"))
    assert catcalls().is_active


def test_a_coordinator_loads_a_preset_once(staff_client: StaffClient, alice: User) -> None:
    client = staff_client(alice)
    url = reverse("staff:category_load_preset")
    response = client.post(url, {"preset": GBVIMS.key}, follow=True)
    assert f"{len(GBVIMS.terms)} categories were added" in response.content.decode()
    assert Category.objects.filter(preset=GBVIMS.key).count() == len(GBVIMS.terms)
    response = client.post(url, {"preset": GBVIMS.key}, follow=True)
    assert "Nothing was added." in response.content.decode()
    assert Category.objects.filter(preset=GBVIMS.key).count() == len(GBVIMS.terms)
    by_alice = AuditEvent.objects.filter(tag="category:load_preset", actor=alice.pseudonym)
    assert by_alice.count() == 2
    assert str(GBVIMS.title) in response.content.decode()


def test_loading_an_unknown_preset_loads_nothing(staff_client: StaffClient, alice: User) -> None:
    count = Category.objects.count()
    response = staff_client(alice).post(
        reverse("staff:category_load_preset"), {"preset": "no_such_preset"}, follow=True
    )
    assert "Choose one of the presets to load." in response.content.decode()
    assert Category.objects.count() == count
    assert not AuditEvent.objects.filter(actor=alice.pseudonym).exists()


def test_a_get_cannot_load_a_preset(staff_client: StaffClient, alice: User) -> None:
    response = staff_client(alice).get(reverse("staff:category_load_preset"))
    assert response.status_code == 405
