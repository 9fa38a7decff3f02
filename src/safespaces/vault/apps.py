from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VaultConfig(AppConfig):
    name = "safespaces.vault"
    label = "vault"
    verbose_name = _("Vault")

    def ready(self) -> None:
        from safespaces.vault import checks  # noqa: F401  (registers the system checks)
