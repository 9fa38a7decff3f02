"""The active categories' keys and ids, remembered in-process for a minute.

Every report checks its categories and links them; the taxonomy changes a few times a year.
A change in this process is seen at once (signals below); other processes see it within
ACTIVE_SECONDS.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from safespaces.recent import RecentAnswers
from safespaces.reports.models import Category

ACTIVE_SECONDS = 60.0

_active: RecentAnswers[str, dict[str, int]] = RecentAnswers(1, ACTIVE_SECONDS)


def active_category_ids() -> dict[str, int]:
    """Key -> id of every active category."""
    remembered = _active.get("active")
    if remembered is not None:
        return remembered
    found = dict(Category.objects.filter(is_active=True).values_list("key", "pk"))
    _active.put("active", found)
    return found


def forget_categories() -> None:
    _active.clear()


@receiver(post_save, sender=Category)
@receiver(post_delete, sender=Category)
def category_changed(**kwargs: Any) -> None:
    forget_categories()
    transaction.on_commit(forget_categories)
