"""Coordinators change the words that start each SMS command, in each language."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from safespaces.conversations import keywords
from safespaces.conversations.keyword_actions import set_keywords
from safespaces.conversations.labels import command_label
from safespaces.conversations.models import CommandKeyword
from safespaces.web.staff.account import signed_in_staff

if TYPE_CHECKING:
    from safespaces.accounts.models import User

CONFIGURE = "conversations.configure_keywords"
COMMANDS = (
    "report",
    "safe",
    "help",
    "panic",
    "discreet_panic",
    "ok",
    "checkin",
    "location",
    "end_alert",
    "ack",
    "language",
    "stop",
    "start",
)
LANGUAGE_LABELS = {
    "en": gettext_lazy("Words in English"),
    "ar": gettext_lazy("Words in Arabic"),
    "fr": gettext_lazy("Words in French"),
    "es": gettext_lazy("Words in Spanish"),
}
# Arabic writers separate lists with the Arabic comma.
SEPARATORS = re.compile(r"[,،]")
MAX_FIELD_CHARS = 400


def split_words(text: str) -> list[str]:
    return [word.strip() for word in SEPARATORS.split(text) if word.strip()]


class CommandKeywordsForm(forms.Form):
    """The words of one command, one comma-separated field per language."""

    def __init__(
        self,
        command: str,
        data: QueryDict | None = None,
        *,
        initial: dict[str, str] | None = None,
    ) -> None:
        super().__init__(data, initial=initial, prefix=command)
        self.command = command
        for language in keywords.LANGUAGES:
            attrs = {"lang": language, "dir": "rtl" if language == "ar" else "ltr"}
            self.fields[language] = forms.CharField(
                label=LANGUAGE_LABELS[language],
                required=False,
                max_length=MAX_FIELD_CHARS,
                widget=forms.TextInput(attrs=attrs),
            )

    def changed_words(
        self, in_force: dict[str, tuple[str, ...]], saved: set[tuple[str, str]]
    ) -> dict[str, list[str]]:
        """Language -> its new words, for the languages changed; [] brings the defaults back."""
        changed = {}
        for language in keywords.LANGUAGES:
            words = split_words(self.cleaned_data[language])
            defaults = keywords.DEFAULT_KEYWORDS[self.command].get(language, ())
            differs = folded(words or defaults) != folded(in_force.get(language, ()))
            restores = not words and (self.command, language) in saved
            if differs or restores:
                changed[language] = words
        return changed


def folded(words: list[str] | tuple[str, ...]) -> list[str]:
    return [keywords.fold(word) for word in words]


class LanguageRefused(Exception):
    def __init__(self, language: str, message: str) -> None:
        super().__init__(message)
        self.language = language
        self.message = message


def initial_words(in_force: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {language: ", ".join(in_force.get(language, ())) for language in keywords.LANGUAGES}


def saved_languages() -> set[tuple[str, str]]:
    """The (command, language) pairs whose words a coordinator saved (the rest are defaults)."""
    return set(CommandKeyword.objects.values_list("command", "language").distinct())


def save_command(
    form: CommandKeywordsForm, actor: User, in_force: dict[str, tuple[str, ...]]
) -> bool:
    """Save every changed language of the command, or none of them if one is refused."""
    try:
        with transaction.atomic():
            for language, words in form.changed_words(in_force, saved_languages()).items():
                try:
                    set_keywords(form.command, language, words, actor)
                except keywords.InvalidKeyword as refused:
                    raise LanguageRefused(language, str(refused)) from None
    except LanguageRefused as refused:
        form.add_error(refused.language, refused.message)
        return False
    return True


def command_cards(
    bound: CommandKeywordsForm | None, effective: dict[str, dict[str, tuple[str, ...]]]
) -> list[dict[str, Any]]:
    saved = saved_languages()
    cards = []
    for command in COMMANDS:
        in_force = effective.get(command, {})
        form = bound if bound is not None and bound.command == command else None
        if form is None:
            form = CommandKeywordsForm(command, initial=initial_words(in_force))
        rows = [
            {
                "field": form[language],
                "saved": (command, language) in saved,
                "defaults": ", ".join(keywords.DEFAULT_KEYWORDS[command].get(language, ())),
            }
            for language in keywords.LANGUAGES
        ]
        cards.append(
            {"command": command, "label": command_label(command), "form": form, "rows": rows}
        )
    return cards


@never_cache
@permission_required(CONFIGURE, raise_exception=True)
def keywords_view(request: HttpRequest) -> HttpResponse:
    effective = keywords.effective_keywords()
    bound = None
    command = request.POST.get("command", "")
    if request.method == "POST" and command in COMMANDS:
        bound = CommandKeywordsForm(command, request.POST)
        actor = signed_in_staff(request)
        if bound.is_valid() and save_command(bound, actor, effective.get(command, {})):
            messages.success(
                request,
                _("The keywords of the %(command)s command are saved.")
                % {"command": command_label(command)},
            )
            return redirect(reverse("staff:keywords") + f"#command-{command}")
    elif request.method == "POST":
        messages.error(request, _("Choose one of the commands to change its keywords."))
    context = {"cards": command_cards(bound, effective)}
    return render(request, "staff/keywords/page.html", context)


urlpatterns: list[URLPattern] = [path("keywords/", keywords_view, name="keywords")]
