"""Coordinators' changes to the SMS keywords (the console page calls these). Each is atomic,
validated and audited, and tells every process to reload its keyword table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from safespaces.audit.actions import record_event
from safespaces.conversations import keywords
from safespaces.conversations.models import CommandKeyword

if TYPE_CHECKING:
    from safespaces.accounts.models import User


def check_command(command: str, language: str) -> None:
    if command not in keywords.DEFAULT_KEYWORDS:
        raise keywords.InvalidKeyword(
            _("There is no SMS command called %(command)s.") % {"command": command}
        )
    if language not in keywords.LANGUAGES:
        raise keywords.InvalidKeyword(
            _("Keywords can be set for English, Arabic, French and Spanish only.")
        )


def clean_word(word: str) -> str:
    """The word as stored (trimmed), or InvalidKeyword when it is not one usable word."""
    cleaned = word.strip()
    if not cleaned or len(cleaned.split()) != 1:
        raise keywords.InvalidKeyword(_("A keyword is one word, without spaces."))
    if len(cleaned) > keywords.MAX_KEYWORD_CHARS:
        raise keywords.InvalidKeyword(
            _("A keyword has at most %(limit)d characters.") % {"limit": keywords.MAX_KEYWORD_CHARS}
        )
    if not keywords.fold(cleaned):
        raise keywords.InvalidKeyword(_("A keyword needs at least one letter or digit."))
    return cleaned


def check_free(command: str, words: list[str]) -> None:
    """No word may already start another command (in any language), but END <PIN> and END."""
    effective = keywords.effective_keywords()
    seen: set[str] = set()
    for word in words:
        folded = keywords.fold(word)
        if folded in seen:
            raise keywords.InvalidKeyword(
                _("The keyword %(word)s is listed twice.") % {"word": word}
            )
        seen.add(folded)
        owner = keywords.clashing_command(command, folded, effective)
        if owner is not None:
            raise keywords.InvalidKeyword(
                _("The keyword %(word)s already starts the %(command)s command.")
                % {"word": word, "command": owner}
            )


@transaction.atomic
def set_keywords(command: str, language: str, words: list[str], actor: User | None) -> None:
    """Replace the keywords of a command in a language; an empty list restores the defaults."""
    check_command(command, language)
    cleaned = [clean_word(word) for word in words]
    check_free(command, cleaned)
    CommandKeyword.objects.filter(command=command, language=language).delete()
    owners: dict[str, set[str]] = {}
    for row in CommandKeyword.objects.exclude(command=command, language=language):
        owners.setdefault(keywords.fold(row.word), set()).add(row.command)
    for word in cleaned:
        folded = keywords.fold(word)
        if any(not keywords.may_share(folded, command, owner) for owner in owners.get(folded, ())):
            raise keywords.InvalidKeyword(
                _("The keyword %(word)s is already set for another language.") % {"word": word}
            )
        CommandKeyword.objects.create(command=command, language=language, word=word)
    record_event("keyword:set", actor, command, {"language": language, "words": cleaned})
    keywords.changed()


def add_keyword(command: str, language: str, word: str, actor: User | None) -> None:
    """One more keyword for a command in a language (the words in force stay)."""
    current = list(keywords.effective_keywords().get(command, {}).get(language, ()))
    set_keywords(command, language, [*current, word], actor)


def remove_keyword(command: str, language: str, word: str, actor: User | None) -> None:
    """One keyword fewer; removing the last one brings the defaults back."""
    current = keywords.effective_keywords().get(command, {}).get(language, ())
    folded = keywords.fold(word)
    set_keywords(
        command, language, [kept for kept in current if keywords.fold(kept) != folded], actor
    )
