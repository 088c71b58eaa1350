"""The model's routing advice where dispatchers work, what their choices teach it, and routing by itself.

- `advice_for(case)`: the top three (matter, unit, confidence) for a case waiting for a unit, and whether a
  model is trained at all (the pages say so when none is).
- `learn_from_dispatch(...)`: after a dispatcher sent a case somewhere, store a Correction when that was not
  the model's first suggestion (the matter chosen, or else the unit). export_training_cases reads them.
- `learn_from_outside(case_ids)`: the same lesson from orders the 12345 hotline dispatched itself.
- `auto_dispatch(case_id)`: the worker's half of INTEL_AUTO_ROUTE. A new case accepted by the dispatch centre
  is handed to the worker after the accepting transaction commits (never inside it); when the model's first
  suggestion reaches the threshold the case is dispatched there by the system, the event's note naming the
  model and its confidence.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from suban.accounts.models import User
from suban.cases.models import Case, Status
from suban.cases.services import case_accept, case_dispatch
from suban.catalogue.models import Matter
from suban.errors import DomainError
from suban.intel.models import Correction
from suban.intel.suggest import (
    Suggestion,
    auto_route,
    current_model,
    record_correction,
    suggest,
)
from suban.org.models import Unit

logger = logging.getLogger(__name__)

# A case waits for a unit in these statuses: new, accepted, or returned by the unit it was sent to.
WAITING = (Status.NEW, Status.ACCEPTED, Status.RETURNED)


@dataclass
class Advice:
    trained: bool  # a model file exists
    suggestions: list[Suggestion] = field(default_factory=list)
    version: str = ""


def advice_for(case: Case) -> Advice:
    """What the model suggests for a case waiting for a unit (nothing for one that has its unit)."""
    model = current_model()
    if model is None:
        return Advice(trained=False)
    version = str(model.meta.get("version", ""))
    if case.status not in WAITING:
        return Advice(trained=True, version=version)
    return Advice(trained=True, suggestions=suggest(case, model=model), version=version)


def learn_from_dispatch(
    *, case: Case, by: User | None, unit: Unit | None, matter: Matter | None, suggestions: list[Suggestion]
) -> Correction | None:
    """Store what the dispatcher chose where it differs from the model's first suggestion.

    The matter, when the dispatcher named one (a click on a suggestion carries its matter); otherwise the
    matter of the suggestion whose unit they chose; otherwise, for a unit none of the suggestions gave, the
    unit (kind "unit": it says the model was wrong, not what the matter is)."""
    if not suggestions:
        return None
    if matter is None and unit is not None:
        matter = next((s.matter for s in suggestions if s.unit is not None and s.unit.pk == unit.pk), None)
    if matter is not None:
        return record_correction(case=case, chosen=matter, by=by, suggestions=suggestions)
    first = suggestions[0]
    if unit is None or (first.unit is not None and first.unit.pk == unit.pk):
        return None
    return Correction.objects.create(
        case=case,
        kind="unit",
        suggested=first.unit.code if first.unit is not None else first.label,
        confidence=first.confidence,
        chosen=unit.code,
        model_version=str(current_model().meta.get("version", "")) if current_model() else "",  # type: ignore[union-attr]
        by=by if getattr(by, "pk", None) else None,
    )


def case_dispatch_chosen(
    *,
    case: Case,
    by: User | None,
    unit: Unit | None,
    co_units: Iterable[Unit] = (),
    note: str = "",
    complained_unit: Unit | None = None,
    matter: Matter | None = None,
    accept: bool = False,
    expected_version: int | None = None,
) -> Case:
    """Dispatch a case where a person chose (accepting it first when `accept`: the dispatch centre's one
    click), and teach the model what they chose where it differs from its first suggestion: one
    transaction, whichever face asked. `matter` is the matter the person named, if any (a click on a
    suggestion carries it); it only teaches the model."""
    advice = advice_for(case)  # what the model said while the case waited: asked before the case moves on
    with transaction.atomic():
        if accept:
            case_accept(case=case, by=by, expected_version=expected_version)
            expected_version = None  # the accept has just checked it; the dispatch follows on the same case
        case_dispatch(
            case=case,
            by=by,
            unit=unit,
            co_units=co_units,
            note=note,
            complained_unit=complained_unit,
            expected_version=expected_version,
        )
        learn_from_dispatch(case=case, by=by, unit=case.unit, matter=matter, suggestions=advice.suggestions)
    return case


def learn_from_outside(case_ids: Iterable[int], *, by: User | None) -> int:
    """Teach the model from cases a person dispatched outside Suban (the 12345 hotline's operator, whose
    order named its unit or matter), as a dispatch here teaches it: run by the worker after the import
    commits, so that asking the model costs the import nothing. Says how many corrections it stored."""
    model = current_model()
    if model is None:
        return 0
    learnt = 0
    for case in Case.objects.filter(pk__in=list(case_ids), unit__isnull=False).select_related("unit", "matter"):
        suggestions = suggest(case, model=model)
        if learn_from_dispatch(case=case, by=by, unit=case.unit, matter=case.matter, suggestions=suggestions):
            learnt += 1
    return learnt


def auto_dispatch(case_id: int) -> str:
    """Dispatch an accepted case by the model when it is sure enough; says what it did."""
    case = Case.objects.select_related("grid", "matter", "unit").filter(pk=case_id).first()
    if case is None or case.status != Status.ACCEPTED:
        return "not waiting"
    model = current_model()
    if model is None:
        return "no model"
    choice = auto_route(suggest(case, model=model))
    if choice is None or choice.unit is None:
        return "not sure"
    with translation.override("zh-hans"):
        note = _("Dispatched by the model (%(version)s): %(matter)s, confidence %(confidence).0f%%.") % {
            "version": model.meta.get("version", ""),
            "matter": choice.matter.full_name if choice.matter is not None else choice.label,
            "confidence": choice.confidence * 100,
        }
    try:
        case_dispatch(case=case, by=None, unit=choice.unit, note=note)
    except DomainError as exc:  # someone acted first, or the unit cannot take it: a person decides
        logger.info("case %s not dispatched by the model: %s", case.number, exc)
        return "refused"
    return "dispatched"
