"""The map's kept counts always equal a count of the public reports themselves."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from django.db.models import Count

from safespaces.accounts.models import User
from safespaces.geo.privacy import PUBLIC_RESOLUTIONS
from safespaces.reports import map_cells
from safespaces.reports.actions import (
    TransitionRefused,
    archive_report,
    load_preset,
    merge_reports,
    publish_report,
    reject_report,
    submit_report,
    update_report_categories,
    verify_report,
    withdraw_public_consent,
)
from safespaces.reports.models import Category, MapCell, Report
from tests.reports.submissions import a_submission

pytestmark = pytest.mark.django_db


def counted_from_reports() -> Counter[tuple[int, int, str]]:
    public = Report.objects.filter(
        status=Report.Status.PUBLISHED, consent_public=True, public_latitude__isnull=False
    )
    counted: Counter[tuple[int, int, str]] = Counter()
    for resolution in PUBLIC_RESOLUTIONS:
        column = f"public_cell_{resolution}"
        for cell, n in public.values_list(column).annotate(n=Count("pk")).order_by():
            counted[(resolution, cell, "")] += n
        rows = public.values_list(column, "categories__key").annotate(n=Count("pk")).order_by()
        for cell, key, n in rows:
            counted[(resolution, cell, key)] += n
    return counted


def kept() -> Counter[tuple[int, int, str]]:
    rows = MapCell.objects.values_list("resolution", "cell", "category_key", "count")
    return Counter({(resolution, cell, key): n for resolution, cell, key, n in rows})


def random_change(rng: random.Random, reports: list[Report], keys: list[str], bob: User) -> None:
    report = Report.objects.get(pk=rng.choice(reports).pk)
    change = rng.choice(
        ("publish", "verify", "reject", "archive", "categories", "merge", "withdraw")
    )
    try:
        if change == "publish":
            publish_report(report, bob)
        elif change == "verify":
            verify_report(report, bob)
        elif change == "reject":
            reject_report(report, bob, "Not an incident.")
        elif change == "archive":
            archive_report(report, bob)
        elif change == "categories":
            update_report_categories(report, bob, rng.sample(keys, k=rng.choice((1, 2))))
        elif change == "merge":
            merge_reports(report, Report.objects.get(pk=rng.choice(reports).pk), bob)
        else:
            withdraw_public_consent(report, bob)
    except TransitionRefused:
        pass


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kept_counts_follow_every_action(bob: User, seed: int) -> None:
    keys = [category.key for category in load_preset("street_harassment")][:4]
    rng = random.Random(seed)
    reports = []
    for _ in range(12):
        # Points spread over a few kilometres, so reports share some cells and not others.
        point = {"latitude": 30.03 + rng.random() * 0.04, "longitude": 31.22 + rng.random() * 0.04}
        chosen = rng.sample(keys, k=rng.choice((1, 2)))
        reports.append(submit_report(a_submission(categories=chosen, **point)))
    for _ in range(80):
        random_change(rng, reports, keys, bob)
        assert kept() == counted_from_reports()
    assert kept()  # the walk published something: the comparison was not of two empty maps


def test_rebuild_recounts_what_the_actions_kept(bob: User) -> None:
    load_preset("street_harassment")
    key = Category.objects.order_by("order").values_list("key", flat=True)[0]
    for _ in range(3):
        publish_report(submit_report(a_submission(categories=[key])), bob)
    by_actions = kept()
    MapCell.objects.update(count=999)  # drifted, somehow
    map_cells.rebuild()
    assert kept() == by_actions == counted_from_reports()
    for resolution in PUBLIC_RESOLUTIONS:  # each report counts once per resolution and key
        assert (
            sum(n for (res, _cell, k), n in by_actions.items() if (res, k) == (resolution, key))
            == 3
        )
