"""Loading and removing the demo district, each in one transaction."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.db import models, transaction
from django.db.models import Max, ProtectedError, Q

from suban.accounts.models import User
from suban.audit.services import audit_record
from suban.cases.models import Case
from suban.catalogue.models import Matter, Responsibility
from suban.demo import data
from suban.demo.history import seed_history
from suban.demo.layout import build_layout
from suban.demo.names import NameMaker
from suban.demo.seed_cases import seed_cases
from suban.demo.seed_catalogue import DEMO_PATH, clear_responsibilities, load_catalogue, seed_responsibilities
from suban.demo.seed_knowledge import seed_knowledge
from suban.demo.seed_mediation import MediationCounts, clear_mediation, seed_mediation
from suban.demo.seed_org import seed_org
from suban.demo.seed_staff import seed_staff
from suban.fingerprint_cache import invalidate_all
from suban.gridwork.models import Patrol, WorkLogEntry
from suban.knowledge.models import Article
from suban.mediation.models import Room
from suban.org.models import Place, Unit, UnitContact


class DemoError(Exception):
    pass


@dataclass(frozen=True)
class Counts:
    units: int
    accounts: int
    matters: int = 0
    responsibilities: int = 0
    cases: int = 0
    history: int = 0
    articles: int = 0
    rooms: int = 0
    mediators: int = 0
    disputes: int = 0
    risk_reports: int = 0


def demo_exists() -> bool:
    return Unit.objects.filter(code=data.DISTRICT_CODE).exists()


def seed(cases: int | None = None, history: int = 0, disputes: int = 0) -> Counts:
    """Create the demo district and take `cases` of its real messages through the services (None: all of
    them), with `history` backdated cases of the past year (suban.demo.history), and the mediation centre with
    `disputes` disputes of the past year (suban.demo.seed_mediation). The caller checks first that it is not
    there yet."""
    validate_password(data.PASSWORD)
    layout = build_layout()
    names = NameMaker(data.SEED, taken={a.name for a in data.DEMO_ACCOUNTS + data.MEDIATOR_ACCOUNTS})
    with transaction.atomic():
        units = seed_org(layout, names)
        accounts = seed_staff(units, names)
        matters = sum(load_catalogue().by_level)
        responsibilities = seed_responsibilities()
        # The units were created a moment ago: the per-process grid index and unit directory must see them.
        invalidate_all()
        articles = seed_knowledge()
        made = seed_cases(cases) if cases != 0 else 0
        past = seed_history(history) if history else 0
        if past:
            # The history was written in bulk, past the receivers of the events: its assessment from scratch.
            from suban.assess.services import rebuild

            rebuild()
        # Last: its disputes come from the cases too, and some of them send a case to mediation.
        mediation = seed_mediation(disputes)
        counts = Counts(
            units=len(units),
            accounts=accounts,
            matters=matters,
            responsibilities=responsibilities,
            cases=made,
            history=past,
            articles=articles,
            rooms=mediation.rooms,
            mediators=mediation.mediators,
            disputes=mediation.disputes,
            risk_reports=mediation.risk_reports,
        )
        audit_record(action="demo.seed", actor_name="seed_demo", detail=counts.__dict__)
    return counts


def ensure_catalogue() -> Counts:
    """On a district loaded before the catalogue existed: add the catalogue and the responsibility list
    when they are empty. Otherwise nothing is touched, so changes made in the admin survive `make run`."""
    with transaction.atomic():
        matters = Matter.objects.count() or sum(load_catalogue().by_level)
        responsibilities = Responsibility.objects.count() or seed_responsibilities()
    return Counts(units=0, accounts=0, matters=matters, responsibilities=responsibilities)


def ensure_cases(cases: int | None = None) -> int:
    """On a district loaded before it had cases: add them when the district has none. Returns how many."""
    if cases == 0 or demo_cases().exists():
        return 0
    invalidate_all()
    with transaction.atomic():
        return seed_cases(cases)


def ensure_knowledge() -> int:
    """On a district loaded before the knowledge base existed: load the demo's articles when it has none."""
    if Article.objects.filter(owner__path__startswith=DEMO_PATH).exists():
        return 0
    with transaction.atomic():
        return seed_knowledge()


def ensure_mediation(disputes: int = 0) -> MediationCounts | None:
    """On a district loaded before the mediation centre existed: seat it, with `disputes` disputes of the past
    year, when the district has no mediation room (None when it has one)."""
    if Room.objects.filter(unit__path__startswith=DEMO_PATH).exists():
        return None
    invalidate_all()
    with transaction.atomic():
        return seed_mediation(disputes)


def demo_cases() -> models.QuerySet[Case]:
    """Cases that lie in the demo district or are held by one of its units (both indexed prefixes)."""
    return Case.objects.filter(Q(unit_path__startswith=DEMO_PATH) | Q(area_path__startswith=DEMO_PATH))


def reset() -> Counts:
    """Delete the demo district: its mediation centre (risk reports, disputes, mediators, desks and rooms), its
    cases (with their events), responsibility list, the grid workers' patrols and work log, accounts, contacts
    and places, then its units, deepest first. The catalogue stays (it is the public taxonomy; a new seed finds
    it unchanged). For the demo only: whatever was done in the demo district goes with it.
    """
    units = Unit.objects.filter(path__startswith=DEMO_PATH)
    with transaction.atomic():
        try:
            disputes = clear_mediation()  # disputes hold on to cases, units and accounts
        except ProtectedError as exc:
            kinds = sorted({str(obj._meta.verbose_name_plural) for obj in exc.protected_objects})
            raise DemoError(f"The demo's mediators are still used by: {', '.join(kinds)}.") from None
        cases = demo_cases()
        cases.update(merged_into=None)  # merged duplicates point at each other; all of them go
        removed_cases = cases.count()
        try:
            cases.delete()
        except ProtectedError as exc:
            kinds = sorted({str(obj._meta.verbose_name_plural) for obj in exc.protected_objects})
            raise DemoError(f"The demo cases are still used by: {', '.join(kinds)}.") from None
        responsibilities = clear_responsibilities()
        # The grid workers' year (suban.demo.history.gridwork): their patrols and work log hold on to them.
        WorkLogEntry.objects.filter(grid__in=units).delete()
        Patrol.objects.filter(grid__in=units).delete()
        # The knowledge base's articles of the demo's units (their versions and uses go with them).
        articles = Article.objects.filter(owner__in=units)
        articles.update(live=None, pending=None)  # each protects its versions, which go with it
        articles.delete()
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
        counts = Counts(
            units=removed,
            accounts=accounts,
            responsibilities=responsibilities,
            cases=removed_cases,
            disputes=disputes,
        )
        audit_record(action="demo.reset", actor_name="seed_demo", detail=counts.__dict__)
    return counts


def _delete_accounts(users: models.QuerySet[User]) -> int:
    """Delete accounts; their audit entries stay, keeping the account's id (the log is append-only)."""
    try:
        return users.delete()[1].get(User._meta.label, 0)
    except models.ProtectedError as exc:
        names = sorted({str(obj._meta.verbose_name_plural) for obj in exc.protected_objects})
        raise DemoError(f"Demo accounts are still used by {', '.join(names)}.") from None
