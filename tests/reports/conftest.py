from __future__ import annotations

import pytest

from safespaces.reports.actions import load_preset
from safespaces.reports.models import Category


@pytest.fixture
def categories(db: None) -> list[Category]:
    """The street-harassment categories, as a deployment starts with them."""
    return load_preset("street_harassment")
