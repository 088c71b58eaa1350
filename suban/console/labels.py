"""Words for the lifecycle's actions: kept with the lifecycle (suban.cases.labels), whose refusals name them too."""

from suban.cases.labels import ACTION_LABELS, EVENT_LABELS, action_label, event_label

__all__ = ["ACTION_LABELS", "EVENT_LABELS", "action_label", "event_label"]
