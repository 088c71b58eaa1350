"""The mediation records as they show themselves."""

from __future__ import annotations

from django.utils import timezone

from suban.mediation.figures import figures
from suban.mediation.services import dispute_accept, dispute_assign
from suban.org.models import Unit
from tests.mediation.conftest import Centre, walk_in


def test_a_mediator_is_shown_by_the_accounts_full_name(centre: Centre, org: dict[str, Unit]) -> None:
    rhea = centre.mediator("rhea")
    assert str(rhea) == "Rhea"  # the account's `name` (staff_create's name), not its user name
    dispute = walk_in(centre, org)
    dispute_accept(dispute=dispute, by=centre.mia)
    dispute_assign(dispute=dispute, by=centre.mia, room=centre.street, lead=rhea)
    assert dispute.events.get(action="assign").data["lead"] == "Rhea"
    registered = timezone.localdate(dispute.registered_at)
    assert [t.label for t in figures(org["D"].path, registered, registered).by_mediator] == ["Rhea"]
