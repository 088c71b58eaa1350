"""The machine's setup and rules: cases submitted and walked along the usual path, batches taken in, time
passing, the deadline clock, and actions tried on the cases."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import initialize, precondition, rule

from suban import crypto
from suban.cases import deadlines, services
from suban.cases.clock import run_clock
from suban.cases.lifecycle import BY_ACTION, allowed, relations
from suban.cases.models import Case, Status
from suban.errors import Conflict, DomainError, Forbidden, Invalid
from tests.cases.lifecycle_machine.model import ActionModel
from tests.cases.lifecycle_machine.world import ACTIONS, ACTORS, BATCH, STARTS, TALLY, VERSIONS, Footprint, blank


class Rules(ActionModel):
    """The steps the machine takes; after each one the invariants are checked."""

    # --- setup -----------------------------------------------------------------------------------------

    @initialize(start=st.sampled_from(STARTS), progress=st.lists(st.integers(0, 10), min_size=3, max_size=3))
    def start(self, start: datetime, progress: list[int]) -> None:
        """Three cases, each taken some way along the usual path so that every state is soon reached."""
        self.time.set(start)
        # Cindy's street light in S1C1G1 (a livelihood case: it goes to the community S1C1, to carol).
        self.submit("cindy", title="路灯不亮", longitude=120.005, latitude=36.005)
        # Chen, anonymously, about a building site in S2C1G1 (development: it goes to the street S2, to bob).
        self.submit(
            "chen", title="工地夜间施工", case_type="development", longitude=119.985, latitude=36.005, anonymous=True
        )
        # A hotline call with no place and no citizen: the dispatcher sends it to gary's grid by hand.
        self.submit("dora", title="热线来电", channel="hotline", contact_phone="0532-88886666", urgency="urgent")
        for pk, (lead, owner, unit), steps in zip(
            self.cases,
            [("carol", "cindy", None), ("bob", "sam", None), ("gary", "sam", "S1C1G1")],
            progress,
            strict=True,
        ):
            self.walk(pk, steps, lead=lead, owner=owner, unit=unit)

    def walk(self, pk: int, steps: int, *, lead: str, owner: str, unit: str | None) -> None:
        dora, sam, handler, rater = (self.people[n] for n in ("dora", "sam", lead, owner))
        path: list[Callable[[Case], Any]] = [
            lambda c: services.case_accept(case=c, by=dora),
            lambda c: services.case_dispatch(case=c, by=dora, unit=self.unit(unit), co_units=[self.units["DEPT1"]]),
            lambda c: services.case_claim(case=c, by=handler),
            lambda c: services.case_request_extension(case=c, by=handler, days=2, reason="需协调"),
            lambda c: services.case_decide_extension(case=c, by=sam, approve=True),
            lambda c: services.case_hold(case=c, by=sam, reason="等待鉴定"),
            lambda c: services.case_resume(case=c, by=sam),
            lambda c: services.case_reply(case=c, by=handler, reply="已处理"),
            lambda c: services.case_review_reply(case=c, by=dora, approve=True),
            lambda c: services.case_rate(case=c, by=rater, satisfaction="unsatisfied", resolved=False),
        ]
        for step in path[:steps]:
            step(self.fresh(pk))
            self.time.advance(hours=5)

    # --- rules -----------------------------------------------------------------------------------------

    @precondition(lambda self: len(self.cases) < 6)
    @rule(
        by=st.sampled_from(ACTORS),
        title=st.sampled_from(["", "  ", "井盖缺失", "噪音扰民"]),
        place=st.sampled_from([None, (120.015, 36.005), (119.985, 36.005), (120.005, None)]),
        case_type=st.sampled_from(["livelihood", "development"]),
        urgency=st.sampled_from(["normal", "urgent", "critical"]),
        phone=st.sampled_from(["", "13800000009", "+86 138-0000-0009", "12345"]),
    )
    def submit_one(
        self,
        by: str | None,
        title: str,
        place: tuple[float, float | None] | None,
        case_type: str,
        urgency: str,
        phone: str,
    ) -> None:
        actor = self.who(by)
        expected: type[DomainError] | None = None
        if actor is not None and not actor.is_citizen and (actor.admin_role or not actor.roles):
            expected = Forbidden
        elif blank(title) or (place is not None and place[1] is None):
            expected = Invalid
        elif phone:
            try:
                crypto.normalize_phone(phone)
            except Invalid:
                expected = Invalid
        before = Footprint.take()
        lon, lat = place if place is not None else (None, None)
        try:
            case = self.submit(
                by,
                title=title,
                case_type=case_type,
                urgency=urgency,
                longitude=lon,
                latitude=lat,
                contact_phone=phone,
            )
        except DomainError as exc:
            assert expected is not None and isinstance(exc, expected), f"submit refused: {exc!r}"
            assert Footprint.take() == before
            return
        assert expected is None, f"submit should have failed with {expected.__name__}"
        case.refresh_from_db()
        assert case.status == Status.NEW and case.version == 1
        assert case.unit == self.units["D"] and len(case.number) == 13
        assert case.citizen_id == (actor.pk if actor is not None and actor.is_citizen else None)
        if phone:
            assert case.contact_phone == crypto.normalize_phone(phone)
            assert crypto.normalize_phone(phone) not in case.contact_phone_encrypted

    @precondition(lambda self: len(self.cases) < 6)
    @rule(
        by=st.sampled_from(["dora", "dora", "dora", "carol", "cindy", "sysadmin"]),
        picks=st.lists(st.integers(0, len(BATCH) - 1), min_size=1, max_size=3),
    )
    def take_in_batch(self, by: str, picks: list[int]) -> None:
        """A hotline's batch through intake_many: all its orders taken in (and dispatched), or none."""
        actor = self.who(by)
        orders = [BATCH[i][0](self.units) for i in picks]
        expected: type[DomainError] | None = None
        if (
            actor.is_citizen
            or actor.admin_role
            or not actor.roles
            or (any(o.get("dispatch") for o in orders) and "dispatcher" not in actor.roles)
        ):
            expected = Forbidden
        elif not all(BATCH[i][1] for i in picks):
            expected = Invalid  # OrdersInvalid
        before = Footprint.take()
        try:
            taken = services.intake_many(by=actor, orders=orders)
        except DomainError as exc:
            assert expected is not None and isinstance(exc, expected), f"batch refused: {exc!r}"
            assert Footprint.take() == before
            return
        assert expected is None, f"the batch should have failed with {expected.__name__}"
        TALLY["batch"] = TALLY.get("batch", 0) + 1
        for order, t in zip(orders, taken, strict=True):
            assert t.created
            case = self.fresh(t.case.pk)
            assert (case.status, case.version) == ((Status.DISPATCHED, 3) if order.get("dispatch") else (Status.NEW, 1))
            self.cases.append(case.pk)

    @rule(hours=st.sampled_from([1, 3, 8, 20, 30, 49, 75, 0, 0]))
    def wait(self, hours: int) -> None:
        """Let time pass: some hours, or (0) until a minute after the next moment the clock must look."""
        if hours:
            self.time.advance(hours=hours)
            return
        pending = Case.objects.filter(next_check_at__isnull=False).order_by("next_check_at").first()
        if pending is not None and pending.next_check_at is not None and pending.next_check_at > self.now:
            self.time.set(pending.next_check_at + timedelta(minutes=1))

    @rule()
    def tick(self) -> None:
        now = self.now
        run = run_clock(now)
        TALLY["warn"] = TALLY.get("warn", 0) + run.warned
        TALLY["overdue"] = TALLY.get("overdue", 0) + run.overdue
        assert run.skipped == 0, run
        for case in Case.objects.filter(status__in=[Status.DISPATCHED, Status.IN_PROGRESS, Status.RETURNED]):
            assert case.alert == deadlines.current_alert(case, now), case.number
            assert case.next_check_at is None or case.next_check_at > now, case.number
        before = Footprint.take()
        again = run_clock(now)
        assert (again.warned, again.overdue) == (0, 0), again
        assert Footprint.take() == before

    ACT: dict[str, Any] = {
        "i": st.integers(0, 5),
        "steer": st.sampled_from([True, True, True, True, False]),
        "version": VERSIONS,
        "stale": st.sampled_from(["fresh", "fresh", "fresh", "keep", "use"]),
        "data": st.data(),
    }

    @rule(**ACT)
    def act(self, i: int, steer: bool, version: str, stale: str, data: st.DataObject) -> None:
        """One action on one case: mostly one the table allows to someone now, sometimes anything by anyone."""
        self.attempt(i, steer, version, stale, data)

    @rule(**ACT)
    def act_once_more(self, i: int, steer: bool, version: str, stale: str, data: st.DataObject) -> None:
        self.attempt(i, steer, version, stale, data)

    @rule(**ACT)
    def act_again(self, i: int, steer: bool, version: str, stale: str, data: st.DataObject) -> None:
        """The same rule twice, so that actions outnumber waiting and ticking."""
        self.attempt(i, steer, version, stale, data)

    def attempt(self, i: int, steer: bool, version: str, copy: str, data: st.DataObject) -> None:
        """copy: act on a fresh copy; or keep this fresh copy for later; or act on a copy kept earlier."""
        pk = self.cases[i % len(self.cases)]
        case_before = self.fresh(pk)
        stale = self.snapshots.get(pk) if copy == "use" else None
        if stale is not None and stale.version == case_before.version:
            stale = None
        target = stale if stale is not None else self.fresh(pk)
        if copy == "keep":
            self.snapshots[pk] = self.fresh(pk)
        pairs = self.allowed_pairs(case_before) if steer else []
        if pairs and data.draw(st.sampled_from([True, True, True, False]), label="spare the case"):
            # Declining and merging end a case's life: keep most cases alive for the later actions.
            pairs = [p for p in pairs if p[0] not in ("decline", "merge")] or pairs
        if pairs:
            action = data.draw(st.sampled_from(sorted({a for a, _ in pairs}, key=ACTIONS.index)), label="action")
            by = data.draw(st.sampled_from([b for a, b in pairs if a == action]), label="actor")
        else:
            action = data.draw(st.sampled_from(ACTIONS), label="action")
            by = data.draw(st.sampled_from(ACTORS), label="actor")
        actor = self.who(by)
        kwargs, call, table_action, predicted = self.prepare(action, case_before, actor, data)
        if version == "current":
            kwargs["expected_version"] = target.version
        elif version == "stale":
            kwargs["expected_version"] = case_before.version - 1

        transition = BY_ACTION[table_action]
        if version == "stale":
            expected: type[DomainError] | None = Conflict
        elif not transition.actors & relations(case_before, actor):
            expected = Forbidden
        elif case_before.status not in transition.sources:
            expected = Conflict
        else:
            assert allowed(case_before, table_action, actor)
            expected = predicted

        before = Footprint.take()
        now = self.now
        try:
            result = call(case=target, by=actor, **kwargs)
        except DomainError as exc:
            # (d) a refusal writes nothing at all.
            assert Footprint.take() == before, f"{action} failed with {exc!r} but wrote"
            if stale is None:
                # The caller's copy is left as the database has it (no half-applied change in memory).
                assert {k: v for k, v in target.__dict__.items() if not k.startswith("_")} == {
                    k: v for k, v in self.fresh(pk).__dict__.items() if not k.startswith("_")
                }, f"{action} failed with {exc!r} but changed the caller's copy"
                assert expected is not None, f"{action} by {by} refused: {exc!r}"
                assert isinstance(exc, expected), f"{action} by {by}: {exc!r}, expected {expected.__name__}"
            return
        assert stale is None, f"{action} on a stale copy succeeded"
        assert expected is None, f"{action} by {by} succeeded; expected {expected.__name__}"
        TALLY[table_action] = TALLY.get(table_action, 0) + 1
        self.after_success(table_action, case_before, actor, kwargs, result, before, now)
