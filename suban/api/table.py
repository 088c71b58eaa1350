"""How the API maps onto the lifecycle table (suban.cases.lifecycle.TABLE)."""

from __future__ import annotations

from suban.cases.lifecycle import BY_ACTION, Actor

# Endpoint name (/cases/{number}/actions/<name>) → the table actions it performs. Filled by the actions
# router as it declares each endpoint; /api/lifecycle publishes it.
ENDPOINTS: dict[str, tuple[str, ...]] = {}

# Table actions with no endpoint of their own: absorbing is the other half of a merge, and the deadline
# clock alone warns and marks cases overdue.
NOT_EXPOSED = frozenset({"absorb"} | {a for a, t in BY_ACTION.items() if t.actors == {Actor.SYSTEM}})
