"""What the citizen H5 writes: a request with its files, a proxy-handling request, added information.
Each calls the case services and stores the files in the same transaction, so nothing is half-created;
a form sent twice (same key) gives back the case the first one created."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, Required, TypedDict, Unpack

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from suban.accounts.models import User
from suban.cases.attachments import discard_files, save_attachments
from suban.cases.models import Attachment, Case, CaseEvent, Channel, Nature, Status
from suban.cases.services import case_add_info, case_merge, case_submit, repeat_of
from suban.cases.services.intake import same_words
from suban.catalogue.models import CaseType
from suban.errors import Forbidden, Invalid
from suban.h5.models import ConvenienceService, SubmitKey
from suban.intel.duplicates import Duplicate, draft_probe, find_duplicates
from suban.org.address import match_address
from suban.org.grid_index import lookup_point
from suban.org.models import GRID_KINDS, Unit


def _require_citizen(by: User | AnonymousUser | None) -> None:
    if by is None or not by.is_authenticated or not by.is_citizen:
        raise Forbidden(_("Only a citizen logged in on the H5 submits here."))


def _once(
    *, by: User, key: uuid.UUID, files: Sequence[Any], create: Callable[[], Case], title: str, text: str
) -> tuple[Case, bool]:
    """Create the case (and store `files` on its first step) unless `key` already made one, or the citizen sent
    the same title and text a few minutes ago (repeat_of: going back after sending restores the words under a
    new key). Returns the case and whether it is new; the files of a repeat are not stored."""
    _require_citizen(by)
    stored: list[Attachment] = []
    try:
        with transaction.atomic():
            claim, created = SubmitKey.objects.select_for_update().get_or_create(citizen=by, key=key)
            if not created and claim.case is not None:
                return claim.case, False
            repeated = repeat_of(citizen=by, title=title, text=text)
            if repeated is not None:
                claim.case = repeated
                claim.save(update_fields=["case"])
                return repeated, False
            case = create()
            first = CaseEvent.objects.filter(case=case).order_by("seq").first()
            stored = save_attachments(case=case, files=files, by=by, event=first)
            claim.case = case
            claim.save(update_fields=["case"])
    except IntegrityError:
        # The same key at the same moment from a second connection: the first one won; show its case.
        discard_files(stored)
        existing = SubmitKey.objects.filter(citizen=by, key=key, case__isnull=False).select_related("case").first()
        if existing is None or existing.case is None:
            raise
        return existing.case, False
    except BaseException:
        discard_files(stored)
        raise
    return case, True


def purge_submit_keys(*, now: datetime | None = None, chunk: int = 5000) -> int:
    """Delete the form keys older than H5_SUBMIT_KEY_DAYS (a retry comes within minutes, not days), in chunks
    so that no long lock is held. Returns how many went."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.H5_SUBMIT_KEY_DAYS)
    purged = 0
    while True:
        ids = list(SubmitKey.objects.filter(created_at__lt=cutoff).values_list("pk", flat=True)[:chunk])
        if not ids:
            return purged
        purged += SubmitKey.objects.filter(pk__in=ids).delete()[0]


class H5Fields(TypedDict, total=False):
    """What the citizen says about a request on the H5 form, as case_submit takes it: the same for a request
    of their own (h5_submit, which also takes `confidential` and files) and for one that follows another
    (h5_me_too)."""

    title: Required[str]
    text: Required[str]
    case_type: Required[str]
    nature: str
    longitude: float | None
    latitude: float | None
    address: str
    contact_name: str
    anonymous: bool
    complained_unit: Unit | None


def h5_submit(
    *,
    by: User,
    key: uuid.UUID,
    confidential: bool = False,
    files: Sequence[Any] = (),
    **fields: Unpack[H5Fields],
) -> tuple[Case, bool]:
    """A citizen's request from the H5, with up to nine photos and one voice recording or video."""

    def create() -> Case:
        return case_submit(by=by, channel=Channel.H5, confidential=confidential, **fields)

    return _once(by=by, key=key, files=files, create=create, title=fields["title"], text=fields["text"])


def h5_request_service(
    *,
    by: User,
    key: uuid.UUID,
    service: ConvenienceService,
    note: str,
    contact_name: str,
    contact_phone: str = "",
    address: str = "",
) -> tuple[Case, bool]:
    """代办: the citizen asks the district to handle a convenience service for them. A help request filed
    under the service's matter, titled after the service."""
    if not service.is_active:
        raise Invalid(_("This service is not offered at the moment."), field="service")
    if not contact_name.strip():
        raise Invalid(_("Tell us how to address you."), field="contact_name")

    title = f"代办：{service.name}"  # data, not UI: staff read the case title in Chinese whatever they chose

    def create() -> Case:
        return case_submit(
            by=by,
            title=title,
            text=note,
            case_type=CaseType.LIVELIHOOD,
            nature=Nature.HELP,
            channel=Channel.H5,
            matter=service.matter if service.matter is not None and service.matter.is_active else None,
            address=address,
            contact_name=contact_name,
            contact_phone=contact_phone,
        )

    return _once(by=by, key=key, files=(), create=create, title=title, text=note)


def h5_add_info(
    *, case: Case, by: User, text: str, files: Sequence[Any] = (), expected_version: int | None = None
) -> Case:
    """The citizen adds to their open request: a text and up to nine photos, on one step of the timeline. The
    same words again within REPEAT_WINDOW_MINUTES (Back after sending, and send again) add nothing: the step
    made the first time stands, and the repeat's files are not stored."""
    stored: list[Attachment] = []
    try:
        with transaction.atomic():
            if _added_already(case=case, by=by, text=text):
                return case
            case_add_info(case=case, by=by, text=text, expected_version=expected_version)
            event = CaseEvent.objects.get(case=case, seq=case.version)
            stored = save_attachments(case=case, files=files, by=by, event=event)
    except BaseException:
        discard_files(stored)
        raise
    return case


def _added_already(*, case: Case, by: User, text: str) -> bool:
    """Whether `by` added these very words (see repeat_of) to `case` within the last REPEAT_WINDOW_MINUTES."""
    minutes = settings.REPEAT_WINDOW_MINUTES
    if minutes <= 0 or not text.strip():
        return False
    since = timezone.now() - timedelta(minutes=minutes)
    recent = CaseEvent.objects.filter(case=case, action="add_info", actor=by, at__gte=since)
    wanted = same_words(text)
    return any(same_words(note) == wanted for note in recent.values_list("note", flat=True))


# --- "Already reported — follow it" (me too) ----------------------------------------------------------------
# Before a request is sent, the citizen sees the open requests near in place and time that say the same thing
# (suban.intel.duplicates). Following one creates the citizen's own request and merges it into that one at
# once: one more reporter there, and the citizen's request shows that case's answer (released_reply and the
# notifications already follow a merged case).

MAX_ME_TOO = 3


def _place(longitude: float | None, latitude: float | None, address: str) -> int | None:
    if longitude is not None and latitude is not None:
        hit = lookup_point(longitude, latitude)
        if hit is not None:
            return hit.grid_id
    if address.strip():
        match = match_address(address)
        if match is not None and match.unit.kind in GRID_KINDS:
            return match.unit.pk
    return None


def me_too_candidates(
    *, by: User, title: str, text: str, longitude: float | None, latitude: float | None, address: str = ""
) -> list[Duplicate]:
    """Open requests the citizen may follow instead of sending their own: taken in by the district (past
    new), neither confidential nor a complaint about a unit's staff, not the citizen's own, near in place and
    time, alike in what they say."""
    _require_citizen(by)
    probe = draft_probe(
        title=title, text=text, grid_id=_place(longitude, latitude, address), longitude=longitude, latitude=latitude
    )
    pool = Case.objects.exclude(status=Status.NEW).filter(confidential=False, complained_path="").exclude(citizen=by)
    return find_duplicates(probe, among=pool, limit=MAX_ME_TOO)


def h5_me_too(*, by: User, key: uuid.UUID, into: str, **fields: Unpack[H5Fields]) -> tuple[Case, bool]:
    """The citizen follows the open request `into` (a number offered by me_too_candidates): their own request
    is created and merged into it in one transaction. The same key twice gives back the first one."""
    _require_citizen(by)
    offered = me_too_candidates(
        by=by,
        title=fields["title"],
        text=fields["text"],
        longitude=fields.get("longitude"),
        latitude=fields.get("latitude"),
        address=fields.get("address", ""),
    )
    target = next((d.case for d in offered if d.case.number == into), None)

    def create() -> Case:
        if target is None:
            raise Invalid(
                _("That request can no longer be followed (it may be closed); please submit yours."), field="me_too"
            )
        case = case_submit(by=by, channel=Channel.H5, **fields)
        with translation.override("zh-hans"):
            note = _("The citizen follows %(number)s: the same problem (me too).") % {"number": target.number}
        return case_merge(case=case, by=None, into=target, note=note)

    return _once(by=by, key=key, files=(), create=create, title=fields["title"], text=fields["text"])
