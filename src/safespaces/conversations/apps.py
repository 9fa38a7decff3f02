from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "safespaces.conversations"
    label = "conversations"
    verbose_name = _("Conversations")

    def ready(self) -> None:
        from safespaces.conversations import handlers  # noqa: F401  (registers the commands)
        from safespaces.conversations.retention import (
            PURGE_EVERY_SECONDS,
            PURGE_JOB,
            purge_old_conversations,
        )
        from safespaces.conversations.routing import IDLE_POLL_SECONDS, TASK, Gatherer
        from safespaces.conversations.voice import jobs  # noqa: F401  (registers hotline jobs)
        from safespaces.outbox.jobs import register_job, register_turn_task

        register_job(PURGE_JOB, PURGE_EVERY_SECONDS, purge_old_conversations)
        register_turn_task(TASK, Gatherer(), IDLE_POLL_SECONDS)
