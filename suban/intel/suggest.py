"""Suggestions for a new case: the top matters by the text classifier, each with the unit the responsibility
list gives for it, and a confidence. The console calls `suggest(case)`; `auto_route(suggestions)` says whether
the first is sure enough to route without a person; `record_correction` stores what a dispatcher chose instead.

The model is the file named by the setting INTEL_MATTER_MODEL, or else the newest var/models/matter-*.joblib
(`train_classifier --label-column ... --model var/models/matter-DATE.joblib`); its labels are matter codes or
names (the first-level names of the catalogue, 城乡建设 …, are what the teddy2020c model predicts). Without
a model there are no suggestions, and everything works as before.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from suban.accounts.models import User
from suban.cases.models import Case
from suban.cases.routing import route
from suban.catalogue.models import Matter
from suban.errors import DomainError
from suban.intel.classifier import DEFAULT_FOLDER, TextClassifier
from suban.intel.models import Correction
from suban.org.models import Unit

DEFAULT_AUTO_ROUTE = 0.9


@dataclass(frozen=True)
class Suggestion:
    label: str  # what the model said
    matter: Matter | None  # the catalogue matter it names (None when the catalogue has no such matter)
    unit: Unit | None  # where the responsibility list sends a case of that matter (None when it cannot say)
    confidence: float


_lock = threading.Lock()
_loaded: dict[str, tuple[float, TextClassifier | None]] = {}
logger = logging.getLogger(__name__)


def models_folder() -> Path:
    """VAR_DIR/models (var/models in the repository by default)."""
    var = getattr(settings, "VAR_DIR", None)
    return Path(var, DEFAULT_FOLDER.name) if var is not None else Path(settings.BASE_DIR, DEFAULT_FOLDER)


def model_file() -> Path | None:
    configured = getattr(settings, "INTEL_MATTER_MODEL", "")
    if configured:
        path = Path(configured)
        return path if path.exists() else None
    candidates = sorted(models_folder().glob("matter-*.joblib"))
    return candidates[-1] if candidates else None


def current_model() -> TextClassifier | None:
    """The model, loaded once and again only when its file changes."""
    path = model_file()
    if path is None:
        return None
    stamp = path.stat().st_mtime
    with _lock:
        cached = _loaded.get(str(path))
        if cached is None or cached[0] != stamp:
            try:
                model: TextClassifier | None = TextClassifier.load(path)
            except (ValueError, OSError, KeyError, EOFError) as exc:
                # A model of an older format, or a damaged file: the platform runs on without suggestions
                # (and without auto-routing) until the model is trained again; said once per file version.
                logger.error("routing model %s not loaded, no suggestions until it is trained again: %s", path, exc)
                model = None
            cached = (stamp, model)
            _loaded.clear()
            _loaded[str(path)] = cached
        return cached[1]


def _matter_for(label: str) -> Matter | None:
    found = Matter.objects.filter(code=label, is_active=True).first()
    if found is None:
        found = Matter.objects.filter(full_name=label, is_active=True).first()
    if found is None:
        found = Matter.objects.filter(name=label, is_active=True).order_by("level", "sort_order").first()
    return found


def _unit_for(case: Case, matter: Matter | None) -> Unit | None:
    if matter is None:
        return None
    probe = Case(case_type=case.case_type, matter=matter, grid=case.grid)
    try:
        return route(probe)
    except DomainError:
        return None


def suggest(case: Case, *, limit: int = 3, model: TextClassifier | None = None) -> list[Suggestion]:
    """The `limit` likeliest matters for the case's title and text, most likely first."""
    model = model or current_model()
    if model is None:
        return []
    prediction = model.predict_one(case.title, case.text)
    return [
        Suggestion(label=label, matter=(m := _matter_for(label)), unit=_unit_for(case, m), confidence=confidence)
        for label, confidence in prediction.top[:limit]
    ]


def auto_route_threshold() -> float:
    return float(getattr(settings, "INTEL_AUTO_ROUTE", DEFAULT_AUTO_ROUTE))


def auto_route(suggestions: list[Suggestion]) -> Suggestion | None:
    """The first suggestion when it is sure enough to route the case without a person, else None."""
    if not suggestions:
        return None
    first = suggestions[0]
    threshold = auto_route_threshold()
    sure = threshold < 1.0 and first.confidence >= threshold
    return first if sure and first.matter is not None and first.unit is not None else None


def record_correction(
    *, case: Case, chosen: Matter, by: User | None, suggestions: list[Suggestion], model: TextClassifier | None = None
) -> Correction | None:
    """Store that a dispatcher chose `chosen` where the model's first suggestion was another matter."""
    if not suggestions or suggestions[0].matter == chosen:
        return None
    model = model or current_model()
    with transaction.atomic():
        return Correction.objects.create(
            case=case,
            kind="matter",
            suggested=suggestions[0].label,
            confidence=suggestions[0].confidence,
            chosen=chosen.code,
            model_version=str(model.meta.get("version", "")) if model else "",
            by=by if getattr(by, "pk", None) else None,
        )
