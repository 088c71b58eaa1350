"""The rates of a set of counters (a unit over a period), as docs/assessment.md defines them, and the composite
score with the weights of AssessmentConfig."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from suban.assess.models import UNIT_COUNTERS, AssessmentConfig

WORKING_DAY_SECONDS = 86400


@dataclass(frozen=True)
class Weights:
    response: float = 20
    on_time_reply: float = 20
    completion: float = 20
    resolution: float = 20
    satisfaction: float = 20
    basically: float = 1.0


def current_weights() -> Weights:
    config = AssessmentConfig.objects.filter(pk=1).first() or AssessmentConfig()
    return Weights(
        response=float(config.response_weight),
        on_time_reply=float(config.on_time_reply_weight),
        completion=float(config.completion_weight),
        resolution=float(config.resolution_weight),
        satisfaction=float(config.satisfaction_weight),
        basically=float(config.basically_weight),
    )


def _ratio(numerator: float, denominator: float) -> float | None:
    return None if denominator <= 0 else numerator / denominator


# The five rates of the composite: (key, label, weight attribute).
RATES: tuple[tuple[str, Promise], ...] = (
    ("response_rate", _("Response rate")),
    ("on_time_reply_rate", _("On-time reply rate")),
    ("completion_rate", _("Completion rate")),
    ("resolution_rate", _("Resolution rate")),
    ("satisfaction_rate", _("Satisfaction rate")),
)
WEIGHT_OF = {
    "response_rate": "response",
    "on_time_reply_rate": "on_time_reply",
    "completion_rate": "completion",
    "resolution_rate": "resolution",
    "satisfaction_rate": "satisfaction",
}


@dataclass
class Figures:
    """Counters summed over units × days, and what follows from them. A rate is None when nothing was due."""

    counts: dict[str, int] = field(default_factory=dict)
    weights: Weights = field(default_factory=Weights)

    def __post_init__(self) -> None:
        for name in UNIT_COUNTERS:
            self.counts.setdefault(name, 0)

    @classmethod
    def of(cls, counts: Mapping[str, int | None], weights: Weights) -> Figures:
        return cls({name: int(counts.get(name) or 0) for name in UNIT_COUNTERS}, weights)

    def __getattr__(self, name: str) -> int:
        # Counters read as attributes in templates (figures.assessed); only names of UNIT_COUNTERS.
        if name in UNIT_COUNTERS:
            return self.counts.get(name, 0)
        raise AttributeError(name)

    @property
    def response_rate(self) -> float | None:
        return _ratio(self.counts["responded_in_time"], self.counts["dispatched"])

    @property
    def on_time_reply_rate(self) -> float | None:
        return _ratio(self.counts["replied_in_time"], self.counts["reply_due"])

    @property
    def completion_rate(self) -> float | None:
        return _ratio(self.counts["completed"], self.counts["assessed"])

    @property
    def resolution_rate(self) -> float | None:
        return _ratio(self.counts["resolved"], self.counts["rated"])

    @property
    def satisfaction_rate(self) -> float | None:
        good = self.counts["satisfied"] + self.weights.basically * self.counts["basically"]
        return _ratio(good, self.counts["rated"])

    @property
    def supervised_completion_rate(self) -> float | None:
        return _ratio(self.counts["supervised_completed"], self.counts["supervised"])

    @property
    def avg_handling_days(self) -> float | None:
        ratio = _ratio(self.counts["handling_seconds"], self.counts["handled"])
        return None if ratio is None else ratio / WORKING_DAY_SECONDS

    @property
    def composite(self) -> float | None:
        """0–100: the weighted mean of the rates that have a denominator (the others' weights drop out)."""
        total = weight_sum = 0.0
        for key, _label in RATES:
            value = getattr(self, key)
            weight = getattr(self.weights, WEIGHT_OF[key])
            if value is not None and weight > 0:
                total += weight * value
                weight_sum += weight
        return None if weight_sum == 0 else 100 * total / weight_sum

    def rates(self) -> dict[str, float | None]:
        return {
            "response_rate": self.response_rate,
            "on_time_reply_rate": self.on_time_reply_rate,
            "completion_rate": self.completion_rate,
            "resolution_rate": self.resolution_rate,
            "satisfaction_rate": self.satisfaction_rate,
            "supervised_completion_rate": self.supervised_completion_rate,
            "avg_handling_days": self.avg_handling_days,
            "composite": self.composite,
        }

    def add(self, other: Mapping[str, int | None]) -> None:
        for name in UNIT_COUNTERS:
            self.counts[name] = self.counts.get(name, 0) + int(other.get(name) or 0)


def percent(value: float | None, places: int = 2) -> str:
    return "—" if value is None else f"{Decimal(value * 100).quantize(Decimal(10) ** -places)}%"
