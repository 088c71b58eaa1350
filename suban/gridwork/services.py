"""Writes of grid work. Case changes go through suban.cases.services (which check the lifecycle table);
what is grid work's own (patrols, the log, a report's on-the-spot note) is written here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date as Date
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from suban.accounts.models import User
from suban.audit.services import audit_record
from suban.cases.attachments import MAX_PHOTOS, check_upload, discard_files, save_attachments
from suban.cases.lifecycle import Actor, allowed, relations
from suban.cases.models import Attachment, Case, CaseEvent, Channel, Nature, Status, Urgency
from suban.cases.selectors import cases_visible_to
from suban.cases.services import (
    case_claim,
    case_close,
    case_handle_on_spot,
    case_rate,
    case_reopen,
    case_reply,
    case_submit,
    repeat_of,
)
from suban.cases.services.core import next_case_number
from suban.cases.services.intake import Taken
from suban.cases.visibility import contact_for
from suban.catalogue.models import CaseType
from suban.errors import Conflict, Forbidden, Invalid
from suban.gridwork.access import is_grid_worker
from suban.gridwork.geo import clean_track, track_length_m, unit_centre
from suban.gridwork.models import GridReport, Patrol, WorkKind, WorkLogEntry
from suban.org.directory import directory
from suban.org.grid_index import lookup_point
from suban.org.models import Unit

LOG_BACKDATE_DAYS = 7  # a forgotten entry may be written up to a week later, not invented for last year


def _own_unit(by: User) -> Unit:
    if not is_grid_worker(by):
        raise Forbidden(_("Only grid workers do this."))
    unit: Unit = by.unit  # type: ignore[assignment]  # a grid worker has a unit
    return unit


def check_photos(photos: Sequence[UploadedFile], field: str = "photos") -> None:
    """Every file must be a photo the attachment rules accept; checked before anything is written."""
    if len(photos) > MAX_PHOTOS:
        raise Invalid(_("Attach at most %(n)d photos.") % {"n": MAX_PHOTOS}, field=field)
    for photo in photos:
        try:
            kind = check_upload(photo)
        except Invalid as exc:
            raise Invalid(exc.message, field=field) from None
        if kind != Attachment.Kind.PHOTO:
            raise Invalid(_("%(name)s is not a photo.") % {"name": photo.name}, field=field)
        photo.seek(0)


def _last_event(case: Case) -> CaseEvent:
    return CaseEvent.objects.get(case=case, seq=case.version)


def open_patrol(worker: Any) -> Patrol | None:
    return Patrol.objects.filter(worker=worker, ended_at=None).first()


# --- Reporting an incident (上报事项) --------------------------------------------------------------------


def grid_report(**report: Any) -> Case:
    """grid_report_taken's case."""
    return grid_report_taken(**report).case


def grid_report_taken(
    *,
    by: User,
    title: str,
    text: str = "",
    case_type: str = CaseType.LIVELIHOOD,
    nature: str = Nature.HELP,
    urgency: str = Urgency.NORMAL,
    longitude: float | None = None,
    latitude: float | None = None,
    address: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    photos: Sequence[UploadedFile] = (),
    solved_on_spot: bool = False,
    solution: str = "",
) -> Taken:
    """A grid worker files a case (channel GRID). Without GPS the case is placed at the grid's centre.

    The same title and text again from the same worker within REPEAT_WINDOW_MINUTES (the browser's Back after
    sending, and send again) give back the first case, created=False, and store nothing (repeat_of).

    "Solved on the spot" inside the worker's own grid is the table's `handle_on_spot` (即报即办): the worker
    takes the case as its first receiver and replies at once; the reply goes to the district's review like
    any other. A report from outside their grid waits for the dispatch centre: the solution is then written
    into the case text for the dispatcher, kept here, and offered as the reply later.
    """
    grid = _own_unit(by)
    if not title.strip():  # said before a case number is taken, so a refused report leaves no gap
        raise Invalid(_("A request needs a title."), field="title")
    solution = solution.strip()
    if solved_on_spot and not solution:
        raise Invalid(_("Say what you did on the spot."), field="solution")
    check_photos(photos)
    located_by = GridReport.Located.GPS
    if longitude is None and latitude is None:
        centre = unit_centre(grid)
        if centre is not None:
            longitude, latitude = centre
            located_by = GridReport.Located.GRID_CENTRE
        else:
            located_by = GridReport.Located.ADDRESS
    body = text.strip()
    on_spot = solved_on_spot and _in_grid(grid, longitude, latitude)
    if solved_on_spot and not on_spot:
        marker = _("[Solved on the spot]")
        body = f"{body}\n\n{marker} {solution}".strip()
    first = repeat_of(reporter=by, title=title, text=body)
    if first is not None:
        return Taken(first, created=False)
    number = next_case_number(timezone.now())  # before the transaction: see next_case_number
    saved: list[Attachment] = []
    try:
        with transaction.atomic():
            case = case_submit(
                by=by,
                number=number,
                title=title,
                text=body,
                case_type=case_type,
                nature=nature,
                urgency=urgency,
                channel=Channel.GRID,
                longitude=longitude,
                latitude=latitude,
                address=address,
                contact_name=contact_name,
                contact_phone=contact_phone,
            )
            if photos:
                saved = save_attachments(case=case, files=list(photos), by=by, event=_last_event(case))
            if on_spot:
                case_handle_on_spot(case=case, by=by, note=_("Handled on the spot by the grid worker."))
                case_reply(case=case, by=by, reply=solution)
            GridReport.objects.create(
                case=case,
                worker=by,
                grid=grid,
                patrol=open_patrol(by),
                solved_on_spot=solved_on_spot,
                solution=solution,
                located_by=located_by,
            )
    except BaseException:
        discard_files(saved)  # the rows rolled back; the stored files must not outlive them
        raise
    return Taken(case, created=True)


def _in_grid(grid: Unit, longitude: float | None, latitude: float | None) -> bool:
    """Whether the point lies in the worker's own grid (or a special grid inside it)."""
    if longitude is None or latitude is None:
        return False
    hit = lookup_point(longitude, latitude)
    found = directory().get(hit.grid_id) if hit is not None else None
    return found is not None and found.path.startswith(grid.path)


def grid_solve(
    *, case: Case, by: User, reply: str, photos: Sequence[UploadedFile] = (), expected_version: int | None = None
) -> Case:
    """Solve on the spot from the list: claim the case if it still waits for its claim, then reply with photos.
    The reply goes to the dispatch centre's review like any other; both steps are the table's."""
    if not reply.strip():
        raise Invalid(_("Write the reply to the citizen."), field="reply")
    check_photos(photos)
    saved: list[Attachment] = []
    try:
        with transaction.atomic():
            if case.status == Status.DISPATCHED and allowed(case, "claim", by):
                case_claim(case=case, by=by, expected_version=expected_version)
                expected_version = None
            case_reply(case=case, by=by, reply=reply, expected_version=expected_version)
            if photos:
                saved = save_attachments(case=case, files=list(photos), by=by, event=_last_event(case))
    except BaseException:
        discard_files(saved)
        raise
    return case


# --- Patrols and the work log ---------------------------------------------------------------------------


def patrol_start(*, by: User, note: str = "") -> Patrol:
    grid = _own_unit(by)
    if open_patrol(by) is not None:
        raise Conflict(_("A patrol is already under way; stop it first."))
    try:
        with transaction.atomic():
            return Patrol.objects.create(worker=by, grid=grid, started_at=timezone.now(), note=note.strip())
    except IntegrityError:  # a double tap that raced past the check above
        raise Conflict(_("A patrol is already under way; stop it first.")) from None


def patrol_stop(*, patrol: Patrol, by: User, note: str = "", track: Any = None) -> Patrol:
    _own_unit(by)
    if patrol.worker_id != by.pk:
        raise Forbidden(_("This is not your patrol."))
    points = clean_track(track)
    now = timezone.now()
    note = "\n".join(n for n in (patrol.note, note.strip()) if n)
    photos = Attachment.objects.filter(
        uploaded_by=by, kind=Attachment.Kind.PHOTO, created_at__gte=patrol.started_at, created_at__lte=now
    ).count()
    values = {
        "ended_at": now,
        "note": note,
        "track": points,
        "distance_m": track_length_m(points) if len(points) > 1 else None,
        "photo_count": min(photos, 32767),
    }
    # Compare-and-swap: of two stops (two tabs) one wins, the other is told.
    if not Patrol.objects.filter(pk=patrol.pk, ended_at=None).update(**values):
        raise Conflict(_("This patrol has already ended."))
    for name, value in values.items():
        setattr(patrol, name, value)
    return patrol


def worklog_add(*, by: User, kind: str, text: str, date: Date | None = None, case_number: str = "") -> WorkLogEntry:
    grid = _own_unit(by)
    if kind not in WorkKind.values:
        raise Invalid(_("Choose the kind of work."), field="kind")
    if not text.strip():
        raise Invalid(_("Write what you did."), field="text")
    today = timezone.localdate()
    date = date or today
    if date > today:
        raise Invalid(_("A log entry cannot be dated in the future."), field="date")
    if date < today - timedelta(days=LOG_BACKDATE_DAYS):
        raise Invalid(
            _("A log entry may be written at most %(days)d days later.") % {"days": LOG_BACKDATE_DAYS}, field="date"
        )
    case = None
    if case_number.strip():
        case = cases_visible_to(by).filter(number=case_number.strip()).first()
        if case is None:
            raise Invalid(_("No case %(number)s in your reach.") % {"number": case_number.strip()}, field="case")
    return WorkLogEntry.objects.create(worker=by, grid=grid, date=date, kind=kind, text=text.strip(), case=case)


# --- The return visit (回访) -------------------------------------------------------------------------------

VISIT_STATUSES = frozenset({Status.VISITING, Status.UNSATISFIED})


class Decision:
    LATER = ""
    REOPEN = "reopen"
    CLOSE = "close"


def contact_reveal(*, case: Case, by: User, request: HttpRequest | None = None) -> str:
    """The complainant's full number for the return-visit call; every reveal is in the audit chain."""
    if Actor.SUPERVISOR not in relations(case, by):
        raise Forbidden(_("Only a supervisor reaching this case may call the complainant."))
    if case.status not in VISIT_STATUSES:
        raise Conflict(_("The case is not waiting for a return visit."))
    if contact_for(case, by)["hidden"]:
        raise Invalid(_("The complainant asked to stay anonymous: there is no number to call."))
    phone = case.contact_phone
    if not phone:
        raise Invalid(_("The case has no contact number."))
    audit_record(
        action="case.contact_reveal",
        actor=by,
        target=case,
        detail={"number": case.number, "purpose": "return_visit"},
        request=request,
    )
    return phone


def visit_record(
    *,
    case: Case,
    by: User,
    satisfaction: str,
    resolved: bool,
    comment: str = "",
    decision: str = Decision.LATER,
    decision_note: str = "",
    expected_version: int | None = None,
) -> Case:
    """The supervisor records the citizen's answer on the phone (the table lets a supervisor rate for them).
    Satisfied or basically satisfied closes the case; unsatisfied may be reopened or closed at once."""
    with transaction.atomic():
        case_rate(
            case=case,
            by=by,
            satisfaction=satisfaction,
            resolved=resolved,
            comment=comment,
            expected_version=expected_version,
        )
        if case.status == Status.UNSATISFIED:
            visit_decide(case=case, by=by, decision=decision, note=decision_note)
    return case


def visit_decide(*, case: Case, by: User, decision: str, note: str = "", expected_version: int | None = None) -> Case:
    """After an unsatisfied rating: back to the unit to put right (重办), or closed with the reason."""
    if decision == Decision.REOPEN:
        return case_reopen(case=case, by=by, note=note, expected_version=expected_version)
    if decision == Decision.CLOSE:
        return case_close(case=case, by=by, note=note, expected_version=expected_version)
    if decision != Decision.LATER:
        raise Invalid(_("Choose reopen or close."), field="decision")
    return case
