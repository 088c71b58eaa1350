"""The console's navigation: the sections this person may use, with counts."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suban.accounts.access import console_refusal, optional_url
from suban.accounts.models import User
from suban.accounts.roles import Role
from suban.cases.selectors import INBOX_PILES, inbox_counts
from suban.console.inbox import counts_for, tabs_for
from suban.intel.daily import may_read as may_read_intel
from suban.knowledge.selectors import review_queue
from suban.mediation.selectors import nav_counts as mediation_counts

GRID_ROLES = frozenset({Role.GRID_WORKER, Role.SPECIALIST})
OVERSIGHT = frozenset({Role.SUPERVISOR, Role.LEADER})
# Who find the disputes of their grids in sweeps and report them (suban.mediation.services.may_report_risk).
RISK_REPORTERS = frozenset({Role.GRID_WORKER, Role.SPECIALIST, Role.COMMUNITY_HANDLER, Role.STREET_HANDLER})

# Pages of the grid-work part (suban.gridwork), shown when it provides them, to the roles that use them.
GRIDWORK_PAGES: tuple[tuple[str, Promise, frozenset[str]], ...] = (
    ("gridwork:report", gettext_lazy("Report an incident"), GRID_ROLES),
    ("gridwork:my_grid", gettext_lazy("Cases in my grid"), GRID_ROLES),
    ("gridwork:patrol", gettext_lazy("Patrols and work log"), GRID_ROLES),
    ("gridwork:visits", gettext_lazy("Return visits"), frozenset({Role.SUPERVISOR})),
    ("gridwork:board", gettext_lazy("Supervision board"), OVERSIGHT),
    ("gridwork:escalations", gettext_lazy("Escalations"), OVERSIGHT),
    (
        "gridwork:activity",
        gettext_lazy("Grid activity"),
        OVERSIGHT | {Role.STREET_HANDLER, Role.COMMUNITY_HANDLER, Role.DISPATCHER},
    ),
)


@dataclass
class Item:
    key: str
    label: str
    url: str
    count: int | None = None
    alert: str = ""
    active: bool = False


@dataclass
class Group:
    label: str
    items: list[Item] = field(default_factory=list)


def dispatch_count(user: User) -> int:
    piles = {k: INBOX_PILES[k] for k in ("new", "to_dispatch", "returned")}
    return sum(inbox_counts(user, piles).values())


def mediation_group(request: HttpRequest, user: User, here: str) -> Group:
    """The mediation centre: its queues, with counts, for mediators (two queries); the risk reports for those
    who report them and those who oversee; the figures for the overseers."""
    group = Group(_("Mediation"))
    counts = mediation_counts(user)
    if counts is not None:
        url = reverse("console:mediation")
        tab = getattr(request, "_mediation_tab", request.GET.get("tab", "")) if here == "console:mediation" else None
        group.items += [
            Item(
                "mediation-intake",
                _("Disputes to take in"),
                f"{url}?tab=intake",
                count=counts["intake"] or None,
                alert="yellow",
                active=tab == "intake",
            ),
            Item(
                "mediation-mine",
                _("My disputes"),
                f"{url}?tab=mine",
                count=counts["mine"] or None,
                active=tab == "mine",
            ),
            Item(
                "mediation-all",
                _("All disputes"),
                f"{url}?tab=all",
                active=here.startswith("console:dispute") or tab in ("room", "visits", "ended", "all"),
            ),
        ]
    if counts is not None or user.roles & (RISK_REPORTERS | OVERSIGHT):
        url = reverse("console:mediation_risks")
        group.items.append(Item("mediation-risks", _("Risk reports"), url, active=here == "console:mediation_risks"))
    if counts is not None or user.roles & OVERSIGHT:
        url = reverse("console:mediation_figures")
        group.items.append(
            Item("mediation-figures", _("Mediation figures"), url, active=here == "console:mediation_figures")
        )
    return group


def build_nav(request: HttpRequest, *, here: str | None = None) -> list[Group]:
    """`here` is the view whose page the navigation is drawn on; by default the one requested. An htmx
    action redraws the navigation of the page it was posted from, whose item must stay marked."""
    user = request.user
    if not user.is_authenticated or console_refusal(user) is not None:
        return []
    match = request.resolver_match
    if here is None:
        here = match.view_name if match else ""
    current_tab = request.GET.get("tab", "") if here == "console:inbox" else ""
    groups: list[Group] = []
    if Role.DISPATCHER in user.roles:
        groups.append(
            Group(
                _("Dispatch centre"),
                [
                    Item(
                        "dispatch",
                        _("New and returned cases"),
                        reverse("console:dispatch"),
                        count=dispatch_count(user),
                        active=here == "console:dispatch",
                    )
                ],
            )
        )
        sync = optional_url("citysync:queue")  # the city platform's delivery queue (suban.citysync)
        if sync:
            groups[-1].items.append(Item("citysync", _("City platform sync"), sync, active=here == "citysync:queue"))
        exchange = optional_url("exchange:home")  # 12345 and past systems' imports (suban.exchange)
        if exchange:
            active = bool(match and match.namespace == "exchange")
            groups[-1].items.append(Item("exchange", _("Work-order exchange"), exchange, active=active))
    counts = counts_for(request)
    inbox_url = reverse("console:inbox")
    shown_tab = getattr(request, "_console_tab", current_tab)
    groups.append(
        Group(
            _("Inbox"),
            [
                Item(
                    f"tab-{tab.key}",
                    str(tab.label),
                    f"{inbox_url}?tab={tab.key}",
                    count=counts.get(tab.key),
                    alert=tab.alert,
                    active=here == "console:inbox" and shown_tab == tab.key,
                )
                for tab in tabs_for(user)
            ],
        )
    )
    mediation = mediation_group(request, user, here)
    if mediation.items:
        groups.append(mediation)
    work = Group(_("Grid work and supervision"))
    for name, label, roles in GRIDWORK_PAGES:
        url = optional_url(name) if roles & user.roles else None
        if url:
            work.items.append(Item(name.replace(":", "-"), str(label), url, active=here == name))
    if work.items:
        groups.append(work)
    if may_read_intel(user):
        groups.append(
            Group(
                _("Insight"),
                [
                    Item("hotspots", _("Hotspots"), reverse("console:hotspots"), active=here == "console:hotspots"),
                    Item(
                        "seasonal", _("Seasonal alerts"), reverse("console:seasonal"), active=here == "console:seasonal"
                    ),
                ],
            )
        )
    knowledge = Item(
        "knowledge",
        _("Knowledge base"),
        reverse("console:knowledge"),
        count=review_queue(user).count() or None,
        alert="yellow",
        active=here.startswith("console:knowledge"),
    )
    groups.append(Group(_("Knowledge"), [knowledge]))
    assessment = optional_url("assess:rankings")  # rankings, unit figures and reports (suban.assess)
    if assessment:
        active = bool(match and match.namespace == "assess")
        item = Item("assessment", _("Rankings and reports"), assessment, active=active)
        groups.append(Group(_("Assessment"), [item]))
    dashboard = optional_url("dashboard:screen")  # the leaders' big screen (suban.dashboard)
    if dashboard and user.roles & {Role.LEADER, Role.SUPERVISOR, Role.DISPATCHER}:
        groups.append(Group(_("Dashboard"), [Item("dashboard", _("Smart governance dashboard"), dashboard)]))
    return groups
