"""One endpoint per entry of the action registry (suban.actions), its body made from the entry's inputs. Every
one finds the case within the caller's reach (404 otherwise), calls the entry's service through
`suban.actions.perform`, and answers with the case as it is now."""

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router
from pydantic import create_model

from suban.actions import REGISTRY, CaseAction, Finders, Input, Kind, perform, table_actions
from suban.api.auth import caller
from suban.api.presenters import case_out
from suban.api.schemas.actions import ActionIn
from suban.api.schemas.cases import CaseOut
from suban.api.schemas.common import errors
from suban.api.table import ENDPOINTS
from suban.api.throttles import reads, writes
from suban.cases.lifecycle import BY_ACTION, SAME
from suban.cases.selectors import reload_case, visible_case
from suban.org.selectors import unit_by_code, units_by_code

router = Router(tags=["case actions"])

# Units are named by their codes.
FINDERS = Finders(
    unit=lambda code, field: unit_by_code(code, field=field),
    units=lambda codes, field: units_by_code(codes, field=field),
)


def _describe(entry: CaseAction) -> str:
    lines = []
    for name in entry.performs:
        t = BY_ACTION[name]
        target = "unchanged" if SAME in t.targets else " or ".join(sorted(t.targets))
        lines.append(f"`{name}`: from {', '.join(sorted(t.sources))} to {target}; by {', '.join(sorted(t.actors))}.")
    return "\n\n".join(lines)


def _field(i: Input) -> tuple[Any, Any]:
    """An input as a field of the request body: its type, and its default and constraints."""
    doc: dict[str, Any] = {"description": i.doc} if i.doc else {}
    if i.kind in (Kind.TEXT, Kind.CASE):
        if i.required:
            return str, Field(max_length=i.max_length, **doc)
        return str, Field("", max_length=i.max_length, **doc)
    if i.kind is Kind.CHOICE:
        return i.choices, Field(**doc) if doc else ...
    if i.kind is Kind.FLAG:
        return bool, Field(**doc) if i.required else Field(False, **doc)
    if i.kind is Kind.DAYS:
        # In halves, as the service requires; said here too so that the schema documents it.
        default = ... if i.default is None else i.default
        return Decimal, Field(default, gt=0, le=i.max_days, multiple_of=0.5, **doc)
    if i.kind in (Kind.UNIT, Kind.PERSON):
        if i.required:
            return str, Field(max_length=i.max_length, **doc)
        return str | None, Field(None, max_length=i.max_length, **doc)
    if i.kind is Kind.UNITS:
        return list[str], Field(default_factory=list, max_length=i.max_length, **doc)
    if i.kind is Kind.ORDER:
        return int, Field(**doc)
    if i.kind is Kind.ARTICLE:
        return int | None, Field(None, **doc)
    raise TypeError(f"the API cannot take {i.kind} ({i.name})")


def _body(entry: CaseAction) -> type[ActionIn]:
    name = "".join(part.title() for part in entry.slug.split("-")) + "In"
    fields = {i.name: _field(i) for i in entry.inputs if i.api}
    return create_model(name, __base__=ActionIn, __module__=__name__, **fields)  # type: ignore[call-overload]


def _endpoint(entry: CaseAction) -> None:
    body = _body(entry)

    def act(request: HttpRequest, number: str, payload: body) -> Any:  # type: ignore[valid-type]
        case = visible_case(caller(request), number)
        values: ActionIn = payload
        perform(entry, case, caller(request), values.model_dump(), find=FINDERS)
        return case_out(reload_case(case), caller(request))

    act.__name__ = f"case_{entry.slug.replace('-', '_')}"
    ENDPOINTS.update(table_actions([entry]))
    router.post(
        f"/{{number}}/actions/{entry.slug}",
        response={200: CaseOut, **errors(403, 404, 409)},
        summary=entry.summary,
        description=_describe(entry),
        operation_id=act.__name__,
        throttle=[reads, writes],
    )(act)


for _entry in REGISTRY:
    _endpoint(_entry)
