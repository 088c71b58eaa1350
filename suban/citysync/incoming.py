"""Updates from the platform on our cases, applied once each.

The platform names itself (X-Suban-Source: the webhook's code) and signs the request with that webhook's
secret, as we sign ours. Each update carries its own id. An applied update is kept with its answer: the same
id again gets that answer and changes nothing. A refused one (unknown case, stale state, no right) is kept
too, for the record, but is not final: sent again, it is tried again.

Every update acts through the case services in the name of the webhook's account, a staff account of the
platform (for instance a supervisor bound to the district): its roles and its reach decide what it may do,
exactly as for a person, and the case's timeline shows that account as the actor.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from suban.accounts.models import User
from suban.cases import services
from suban.cases.models import Case
from suban.cases.selectors import visible_case
from suban.citysync import signing
from suban.citysync.models import IncomingUpdate, Webhook
from suban.errors import Conflict, DomainError, Forbidden, Invalid
from suban.org.selectors import unit_by_code


class BadSignature(DomainError):
    status = 401
    code = "bad_signature"


@dataclass(frozen=True)
class Update:
    update_id: str
    case: str
    action: str
    version: int | None = None
    note: str = ""
    days: Decimal | None = None
    unit: str = ""
    satisfaction: str = ""
    resolved: bool | None = None

    def fingerprint(self) -> str:
        data = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in self.__dict__.items()}
        return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]
    replayed: bool = False


def _supervise(case: Case, by: User, u: Update) -> None:
    services.case_supervise(
        case=case, by=by, note=u.note, days=u.days if u.days is not None else 1, expected_version=u.version
    )


def _comment(case: Case, by: User, u: Update) -> None:
    services.case_note(case=case, by=by, note=u.note, expected_version=u.version)


def _raise_level(case: Case, by: User, u: Update) -> None:
    if not u.unit:
        raise Invalid(_("Name the unit the case is raised to."), field="unit")
    services.case_raise_level(
        case=case, by=by, unit=unit_by_code(u.unit, field="unit"), note=u.note, expected_version=u.version
    )


def _visit_result(case: Case, by: User, u: Update) -> None:
    if u.resolved is None or not u.satisfaction:
        raise Invalid(_("A return visit result needs satisfaction and resolved."), field="satisfaction")
    services.case_rate(
        case=case,
        by=by,
        satisfaction=u.satisfaction,
        resolved=u.resolved,
        comment=u.note,
        expected_version=u.version,
    )


def _reopen(case: Case, by: User, u: Update) -> None:
    services.case_reopen(case=case, by=by, note=u.note, expected_version=u.version)


def _close(case: Case, by: User, u: Update) -> None:
    services.case_close(case=case, by=by, note=u.note, expected_version=u.version)


# The platform's actions and the case service each one goes through.
ACTIONS: dict[str, Callable[[Case, User, Update], None]] = {
    "supervise": _supervise,  # 市级督办: a supervision order to the lead unit
    "comment": _comment,  # a comment or instruction on the case (a note on its timeline)
    "raise_level": _raise_level,  # 提级办理: to a higher unit or a department
    "visit_result": _visit_result,  # the city's return visit: satisfied / basically / unsatisfied
    "reopen": _reopen,  # unsatisfied at the city's visit: back to the unit for rectification
    "close": _close,  # closed at city level
}


def source_for(code: str, timestamp: str, given: str, body: bytes) -> Webhook:
    """The platform that signed `body`, or BadSignature. The same refusal for an unknown source as for a wrong
    signature, so that a caller learns nothing about which codes exist."""
    webhook = Webhook.objects.filter(code=code, active=True).select_related("account").first() if code else None
    problem = signing.check(webhook.secret, timestamp, given, body) if webhook is not None else "unknown source"
    if problem is not None:
        raise BadSignature(
            _("The request is not signed by a known platform: %(problem)s.") % {"problem": problem},
            details={"problem": problem},
        )
    assert webhook is not None
    return webhook


def apply_update(*, source: Webhook, update: Update) -> Answer:
    """Apply `update` once. Raises DomainError (the refusal, also recorded) when it cannot be applied."""
    fingerprint = update.fingerprint()
    try:
        with transaction.atomic():
            row = _take(source, update, fingerprint)
            if row.state == IncomingUpdate.State.APPLIED and row.status_code:
                return Answer(row.status_code, row.response, replayed=True)
            body = _act(source, update)
            row.state, row.status_code, row.response = IncomingUpdate.State.APPLIED, 200, body
            row.case_id = body["case"]["id"]
            body["case"].pop("id")
            row.save(update_fields=["state", "status_code", "response", "case"])
            return Answer(200, body)
    except IntegrityError:
        # The same id arrived twice at once and the other request took it; its answer, if it is done.
        done = IncomingUpdate.objects.filter(source=source, update_id=update.update_id).first()
        if done is not None and done.state == IncomingUpdate.State.APPLIED and done.status_code:
            return Answer(done.status_code, done.response, replayed=True)
        raise Conflict(_("This update is being applied right now; send it again shortly.")) from None
    except DomainError as exc:
        _record_refusal(source, update, fingerprint, exc)
        raise


def _take(source: Webhook, update: Update, fingerprint: str) -> IncomingUpdate:
    """The update's row, locked: the first receipt creates it (a concurrent one fails on the unique id)."""
    row = IncomingUpdate.objects.select_for_update().filter(source=source, update_id=update.update_id).first()
    if row is None:
        return IncomingUpdate.objects.create(
            source=source,
            update_id=update.update_id,
            body_hash=fingerprint,
            action=update.action,
            case_number=update.case,
            state=IncomingUpdate.State.APPLIED,
            status_code=0,  # not answered yet: set when applied, in this transaction
            received_at=timezone.now(),
        )
    if row.body_hash != fingerprint:
        raise Conflict(
            _("The update id %(id)s was used before for a different update.") % {"id": update.update_id},
            field="update_id",
        )
    IncomingUpdate.objects.filter(pk=row.pk).update(tries=F("tries") + 1)
    return row


def _act(source: Webhook, update: Update) -> dict[str, Any]:
    account = source.account
    if account is None or not account.is_active:
        raise Forbidden(_("This platform has no active account to act in; the admin sets one on its webhook."))
    handler = ACTIONS.get(update.action)
    if handler is None:
        raise Invalid(
            _("Unknown action %(action)s; one of: %(actions)s.")
            % {"action": update.action, "actions": ", ".join(ACTIONS)},
            field="action",
        )
    case = visible_case(account, update.case)  # out of the account's reach looks exactly like missing
    handler(case, account, update)
    case = Case.objects.get(pk=case.pk)
    return {
        "update_id": update.update_id,
        "result": "applied",
        "action": update.action,
        "case": {"id": case.pk, "number": case.number, "status": case.status, "version": case.version},
    }


def _record_refusal(source: Webhook, update: Update, fingerprint: str, exc: DomainError) -> None:
    body = {"error": {"code": exc.code, "message": exc.message, "field": exc.field, "details": exc.details}}
    try:
        with transaction.atomic():
            row = IncomingUpdate.objects.select_for_update().filter(source=source, update_id=update.update_id).first()
            if row is None:
                IncomingUpdate.objects.create(
                    source=source,
                    update_id=update.update_id,
                    body_hash=fingerprint,
                    action=update.action,
                    case_number=update.case,
                    state=IncomingUpdate.State.REFUSED,
                    status_code=exc.status,
                    response=body,
                    received_at=timezone.now(),
                )
            elif row.body_hash == fingerprint and row.state == IncomingUpdate.State.REFUSED:
                IncomingUpdate.objects.filter(pk=row.pk).update(
                    status_code=exc.status, response=body, tries=F("tries") + 1
                )
    except IntegrityError:
        pass  # a concurrent receipt recorded it
