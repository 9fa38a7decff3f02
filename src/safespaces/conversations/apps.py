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
        from safespaces.conversations.voice import jobs  # noqa: F401  (registers hotline jobs)
        from safespaces.outbox.jobs import register_job

        register_job(PURGE_JOB, PURGE_EVERY_SECONDS, purge_old_conversations)
