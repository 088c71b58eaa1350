"""The assessment follows the case engine: every recorded event (and every batch of them from bulk intake)
brings the case's assessment row and the roll-ups up to date inside the action's transaction, so a failure
here rolls the action back and the figures never disagree with the cases."""

from __future__ import annotations

from typing import Any

from suban.assess.services import reassess, reassess_moved


def on_events_recorded(sender: Any, *, events: list[Any], **kwargs: Any) -> None:
    # A case whose first event is among these was made in this very step (a submit, an intake): all its events are
    # here, and it has neither an assessment row nor a ruling yet, so none need be read back.
    by_case: dict[int, list[Any]] = {}
    for event in events:
        by_case.setdefault(event.case.pk, []).append(event)
    made = {pk: sorted(found, key=lambda e: e.seq) for pk, found in by_case.items() if min(e.seq for e in found) == 1}
    reassess([event.case for event in events], made=made)


def on_unit_moved(sender: Any, *, old_path: str, new_path: str, **kwargs: Any) -> None:
    reassess_moved(new_path)


def connect() -> None:
    from suban.cases import signals
    from suban.org.signals import unit_moved

    signals.events_recorded.connect(on_events_recorded, dispatch_uid="assess.on_events_recorded")
    # After suban.cases (an earlier app) rewrote the cases' path copies: the moved subtree's cases count
    # in their new street from now on.
    unit_moved.connect(on_unit_moved, dispatch_uid="assess.on_unit_moved")
