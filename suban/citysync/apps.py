from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitysyncConfig(AppConfig):
    name = "suban.citysync"
    label = "citysync"
    verbose_name = _("City platform sync")

    def ready(self) -> None:
        from suban.cases import signals
        from suban.citysync.outbox import on_events_recorded

        signals.events_recorded.connect(on_events_recorded, dispatch_uid="citysync.on_events_recorded")
