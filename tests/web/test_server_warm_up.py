"""A web process builds its safe-space index before its first request."""

from __future__ import annotations

import gc
import logging

import pytest

from safespaces.places import search
from safespaces.web.server import server_options, warm_up


class Worker:
    """What gunicorn hands its post_worker_init hook, as far as warm_up uses it."""

    log = logging.getLogger("test-worker")


@pytest.mark.django_db
def test_the_hook_builds_the_index_before_any_search() -> None:
    search.forget_index()
    assert search._current.index is None
    assert server_options("127.0.0.1:0")["post_worker_init"] is warm_up
    warm_up(Worker())
    assert search._current.index is not None


@pytest.mark.django_db
def test_the_hook_leaves_what_it_built_out_of_garbage_collection() -> None:
    gc.unfreeze()
    try:
        warm_up(Worker())
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
