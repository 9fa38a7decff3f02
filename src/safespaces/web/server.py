"""Gunicorn, embedded: the production WSGI server behind `safespaces serve`."""

from __future__ import annotations

import gc
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from gunicorn.app.base import BaseApplication


def server_options(bind: str) -> dict[str, Any]:
    return {
        "bind": bind,
        "workers": settings.SAFESPACES_WEB_WORKERS,
        "worker_class": "gthread",
        "threads": settings.SAFESPACES_WEB_THREADS,
        # No access log: it would record every visitor's address and user agent.
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "timeout": 60,
        "graceful_timeout": 30,
        # A process is replaced after this many requests, a bound on any slow leak. Not
        # sooner: a new process imports Django and builds its indexes (seconds of CPU), and
        # its keep-alive clients must reconnect.
        "max_requests": 100_000,
        "max_requests_jitter": 10_000,
        "proc_name": "safespaces-web",
        "post_worker_init": warm_up,
    }


def warm_up(worker: Any) -> None:
    """Build in-process indexes before the first request, so no visitor waits for them
    (a web process is replaced every few thousand requests)."""
    from django.db import connections

    from safespaces.places.search import warm_index

    try:
        warm_index()
    except Exception as error:  # the first search builds it instead
        worker.log.warning("The safe-space index was not prepared: %s", type(error).__name__)
    finally:
        connections.close_all()
    # What exists now (Django, the index of every venue) lives as long as the process: the
    # collector need not walk it again on every full collection.
    gc.freeze()


class WebServer(BaseApplication):
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> WSGIHandler:
        from safespaces.wsgi import application

        return application
