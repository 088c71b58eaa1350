from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "suban.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from suban.cases.notices import on_events_recorded
        from suban.cases.paths import follow_unit_move
        from suban.cases.signals import events_recorded
        from suban.org.signals import unit_moved

        unit_moved.connect(follow_unit_move, dispatch_uid="cases.follow_unit_move")
        # Which step tells whom what: the messages wait in the outbox (suban.notify) until the step commits.
        events_recorded.connect(on_events_recorded, dispatch_uid="notify.on_events_recorded")
