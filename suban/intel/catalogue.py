"""The platform's own matter catalogue as a taxonomy for the classifier: its paths (一级/二级/三级 names) and
the keywords of each first-level matter, the prior `TextClassifier.train(keywords=...)` takes."""

from __future__ import annotations

from suban.catalogue.models import Matter
from suban.intel.classifier import keywords_of


def catalogue_paths() -> list[list[str]]:
    """Each active matter without active children as its names from the first level down (three columns, the
    deeper levels joined into the third), so that the first column is what `一级事项` says of a case."""
    matters = {m.pk: m for m in Matter.objects.filter(is_active=True).only("pk", "name", "parent_id")}
    parents = {m.parent_id for m in matters.values()}
    paths = []
    for matter in matters.values():
        if matter.pk in parents:
            continue
        names = [matter.name]
        node: Matter | None = matter
        while node is not None and node.parent_id is not None:
            node = matters.get(node.parent_id)  # None under an inactive matter: not in the catalogue then
            if node is None or len(names) >= 10:
                break
            names.append(node.name)
        if node is None or node.parent_id is not None:
            continue
        names.reverse()
        paths.append([*names[:2], " ".join(names[2:])] if len(names) > 3 else names + [""] * (3 - len(names)))
    return sorted(paths)


def catalogue_keywords() -> dict[str, str]:
    """First-level matter name -> the names of the active matters below it."""
    return keywords_of(catalogue_paths())
