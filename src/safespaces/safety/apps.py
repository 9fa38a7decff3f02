from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyConfig(AppConfig):
    name = "safespaces.safety"
    label = "safety"
    verbose_name = _("Safety")

    def ready(self) -> None:
        from safespaces.outbox.jobs import register_job
        from safespaces.safety import canary
        from safespaces.safety.engine import ESCALATE_EVERY_SECONDS, run_due

        register_job("safety:escalate", ESCALATE_EVERY_SECONDS, run_due)
        register_job("safety:canary", canary.SEND_EVERY_SECONDS, canary.send_canaries)
        register_job("safety:canary_check", canary.CHECK_EVERY_SECONDS, canary.check_canaries)
