"""The grids around a case, as GeoJSON for the case page's map: its own grid and those within ~500 m,
taken from the in-memory grid index (no tile server, no other source)."""

from __future__ import annotations

from typing import Any

import shapely
from shapely.geometry import mapping

from suban.cases.models import Case
from suban.org.grid_index import get_grid_index

NEIGHBOUR_DEGREES = 0.005  # about 500 m at these latitudes
MAX_GRIDS = 40


def case_map(case: Case) -> dict[str, Any]:
    index = get_grid_index()
    own = None
    if case.grid_id is not None:
        own = next((i for i, hit in enumerate(index.hits) if hit.grid_id == case.grid_id), None)
    if own is not None:
        around = index.geoms[own]
    elif case.longitude is not None and case.latitude is not None:
        around = shapely.Point(case.longitude, case.latitude)
    else:
        return {"type": "FeatureCollection", "features": [], "point": None, "grid": None}
    found = index.tree.query(shapely.buffer(shapely.envelope(around), NEIGHBOUR_DEGREES))
    picked = sorted({int(i) for i in found} | ({own} if own is not None else set()))
    # Closest first when there are many: the case's grid and its direct neighbours matter most.
    picked.sort(key=lambda i: (i != own, shapely.distance(index.geoms[i], around)))
    features = []
    for i in picked[:MAX_GRIDS]:
        hit = index.hits[i]
        features.append(
            {
                "type": "Feature",
                "geometry": mapping(index.geoms[i]),
                "properties": {
                    "code": hit.grid_code,
                    "name": hit.grid_name,
                    "community": hit.community_name,
                    "street": hit.street_name,
                    "own": hit.grid_id == case.grid_id,
                },
            }
        )
    point = [case.longitude, case.latitude] if case.longitude is not None and case.latitude is not None else None
    grid_code = index.hits[own].grid_code if own is not None else None
    return {"type": "FeatureCollection", "features": features, "point": point, "grid": grid_code}
