from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "safespaces.conversations"
    label = "conversations"
    verbose_name = _("Conversations")

    def ready(self) -> None:
        from safespaces.conversations import handlers  # noqa: F401  (registers the commands)
