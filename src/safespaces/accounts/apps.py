from __future__ import annotations

from typing import Any

from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def sync_roles_after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    # Permissions of every app exist only once each app's post_migrate ran: wait for the last
    # app that gets the signal (apps without models get none).
    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if sender is not with_models[-1]:
        return
    from safespaces.accounts.roles import sync_role_groups

    sync_role_groups()


class AccountsConfig(AppConfig):
    name = "safespaces.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="accounts.sync_roles")
