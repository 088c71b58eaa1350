"""Loading and removing the demo district, each in one transaction."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.db import models, transaction
from django.db.models import Max, ProtectedError

from suban.accounts.models import User
from suban.audit.services import audit_record
from suban.demo import data
from suban.demo.layout import build_layout
from suban.demo.names import NameMaker
from suban.demo.seed_org import seed_org
from suban.demo.seed_staff import seed_staff
from suban.org.models import Place, Unit, UnitContact

DEMO_PATH = f"/{data.DISTRICT_CODE}/"


class DemoError(Exception):
    pass


@dataclass(frozen=True)
class Counts:
    units: int
    accounts: int


def demo_exists() -> bool:
    return Unit.objects.filter(code=data.DISTRICT_CODE).exists()


def seed() -> Counts:
    """Create the demo district. The caller checks first that it is not there yet."""
    validate_password(data.PASSWORD)
    layout = build_layout()
    names = NameMaker(data.SEED, taken={a.name for a in data.DEMO_ACCOUNTS})
    with transaction.atomic():
        units = seed_org(layout, names)
        accounts = seed_staff(units, names)
        counts = Counts(units=len(units), accounts=accounts)
        audit_record(action="demo.seed", actor_name="seed_demo", detail=counts.__dict__)
    return counts


def reset() -> Counts:
    """Delete the demo district: its accounts, contacts and places, then its units, deepest first."""
    units = Unit.objects.filter(path__startswith=DEMO_PATH)
    with transaction.atomic():
        accounts = _delete_accounts(User.objects.filter(unit__in=units))
        UnitContact.objects.filter(unit__in=units).delete()
        Place.objects.filter(unit__in=units).delete()
        removed = 0
        deepest = units.aggregate(m=Max("depth"))["m"]
        for depth in range(deepest if deepest is not None else -1, -1, -1):
            try:
                removed += units.filter(depth=depth).delete()[1].get(Unit._meta.label, 0)
            except ProtectedError as exc:
                kinds = sorted({str(obj._meta.verbose_name_plural) for obj in exc.protected_objects})
                raise DemoError(f"The demo units are still used by: {', '.join(kinds)}.") from None
        counts = Counts(units=removed, accounts=accounts)
        audit_record(action="demo.reset", actor_name="seed_demo", detail=counts.__dict__)
    return counts


def _delete_accounts(users: models.QuerySet[User]) -> int:
    """Delete accounts; their audit entries stay, keeping the account's id (the log is append-only)."""
    try:
        return users.delete()[1].get(User._meta.label, 0)
    except models.ProtectedError as exc:
        names = sorted({str(obj._meta.verbose_name_plural) for obj in exc.protected_objects})
        raise DemoError(f"Demo accounts are still used by {', '.join(names)}.") from None
