from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "suban.notify"
    label = "notify"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from suban.cases.signals import event_recorded, events_recorded
        from suban.notify.rules import on_event_recorded, on_events_recorded

        event_recorded.connect(on_event_recorded, dispatch_uid="notify.on_event_recorded")
        events_recorded.connect(on_events_recorded, dispatch_uid="notify.on_events_recorded")
