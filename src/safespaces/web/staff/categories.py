"""Coordinators edit the report taxonomy: the categories, their names, order and state."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from safespaces.reports.category_actions import (
    MAX_KEY_CHARS,
    MAX_NAME_CHARS,
    CategoryDetails,
    CategoryInvalid,
    create_category,
    load_preset_for,
    update_category,
)
from safespaces.reports.models import Category
from safespaces.reports.taxonomy import LANGUAGES, PRESETS
from safespaces.web.staff.account import signed_in_staff

CHANGE = "reports.change_category"
ADD = "reports.add_category"
NAME_LABELS = {
    "en": gettext_lazy("Name in English"),
    "ar": gettext_lazy("Name in Arabic"),
    "fr": gettext_lazy("Name in French"),
    "es": gettext_lazy("Name in Spanish"),
}


class CategoryForm(forms.Form):
    """Names in every language, the order and the state; the actions check them again."""

    name_en = forms.CharField(label=NAME_LABELS["en"], max_length=MAX_NAME_CHARS)
    name_ar = forms.CharField(
        label=NAME_LABELS["ar"],
        max_length=MAX_NAME_CHARS,
        widget=forms.TextInput(attrs={"lang": "ar", "dir": "rtl"}),
    )
    name_fr = forms.CharField(
        label=NAME_LABELS["fr"],
        max_length=MAX_NAME_CHARS,
        widget=forms.TextInput(attrs={"lang": "fr"}),
    )
    name_es = forms.CharField(
        label=NAME_LABELS["es"],
        max_length=MAX_NAME_CHARS,
        widget=forms.TextInput(attrs={"lang": "es"}),
    )
    order = forms.IntegerField(
        label=gettext_lazy("Order"),
        min_value=0,
        max_value=1_000_000,
        initial=0,
        help_text=gettext_lazy("Lists show lower numbers first."),
    )
    is_active = forms.BooleanField(
        label=gettext_lazy("Active: people can choose it in a new report."),
        required=False,
        initial=True,
    )

    def details(self) -> CategoryDetails:
        data = self.cleaned_data
        return CategoryDetails(
            names={language: data[f"name_{language}"] for language in LANGUAGES},
            order=data["order"],
            is_active=data["is_active"],
        )

    def refused(self, error: CategoryInvalid) -> None:
        self.add_error(error.field if error.field in self.fields else None, error.message)


class NewCategoryForm(CategoryForm):
    key = forms.CharField(
        label=gettext_lazy("Key"),
        max_length=MAX_KEY_CHARS,
        help_text=gettext_lazy(
            "Exports and the API name the category by its key. It cannot be changed later."
        ),
    )
    field_order = ["key", "name_en", "name_ar", "name_fr", "name_es", "order", "is_active"]


class PresetForm(forms.Form):
    preset = forms.ChoiceField(label=gettext_lazy("Preset"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        preset_field = self.fields["preset"]
        assert isinstance(preset_field, forms.ChoiceField)
        preset_field.choices = [(key, chosen.title) for key, chosen in PRESETS.items()]


def category_groups() -> list[dict[str, Any]]:
    """The categories by preset, shipped presets first in their order, then those added here."""
    categories = Category.objects.annotate(report_count=Count("reports")).order_by("order", "key")
    by_preset: dict[str, list[Category]] = {}
    for category in categories:
        by_preset.setdefault(category.preset, []).append(category)
    groups = []
    for key, chosen in PRESETS.items():
        if key in by_preset:
            groups.append({"title": chosen.title, "categories": by_preset.pop(key)})
    for key, members in sorted(by_preset.items(), key=lambda item: (item[0] == "", item[0])):
        title = _("Added by coordinators") if key == "" else key
        groups.append({"title": title, "categories": members})
    return groups


def preset_rows() -> list[dict[str, Any]]:
    present = set(Category.objects.values_list("key", flat=True))
    return [
        {
            "title": chosen.title,
            "total": len(chosen.terms),
            "loaded": sum(term.key in present for term in chosen.terms),
        }
        for chosen in PRESETS.values()
    ]


@never_cache
@permission_required(CHANGE, raise_exception=True)
def category_list_view(request: HttpRequest) -> HttpResponse:
    context = {
        "groups": category_groups(),
        "presets": preset_rows(),
        "preset_form": PresetForm(),
        "can_add": request.user.has_perm(ADD),
    }
    return render(request, "staff/categories/list.html", context)


@never_cache
@permission_required((CHANGE, ADD), raise_exception=True)
def category_create_view(request: HttpRequest) -> HttpResponse:
    form = NewCategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            category = create_category(
                signed_in_staff(request), form.cleaned_data["key"], form.details()
            )
        except CategoryInvalid as error:
            form.refused(error)
        else:
            messages.success(
                request,
                _("The category %(key)s has been added.") % {"key": category.key},
            )
            return redirect("staff:categories")
    return render(request, "staff/categories/create.html", {"form": form})


@never_cache
@permission_required(CHANGE, raise_exception=True)
def category_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    category = get_object_or_404(Category.objects.annotate(report_count=Count("reports")), pk=pk)
    initial: dict[str, Any] = {f"name_{code}": name for code, name in category.names().items()}
    initial.update(order=category.order, is_active=category.is_active)
    form = CategoryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            update_category(signed_in_staff(request), category, form.details())
        except CategoryInvalid as error:
            form.refused(error)
        else:
            messages.success(
                request,
                _("The category %(key)s has been saved.") % {"key": category.key},
            )
            return redirect("staff:categories")
    return render(request, "staff/categories/edit.html", {"category": category, "form": form})


@require_POST
@permission_required((CHANGE, ADD), raise_exception=True)
def category_load_preset_view(request: HttpRequest) -> HttpResponse:
    form = PresetForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the presets to load."))
        return redirect("staff:categories")
    added = load_preset_for(signed_in_staff(request), form.cleaned_data["preset"])
    if added:
        messages.success(
            request,
            ngettext(
                "The preset has been loaded: %(count)d category was added.",
                "The preset has been loaded: %(count)d categories were added.",
                added,
            )
            % {"count": added},
        )
    else:
        messages.success(
            request, _("Every category of this preset is already here. Nothing was added.")
        )
    return redirect("staff:categories")


urlpatterns: list[URLPattern] = [
    path("categories/", category_list_view, name="categories"),
    path("categories/new/", category_create_view, name="category_create"),
    path("categories/presets/", category_load_preset_view, name="category_load_preset"),
    path("categories/<int:pk>/", category_edit_view, name="category_edit"),
]
