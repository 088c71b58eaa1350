"""How the API maps onto the lifecycle table (suban.cases.lifecycle.TABLE)."""

from __future__ import annotations

# Endpoint name (/cases/{number}/actions/<name>) → the table actions it performs. Filled by the actions
# router as it declares each endpoint; /api/lifecycle publishes it.
ENDPOINTS: dict[str, tuple[str, ...]] = {}
