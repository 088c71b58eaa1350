from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntelConfig(AppConfig):
    name = "suban.intel"
    label = "intel"
    verbose_name = _("Intelligence")

    def ready(self) -> None:
        from suban.cases.signals import events_recorded
        from suban.intel.receivers import on_events_recorded

        events_recorded.connect(on_events_recorded, dispatch_uid="intel.auto_route.many")
