"""The layers of docs/architecture.md, as pyproject.toml's import-linter contract states them: no face imports
another face, no part imports a layer above it. `make lint` runs import-linter itself; this checks the same
layers on the import graph, and that the check would catch a face or the core reaching where it may not."""

from __future__ import annotations

import tomllib
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent


def contract() -> dict:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    return next(c for c in config["contracts"] if c["id"] == "layers")


def layers() -> list[grimp.Layer]:
    result = []
    for line in contract()["layers"]:
        independent = "|" in line
        names = [n.strip() for n in line.replace(":", "|").split("|")]
        result.append(grimp.Layer(*names, independent=independent))
    return result


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("suban", cache_dir=None)


def illegal(graph: grimp.ImportGraph) -> set[tuple[str, str]]:
    return {(d.importer, d.imported) for d in graph.find_illegal_dependencies_for_layers(layers=layers())}


def test_the_code_keeps_its_layers(graph):
    assert illegal(graph) == set()


def test_the_faces_are_one_layer_of_independent_packages():
    faces = next(line for line in contract()["layers"] if "suban.console" in line)
    assert {n.strip() for n in faces.split("|")} == {
        "suban.api",
        "suban.console",
        "suban.dashboard",
        "suban.h5",
        "suban.open311",
        "suban.web",
    }


@pytest.mark.parametrize(
    ("importer", "imported", "caught"),
    [
        # a face importing another face
        ("suban.console.views.case", "suban.api.presenters", ("suban.console", "suban.api")),
        ("suban.open311.presenters", "suban.h5.views.requests", ("suban.open311", "suban.h5")),
        # the core importing a face
        ("suban.cases.services.core", "suban.console.forms", ("suban.cases", "suban.console")),
        # a lower part importing a higher one
        ("suban.accounts.access", "suban.cases.selectors", ("suban.accounts", "suban.cases")),
        ("suban.org.models", "suban.notify.services", ("suban.org", "suban.notify")),
    ],
)
def test_a_reach_across_the_layers_is_caught(graph, importer, imported, caught):
    assert not graph.direct_import_exists(importer=importer, imported=imported)
    graph.add_import(importer=importer, imported=imported)
    try:
        assert caught in illegal(graph)
    finally:
        graph.remove_import(importer=importer, imported=imported)
