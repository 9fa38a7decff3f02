from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "safespaces.places"
    label = "places"
    verbose_name = _("Places")

    def ready(self) -> None:
        from safespaces.places import search  # noqa: F401  (connects the index's signals)
