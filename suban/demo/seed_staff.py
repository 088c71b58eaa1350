"""Creating the demo staff: the named logins, and someone for every role in every unit.

Usernames are short: gw111 is the grid worker of street 1, community 1, grid 1; ch11 the community
handler of street 1, community 1; sh1 / sl1 a street's handler and leader; dh01 a department's handler;
zw01 a special grid's worker; sp01 a specialist. Every account gets the same password hash.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.contrib.auth.hashers import make_password

from suban.accounts.models import User
from suban.accounts.roles import Role
from suban.accounts.services import staff_create
from suban.demo import data
from suban.demo.departments import DEPARTMENTS
from suban.demo.names import NameMaker
from suban.demo.seed_org import Units


@dataclass(frozen=True)
class Account:
    username: str
    unit: str  # unit name
    role: str = ""
    admin_role: str = ""
    name: str = ""  # empty: a made-up one


def demo_accounts() -> list[Account]:
    """Every account the demo creates, in order."""
    accounts = [Account(a.username, a.unit, a.role, a.admin_role, a.name) for a in data.DEMO_ACCOUNTS]
    for s, street in enumerate(data.STREETS):
        accounts.append(Account(f"sh{s + 1}", street.name, Role.STREET_HANDLER))
        accounts.append(Account(f"sl{s + 1}", street.name, Role.LEADER))
        for c, community in enumerate(street.communities):
            accounts.append(Account(f"ch{s + 1}{c + 1}", community.name, Role.COMMUNITY_HANDLER))
            accounts += [
                Account(f"gw{s + 1}{c + 1}{g + 1}", data.grid_name(community.name, g), Role.GRID_WORKER)
                for g in range(data.GRIDS_PER_COMMUNITY)
            ]
    accounts += [Account(f"zw{k + 1:02d}", spec.name, Role.GRID_WORKER) for k, spec in enumerate(data.SPECIAL_GRIDS)]
    accounts += [Account(f"dh{d + 1:02d}", spec.name, Role.DEPARTMENT_HANDLER) for d, spec in enumerate(DEPARTMENTS)]
    accounts += [
        Account(username, data.grid_name(community, g), Role.SPECIALIST)
        for username, _street, community, g in data.SPECIALISTS
    ]
    return accounts


def seed_staff(units: Units, names: NameMaker) -> int:
    accounts = demo_accounts()
    for n, account in enumerate(accounts):
        staff_create(
            by=None,
            username=account.username,
            name=account.name or names(),
            unit=units[account.unit],
            roles=[account.role] if account.role else [],
            admin_role=account.admin_role,
            phone=f"1390000{2001 + n:04d}",  # the fake block, never a real person's number
            password=None,
        )
    # Hashing is deliberately slow: hash the one demo password once and give it to everyone.
    User.objects.filter(username__in=[a.username for a in accounts]).update(password=password_hash())
    return len(accounts)


@cache
def password_hash() -> str:
    """The demo password, hashed once per process for all the demo's accounts."""
    return make_password(data.PASSWORD)
