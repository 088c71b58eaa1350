"""What the views return: the case or its events paired with who looks at them (the response schemas do
the rest). Staff in reach get the full view of a case, the citizen who asked the public one."""

from __future__ import annotations

from collections.abc import Iterable

from suban.accounts.models import User
from suban.cases.models import Case, CaseEvent
from suban.cases.visibility import Seen


def case_out(case: Case, viewer: User) -> Seen:
    """`case` comes with its relations loaded (suban.cases.selectors.with_detail)."""
    return Seen(case, viewer)


def events_out(events: Iterable[CaseEvent], viewer: User) -> list[Seen]:
    return [Seen(e, viewer) for e in events]
