"""`safespaces serve`: gunicorn for the web, and a worker process beside it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from safespaces.web.server import WebServer, server_options

WORKER_STOP_SECONDS = 30


class Command(BaseCommand):
    help = "Serve SafeSpaces with gunicorn, with a worker process beside it unless --no-worker."
    requires_system_checks: list[str] = []  # run below, with --deploy in production

    def add_arguments(self, parser: ArgumentParser) -> None:
        port = os.environ.get("PORT", "8000")
        parser.add_argument(
            "--bind",
            default=f"127.0.0.1:{port}",
            help="Address to listen on (default: %(default)s).",
        )
        parser.add_argument(
            "--no-worker", action="store_true", help="Do not start a worker beside the web server."
        )
        parser.add_argument(
            "--no-migrate",
            action="store_true",
            help="Do not apply database migrations first (run them as a release step instead).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("check", deploy=settings.SAFESPACES_PRODUCTION, fail_level="ERROR")
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
            call_command("createcachetable", verbosity=0)
        if settings.SAFESPACES_PRODUCTION:
            call_command("collectstatic", interactive=False, verbosity=0)
        worker = None if options["no_worker"] else start_worker()
        bind = options["bind"]
        self.stdout.write(
            f"SafeSpaces is serving on http://{bind}/"
            + ("" if worker is None else " with a worker beside it")
            + ". Press Ctrl+C to stop."
        )
        try:
            WebServer(server_options(bind)).run()
        except SystemExit as stop:
            if stop.code not in (0, None):
                raise CommandError(f"The web server stopped with status {stop.code}.") from None
        finally:
            if worker is not None:
                stop_worker(worker)


def start_worker() -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "safespaces", "worker"])


def stop_worker(worker: subprocess.Popen[bytes]) -> None:
    """Ask the worker to finish its current job and stop; kill it if it will not."""
    if worker.poll() is not None:
        return
    worker.send_signal(signal.SIGTERM)
    try:
        worker.wait(WORKER_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()
