from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "safespaces.outbox"
    label = "outbox"
    verbose_name = _("Outbox")

    def ready(self) -> None:
        from safespaces.outbox import checks  # noqa: F401  (registers the system checks)
        from safespaces.outbox.attempts import PRUNE_EVERY_SECONDS, prune_attempts
        from safespaces.outbox.gateways.registry import load_gateway_modules
        from safespaces.outbox.jobs import register_job
        from safespaces.outbox.maintenance import ANALYZE_EVERY_SECONDS, refresh_planner_statistics
        from safespaces.outbox.retention import (
            PURGE_EVERY_SECONDS,
            PURGE_JOB,
            purge_finished_messages,
        )
        from safespaces.outbox.worker import prune_heartbeats

        load_gateway_modules()
        register_job("outbox:prune_heartbeats", 3600, prune_heartbeats)
        register_job("outbox:prune_attempts", PRUNE_EVERY_SECONDS, prune_attempts)
        register_job("database:analyze", ANALYZE_EVERY_SECONDS, refresh_planner_statistics)
        register_job(PURGE_JOB, PURGE_EVERY_SECONDS, purge_finished_messages)
