"""Signals of the case engine, for the apps beside it that react to a case's steps (notifications)."""

from django.dispatch import Signal

# Sent by services.core.commit inside the action's transaction, right after the CaseEvent is written:
# case, event. A receiver may write rows of its own there (an outbox), which then commit or roll back
# with the action; it must not send anything itself, and raising rolls the action back.
event_recorded = Signal()
