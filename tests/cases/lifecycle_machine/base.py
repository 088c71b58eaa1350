"""The machine's state (its cases, the cast, the units, the frozen clock) and the helpers every part uses."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from hypothesis.stateful import RuleBasedStateMachine

from suban.cases import services
from suban.cases.models import Case
from suban.org.models import Unit
from tests.timing import FrozenTime


class MachineBase(RuleBasedStateMachine):
    """Each example runs inside a savepoint that is rolled back at its end."""

    people: dict[str, Any]
    units: dict[str, Unit]
    time: FrozenTime

    def __init__(self) -> None:
        super().__init__()
        self.savepoint = transaction.savepoint()
        self.cases: list[int] = []
        self.snapshots: dict[int, Case] = {}

    def teardown(self) -> None:
        transaction.savepoint_rollback(self.savepoint)

    # --- helpers ---------------------------------------------------------------------------------------

    @property
    def now(self) -> datetime:
        return self.time()

    def who(self, name: str | None) -> Any:
        return None if name is None else self.people[name]

    def unit(self, code: str | None) -> Unit | None:
        return None if code is None else self.units[code]

    def fresh(self, pk: int) -> Case:
        return Case.objects.select_related("unit", "grid").get(pk=pk)

    def submit(self, by: str | None, **kwargs: Any) -> Case:
        case = services.case_submit(by=self.who(by), **kwargs)
        self.cases.append(case.pk)
        return case
