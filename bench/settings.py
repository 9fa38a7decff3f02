"""Settings for benchmark servers: SafeSpaces as it is, plus the bare comparison view."""

from safespaces.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
