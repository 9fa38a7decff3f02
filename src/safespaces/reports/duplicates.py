"""Likely duplicates of a report: same or neighbouring area, close in time, similar words."""

from __future__ import annotations

import datetime
import difflib
from dataclasses import dataclass

import h3

from safespaces.reports.models import Report

# Reports about the same incident are often a day or two apart in what people remember.
TIME_WINDOW = datetime.timedelta(days=2)
# Words weigh more than categories: two reporters pick categories differently more often.
TEXT_WEIGHT = 0.7
CATEGORY_WEIGHT = 0.3
# The newest candidates are compared; an area and four days seldom hold more.
MAX_CANDIDATES = 200
SUGGESTED = 10


@dataclass(frozen=True)
class DuplicateSuggestion:
    report: Report
    text_similarity: float
    category_overlap: float

    @property
    def score(self) -> float:
        return TEXT_WEIGHT * self.text_similarity + CATEGORY_WEIGHT * self.category_overlap


def neighbouring_cells(area_cell: int) -> list[int]:
    """The area cell and the ring of cells around it."""
    return [h3.str_to_int(cell) for cell in h3.grid_disk(h3.int_to_str(area_cell), 1)]


def text_similarity(first: str, second: str) -> float:
    if not first.strip() or not second.strip():
        return 0.0
    matcher = difflib.SequenceMatcher(None, first.casefold().split(), second.casefold().split())
    return matcher.ratio()


def category_overlap(first: set[str], second: set[str]) -> float:
    """Shared categories over all categories of the two (Jaccard); 0 when neither has one."""
    union = first | second
    return len(first & second) / len(union) if union else 0.0


def candidates(report: Report) -> list[Report]:
    if report.area_cell is None:
        return []
    return list(
        Report.objects.filter(
            area_cell__in=neighbouring_cells(report.area_cell),
            occurred_on__gte=report.occurred_on - TIME_WINDOW,
            occurred_on__lte=report.occurred_on + TIME_WINDOW,
            merged_into__isnull=True,
        )
        .exclude(pk=report.pk)
        .defer("exact_point", "contact")
        .prefetch_related("categories")
        .order_by("-created_at")[:MAX_CANDIDATES]
    )


def suggest_duplicates(report: Report, limit: int = SUGGESTED) -> list[DuplicateSuggestion]:
    """Reports that may tell the same incident, the likeliest first."""
    keys = set(report.categories.values_list("key", flat=True))
    suggestions = [
        DuplicateSuggestion(
            report=candidate,
            text_similarity=text_similarity(report.description, candidate.description),
            category_overlap=category_overlap(
                keys, {category.key for category in candidate.categories.all()}
            ),
        )
        for candidate in candidates(report)
    ]
    suggestions.sort(key=lambda suggestion: suggestion.score, reverse=True)
    return suggestions[:limit]
