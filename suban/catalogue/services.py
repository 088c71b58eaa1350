"""Writes to the matter catalogue and the responsibility list. Each checks who acts and records an audit row."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from django.contrib.auth.models import AbstractUser
from django.db import transaction
from django.utils.translation import gettext as _

from suban.audit.services import audit_record
from suban.catalogue.models import Level, Matter, Responsibility
from suban.errors import Invalid
from suban.org.models import Unit, UnitKind
from suban.org.services import require_perm

SEPARATOR = " / "
MAX_DEPTH = 10  # routing walks at most this many parents up
NAME_LENGTH, FULL_NAME_LENGTH = 100, 300  # Matter.name, Matter.full_name
Path = tuple[str, ...]


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int
    by_level: tuple[int, ...]  # how many nodes the file has at each level


def _paths(rows: Iterable[Sequence[str]]) -> list[Path]:
    """Every node the rows name, parents before children, siblings in the order they first appear."""
    children: dict[Path, list[Path]] = {(): []}
    for number, row in enumerate(rows, start=1):
        names = tuple(str(name).strip() for name in row)
        if not names or len(names) > MAX_DEPTH or not all(names):
            raise Invalid(_("Row %(row)d: every level needs a name.") % {"row": number}, field="rows")
        if max(map(len, names)) > NAME_LENGTH or len(SEPARATOR.join(names)) > FULL_NAME_LENGTH:
            raise Invalid(_("Row %(row)d: a name is too long.") % {"row": number}, field="rows")
        for depth in range(1, len(names) + 1):
            path = names[:depth]
            if path not in children:
                children[path] = []
                children[path[:-1]].append(path)
    ordered: list[Path] = []
    stack = list(reversed(children[()]))
    while stack:
        path = stack.pop()
        ordered.append(path)
        stack.extend(reversed(children[path]))
    return ordered


def _existing() -> dict[Path, Matter]:
    """The catalogue as it is, keyed by the names from the top down to each node."""
    by_id = {m.pk: m for m in Matter.objects.all()}
    keys: dict[int, Path] = {}

    def key(matter: Matter, depth: int = 0) -> Path:
        if matter.pk not in keys:
            parent = by_id.get(matter.parent_id) if matter.parent_id else None
            above = key(parent, depth + 1) if parent is not None and depth < MAX_DEPTH else ()
            keys[matter.pk] = (*above, matter.name)
        return keys[matter.pk]

    return {key(m): m for m in by_id.values()}


def _free_code(parent: Matter | None, taken: set[str]) -> str:
    prefix = parent.code if parent is not None else ""
    for n in range(1, 100):
        code = f"{prefix}{n:02d}"
        if code not in taken:
            taken.add(code)
            return code
    raise Invalid(_("%(parent)s has more than 99 children.") % {"parent": parent or _("The top level")})


@transaction.atomic
def catalogue_load(*, by: AbstractUser | None, rows: Iterable[Sequence[str]], source: str = "") -> LoadResult:
    """Create or update the catalogue from rows of names (一级, 二级, 三级), in one transaction.

    A node is found by its names from the top, so it keeps its code across loads; a new node gets its
    parent's code and the next free two digits ("01" → "0103" → "010307"), in the order of the rows.
    Nodes the rows do not name, and each node's keywords and active flag, are left alone. A load that changes
    something is recorded in the audit chain; one that changes nothing leaves no trace.
    """
    require_perm(by, "catalogue.add_matter")
    require_perm(by, "catalogue.change_matter")
    paths = _paths(rows)
    existing = _existing()
    taken = set(Matter.objects.values_list("code", flat=True))
    created = updated = 0
    for order, path in enumerate(paths, start=1):
        parent = existing[path[:-1]] if len(path) > 1 else None
        wanted = {"parent": parent, "level": len(path), "full_name": SEPARATOR.join(path), "sort_order": order}
        matter = existing.get(path)
        if matter is None:
            matter = Matter.objects.create(code=_free_code(parent, taken), name=path[-1], **wanted)
            existing[path] = matter
            created += 1
            continue
        changed = [field for field, value in wanted.items() if getattr(matter, field) != value]
        if changed:
            for field in changed:
                setattr(matter, field, wanted[field])
            matter.save(update_fields=changed)
            updated += 1
    by_level = tuple(
        sum(1 for p in paths if len(p) == depth) for depth in range(1, max(map(len, paths), default=0) + 1)
    )
    result = LoadResult(created=created, updated=updated, unchanged=len(paths) - created - updated, by_level=by_level)
    if created or updated:  # a load that changes nothing leaves no trace
        audit_record(action="catalogue.load", actor=by, detail={"source": source, **asdict(result)})
    return result


def derive_names(matter: Matter) -> None:
    """Set a matter's level and full name from its parent (in memory)."""
    parent = matter.parent
    matter.level = parent.level + 1 if parent is not None else 1
    matter.full_name = f"{parent.full_name}{SEPARATOR}{matter.name}" if parent is not None else matter.name


def refresh_descendants(matter: Matter) -> int:
    """After a rename or a move: rewrite the level and full name of everything below `matter`."""
    count = 0
    level = [matter]
    while level and count < 10_000:
        below = list(Matter.objects.filter(parent__in=level).select_related("parent"))
        for child in below:
            child.parent = next(p for p in level if p.pk == child.parent_id)
            derive_names(child)
            child.save(update_fields=["level", "full_name"])
        count += len(below)
        level = below
    return count


def check_responsibility(start_level: str, department: Unit | None) -> None:
    if department is not None and department.kind != UnitKind.DEPARTMENT:
        raise Invalid(_("Choose a department."), field="department")
    if start_level == Level.DEPARTMENT and department is None:
        raise Invalid(_("A matter that starts at a department needs its department."), field="department")
    check_start_level(start_level)


def check_start_level(level: str) -> None:
    """A start level the dispatch can use: the district itself receives no dispatched cases."""
    if level and level not in Level.values:
        raise Invalid(_("Choose a start level."), field="start_level")
    if level == Level.DISTRICT:
        raise Invalid(
            _("Cases start at a grid, community, street or department, not at the district."), field="start_level"
        )


def responsibility_set(
    *, by: AbstractUser | None, matter: Matter, start_level: str = "", department: Unit | None = None, note: str = ""
) -> Responsibility:
    """Who handles `matter` (and, unless they have rows of their own, everything below it)."""
    check_responsibility(start_level, department)
    current = Responsibility.objects.filter(matter=matter).first()
    require_perm(by, "catalogue.change_responsibility" if current else "catalogue.add_responsibility")
    wanted = {"start_level": start_level, "department": department, "note": note}
    if current is not None and all(getattr(current, k) == v for k, v in wanted.items()):
        return current
    with transaction.atomic():
        row, _created = Responsibility.objects.update_or_create(matter=matter, defaults=wanted)
        audit_record(
            action="responsibility.set",
            actor=by,
            target=row,
            detail={"matter": matter.code, "start_level": start_level, "department": department and department.code},
        )
    return row
