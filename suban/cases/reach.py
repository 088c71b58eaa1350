"""Which cases a unit's staff reach, in one place: the condition every list of cases is queried with
(suban.cases.selectors: cases_visible_to, the inbox counts) and its twin for one case in hand (the lifecycle's
relations). A person's reach is their unit's subtree, the path P (suban.accounts.scope.reach_of).

A case lies in P when
- its lead unit lies in P, or a co-handling unit does. Until the dispatch centre sends a new request on, the
  district holds it (the first receiver is responsible, 首接负责, and the first receiver is the dispatch centre),
  so only the district's staff reach it; a grid worker's own report handled on the spot (即报即办) is held by
  their grid from that step;
- or its place lies in P and it has left the dispatch centre: a street or community follows what is handled
  in its area, whoever leads it, once it is dispatched (its status is not one of UNSENT);
unless it is a complaint about the staff of a unit whose subtree holds P: the unit complained about and every
unit under it never reach it, whatever they lead, co-handle or hold the place of (and the case is never sent to
them: suban.cases.services refuse it).

The person who entered a case (its reporter: a grid worker's report, a request typed in by a street) sees it
too: suban.cases.selectors adds that.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from suban.cases.models import Case, CoHandler, Status
from suban.errors import Invalid
from suban.org.models import Unit

# The statuses of a case that never left the dispatch centre: new, accepted, and the two ends reached from
# those alone (the lifecycle table declines and merges new or accepted cases only; tests/cases/test_reach.py
# holds it to that).
UNSENT = frozenset({Status.NEW, Status.ACCEPTED, Status.DECLINED, Status.MERGED})


def upper_paths(path: str) -> list[str]:
    """The paths of the unit at `path` and of every unit above it, but the tree's root (a complaint is never
    about the district itself): the units whose staff a complaint hidden from `path` may be about."""
    codes = [c for c in path.split("/") if c]
    return ["/" + "/".join(codes[: i + 1]) + "/" for i in range(1, len(codes))]


def co_handled(path: str) -> Q:
    return Q(Exists(CoHandler.objects.filter(case=OuterRef("pk"), unit_path__startswith=path)))


def led_or_placed(path: str) -> Q:
    """The lead unit lies in `path`, or the place does and the case has been dispatched."""
    return Q(unit_path__startswith=path) | (Q(area_path__startswith=path) & ~Q(status__in=list(UNSENT)))


def complaint_hidden(path: str) -> Q | None:
    """The complaints `path` must not see (about its unit or one above it); None when there can be none."""
    uppers = upper_paths(path)
    return Q(complained_path__in=uppers) if uppers else None


def reach(path: str) -> Q:
    """The cases the subtree at `path` reaches (see the module's docstring)."""
    condition = led_or_placed(path) | co_handled(path)
    hidden = complaint_hidden(path)
    return condition & ~hidden if hidden is not None else condition


def holds(case: Case, path: str) -> bool:
    """led_or_placed for one case in hand."""
    placed = case.area_path.startswith(path) and case.status not in UNSENT
    return case.unit_path.startswith(path) or placed


def hidden_from(case: Case, path: str) -> bool:
    """Whether `case` is a complaint about the staff of the unit at `path` or of a unit above it."""
    return bool(case.complained_path) and path.startswith(case.complained_path)


def refuse_complained(case: Case, unit: Unit, *, field: str = "unit") -> None:
    """A complaint about a unit's staff goes to neither that unit nor a unit under it."""
    if case.complained_path and unit.path.startswith(case.complained_path):
        complained = case.complained_unit
        raise Invalid(
            _("The request complains about the staff of %(unit)s: it cannot go to %(target)s.")
            % {"unit": complained.name if complained is not None else "", "target": unit.name},
            field=field,
        )
