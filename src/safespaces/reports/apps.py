from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "safespaces.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from safespaces.outbox.jobs import register_job
        from safespaces.reports import (
            category_keys,  # noqa: F401  (connects its signals)
            checks,  # noqa: F401  (registers the system checks)
            export_jobs,
        )
        from safespaces.reports.retention import (
            PURGE_EVERY_SECONDS,
            PURGE_JOB,
            purge_expired_contacts,
        )

        register_job(PURGE_JOB, PURGE_EVERY_SECONDS, purge_expired_contacts)
        register_job(
            export_jobs.RUN_JOB, export_jobs.RUN_EVERY_SECONDS, export_jobs.run_export_slice
        )
        register_job(
            export_jobs.PURGE_JOB,
            export_jobs.PURGE_EVERY_SECONDS,
            export_jobs.purge_expired_exports,
        )
