"""The case (诉求 / 工单), its event log, co-handlers, supervision orders and attachments.

A case's state changes only through suban.cases.services, which check the transition table
(suban.cases.lifecycle), bump `version` with a conditional update and write one CaseEvent in the
same transaction. Replaying the events gives the current state.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from suban import crypto
from suban.catalogue.models import CaseType, Level, Matter
from suban.org.models import Unit


class Status(models.TextChoices):
    NEW = "new", _("New")  # submitted, waiting for the dispatch centre to accept it
    ACCEPTED = "accepted", _("Accepted")  # accepted, waiting for dispatch
    DISPATCHED = "dispatched", _("Dispatched")  # sent to a lead unit, waiting for its claim
    RETURNED = "returned", _("Returned")  # the lead unit sent it back, the dispatch centre decides
    IN_PROGRESS = "in_progress", _("In progress")
    ON_HOLD = "on_hold", _("On hold")  # 挂起: the clock stops
    REVIEWING = "reviewing", _("Reply under review")  # the district checks the reply before release
    VISITING = "visiting", _("Waiting for the return visit")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")  # rated unsatisfied: reopen or close
    CLOSED = "closed", _("Closed")
    DECLINED = "declined", _("Declined")
    MERGED = "merged", _("Merged")


TERMINAL = frozenset({Status.CLOSED, Status.DECLINED, Status.MERGED})
# Statuses in which a lead unit holds the case and its deadline runs.
WITH_UNIT = frozenset({Status.DISPATCHED, Status.IN_PROGRESS, Status.RETURNED, Status.ON_HOLD, Status.REVIEWING})
# Statuses in which the dispatch centre has yet to send the case to a unit.
WAITING_FOR_DISPATCH = frozenset({Status.NEW, Status.ACCEPTED})


class Nature(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation")  # 咨询
    HELP = "help", _("Request for help")  # 求助
    COMPLAINT = "complaint", _("Complaint")  # 投诉
    REPORT = "report", _("Report")  # 举报
    SUGGESTION = "suggestion", _("Suggestion")  # 建议
    PRAISE = "praise", _("Praise")  # 表扬


class Channel(models.TextChoices):
    H5 = "h5", _("Citizen H5")
    APP = "app", _("App")
    HOTLINE = "hotline", _("12345 hotline")
    GRID = "grid", _("Grid worker report")
    UNIT = "unit", _("Street or department report")
    CITY = "city", _("City platform")
    OPEN311 = "open311", _("Open311 client")
    OTHER = "other", _("Other")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    CRITICAL = "critical", _("Very urgent")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


class Alert(models.TextChoices):
    NONE = "", _("On time")
    YELLOW = "yellow", _("Due soon")
    RED = "red", _("Overdue")


class Case(models.Model):
    number = models.CharField(_("case number"), max_length=20, unique=True)
    case_type = models.CharField(_("type"), max_length=12, choices=CaseType.choices, default=CaseType.LIVELIHOOD)
    nature = models.CharField(_("nature"), max_length=12, choices=Nature.choices, default=Nature.HELP)
    matter = models.ForeignKey(
        Matter, verbose_name=_("matter"), null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.H5)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)

    # Where: a point and/or an address; the grid found from them; street and community kept for filters.
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    grid = models.ForeignKey(
        Unit, verbose_name=_("grid"), null=True, blank=True, on_delete=models.PROTECT, related_name="located_cases"
    )
    area_path = models.CharField(_("area"), max_length=400, blank=True, editable=False)

    # Who asked. The contact is stored encrypted and shown masked; anonymity hides it from handlers,
    # confidentiality hides the complainant from the unit complained about.
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("citizen"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    contact_name = models.CharField(_("contact name"), max_length=60, blank=True)
    contact_phone_encrypted = models.TextField(blank=True, editable=False)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    confidential = models.BooleanField(_("confidential"), default=False)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reported_cases",
    )
    source_ref = models.CharField(_("source reference"), max_length=64, blank=True)
    # A complaint about the staff of a unit: the case is never sent to that unit or a unit under it, and none of
    # them sees it (suban.cases.reach). `complained_path` is the unit's path, kept for the reach's conditions.
    complained_unit = models.ForeignKey(
        Unit,
        verbose_name=_("complaint about the staff of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    complained_path = models.CharField(max_length=400, blank=True, editable=False)

    # Who handles it now.
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NEW)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("lead unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    unit_path = models.CharField(_("lead unit path"), max_length=400, blank=True, editable=False)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_cases",
    )
    return_final = models.BooleanField(_("return decided"), default=False)

    # The clock. Stored instants, computed from the policies and the working-day calendar.
    dispatched_at = models.DateTimeField(_("dispatched"), null=True, blank=True)
    response_due_at = models.DateTimeField(_("response due"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    warn_at = models.DateTimeField(_("warning from"), null=True, blank=True)
    limit_days = models.DecimalField(
        _("handling limit (working days)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    extension_days = models.DecimalField(_("extension (working days)"), max_digits=5, decimal_places=2, default=0)
    held_at = models.DateTimeField(_("on hold since"), null=True, blank=True)
    alert = models.CharField(_("alert"), max_length=6, choices=Alert.choices, blank=True, default="")
    # When the deadline clock must next look at this case; NULL when nothing is pending.
    next_check_at = models.DateTimeField(null=True, blank=True, editable=False)

    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    reply = models.TextField(_("reply"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    satisfaction = models.CharField(_("satisfaction"), max_length=12, choices=Satisfaction.choices, blank=True)
    resolved = models.BooleanField(_("resolved"), null=True, blank=True)
    rating_comment = models.CharField(_("rating comment"), max_length=500, blank=True)

    decline_reason = models.CharField(_("decline reason"), max_length=20, blank=True)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )
    support_count = models.PositiveIntegerField(_("reporters"), default=1)
    return_count = models.PositiveSmallIntegerField(_("returns"), default=0)
    escalation_count = models.PositiveSmallIntegerField(_("escalations"), default=0)
    reopen_count = models.PositiveSmallIntegerField(_("reopened"), default=0)
    supervision_count = models.PositiveSmallIntegerField(_("supervisions"), default=0)
    pending_extension_days = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)

    version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["unit", "status", "due_at"], name="case_inbox"),
            # The yellow and red piles of an inbox: few rows, read by unit in deadline order.
            models.Index(fields=["unit", "alert", "due_at"], name="case_alert", condition=~Q(alert="")),
            models.Index(fields=["status", "created_at"], name="case_status_created"),
            # Newest first over a whole reach (a district's dispatcher): read backwards, stopping at a page.
            models.Index(fields=["-created_at", "-id"], name="case_newest"),
            # Prefix matches (LIKE 'path%') on PostgreSQL need the pattern operator class.
            models.Index(fields=["unit_path"], name="case_unit_path", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["next_check_at"], name="case_clock_due", condition=Q(next_check_at__isnull=False)),
            models.Index(
                fields=["pending_extension_days"],
                name="case_extension_asked",
                condition=Q(pending_extension_days__isnull=False),
            ),
            models.Index(fields=["area_path"], name="case_area_path", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["citizen", "created_at"], name="case_citizen"),
        ]
        constraints = [
            # A sender's work order is taken in once: a hotline that retries gets the case it made.
            models.UniqueConstraint(
                fields=["source_ref", "channel"], condition=~Q(source_ref=""), name="case_source_ref_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status not in TERMINAL

    @property
    def contact_phone(self) -> str:
        return crypto.decrypt(self.contact_phone_encrypted) if self.contact_phone_encrypted else ""

    @property
    def masked_contact_phone(self) -> str:
        return crypto.mask_phone(self.contact_phone)


class CoHandler(models.Model):
    """A co-handling unit (协办), or a specialist whistled in (吹哨)."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="co_handlers")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="co_cases")
    unit_path = models.CharField(max_length=400, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("co-handler")
        verbose_name_plural = _("co-handlers")
        constraints = [models.UniqueConstraint(fields=["case", "unit"], name="cases_cohandler_unique")]
        indexes = [models.Index(fields=["unit_path"], name="cohandler_unit_path", opclasses=["varchar_pattern_ops"])]

    def __str__(self) -> str:
        return str(self.unit)


class Action(models.TextChoices):
    """Every step a case can take: the lifecycle table's actions (suban.cases.lifecycle.TABLE) and the submit
    that starts a case. Labelled as a step of the timeline, in the past tense; the buttons' words are
    suban.cases.labels.ACTION_LABELS."""

    SUBMIT = "submit", _("Submitted")
    ACCEPT = "accept", _("Accepted")
    DECLINE = "decline", _("Declined")
    MERGE = "merge", _("Merged")
    ABSORB = "absorb", _("A duplicate was merged in")
    DISPATCH = "dispatch", _("Dispatched")
    CLAIM = "claim", _("Claimed")
    HANDLE_ON_SPOT = "handle_on_spot", _("Taken on the spot by the grid worker")
    RETURN = "return", _("Returned")
    REJECT_RETURN = "reject_return", _("Return rejected")
    ESCALATE = "escalate", _("Escalated")
    WHISTLE = "whistle", _("Whistled in a unit")
    NOTE = "note", _("Progress note")
    REQUEST_EXTENSION = "request_extension", _("Extension requested")
    APPROVE_EXTENSION = "approve_extension", _("Extension approved")
    REJECT_EXTENSION = "reject_extension", _("Extension rejected")
    HOLD = "hold", _("Put on hold")
    RESUME = "resume", _("Resumed")
    REPLY = "reply", _("Replied")
    APPROVE_REPLY = "approve_reply", _("Reply released")
    SEND_BACK = "send_back", _("Reply sent back")
    RATE = "rate", _("Rated")
    REOPEN = "reopen", _("Reopened")
    CLOSE = "close", _("Closed")
    SUPERVISE = "supervise", _("Supervision order")
    SUPERVISION_FEEDBACK = "supervision_feedback", _("Supervision answered")
    SUPERVISION_DONE = "supervision_done", _("Supervision order closed")
    RAISE_LEVEL = "raise_level", _("Level raised")
    ADD_INFO = "add_info", _("Citizen added information")
    ANSWER = "answer", _("Answered by the service centre")  # 直接答复: a consultation answered on the spot
    TO_MEDIATION = "to_mediation", _("Sent to the mediation centre")  # the ladder's top rung: 疑难 → 矛调中心
    MEDIATED = "mediated", _("Mediation ended")  # the dispute's outcome, back on the case
    WARN = "warn", _("Due soon")
    OVERDUE = "overdue", _("Overdue")


class CaseEvent(models.Model):
    """One step of a case: who, when, from which status to which, with a note. The audit trail."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField(_("step"))
    action = models.CharField(_("action"), max_length=24, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True, on_delete=models.PROTECT
    )
    actor_unit = models.ForeignKey(
        Unit, verbose_name=_("actor's unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_status = models.CharField(_("from"), max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=Status.choices)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    public = models.BooleanField(_("shown to the citizen"), default=True)
    at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["case", "seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="cases_event_seq_unique")]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.seq} {self.action}"


class SupervisionOrder(models.Model):
    """督办: an order to a unit about a case, with a deadline of its own. It ends when a supervisor closes it, or
    with its case: the step that closes, declines or merges the case settles the case's open orders."""

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("supervision order", "Open")
        DONE = "done", pgettext_lazy("supervision order", "Done")

    class Outcome(models.TextChoices):
        """How an order ended (done_at and done_by say when and by whom); blank while it is open."""

        DONE = "done", _("Closed by a supervisor")
        CASE_CLOSED = "case_closed", _("Ended as the case was closed")
        CASE_DECLINED = "case_declined", _("Ended as the case was declined")
        CASE_MERGED = "case_merged", _("Ended as the case was merged")

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="supervisions")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), null=True, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT
    )
    note = models.TextField(_("note"), blank=True)
    automatic = models.BooleanField(_("opened by the clock"), default=False)
    due_at = models.DateTimeField(_("due"))
    state = models.CharField(_("state"), max_length=6, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The handling unit's answer (办理反馈), then the supervisor's closing of the order.
    feedback = models.TextField(_("feedback"), blank=True)
    feedback_at = models.DateTimeField(_("feedback given"), null=True, blank=True)
    feedback_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("feedback by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.CharField(_("outcome"), max_length=14, choices=Outcome.choices, blank=True)

    class Meta:
        verbose_name = _("supervision order")
        verbose_name_plural = _("supervision orders")
        indexes = [models.Index(fields=["state", "due_at"], name="supervision_open")]
        constraints = [
            # An open order has no outcome; an ended one says how it ended, and when.
            models.CheckConstraint(
                condition=Q(state="open", outcome="") | (Q(state="done", done_at__isnull=False) & ~Q(outcome="")),
                name="supervision_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_state_display()}"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        VOICE = "voice", _("Voice")
        VIDEO = "video", _("Video")
        DOCUMENT = "document", _("Document")

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(
        CaseEvent, verbose_name=_("event"), null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to="cases/%Y/%m/")
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.file.name or ""


class CaseNumberCounter(models.Model):
    """The last number given out on a day; the row is locked while a number is taken."""

    day = models.DateField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("case number counter")

    def __str__(self) -> str:
        return f"{self.day} {self.last}"


class DeadlinePolicy(models.Model):
    """A handling limit in working days for the cases it matches; the most specific row wins.

    Empty fields match anything. Specificity counts the filled fields, urgency first, then level,
    nature and type. Admin-editable; defaults are loaded by a migration.
    """

    case_type = models.CharField(_("type"), max_length=12, choices=CaseType.choices, blank=True)
    nature = models.CharField(_("nature"), max_length=12, choices=Nature.choices, blank=True)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, blank=True)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, blank=True)
    working_days = models.DecimalField(_("handling limit (working days)"), max_digits=5, decimal_places=2)
    response_hours = models.DecimalField(_("response limit (hours)"), max_digits=5, decimal_places=2, default=4)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")
        constraints = [
            models.UniqueConstraint(
                fields=["case_type", "nature", "level", "urgency"], name="cases_deadline_policy_unique"
            ),
            models.CheckConstraint(condition=Q(working_days__gt=0), name="cases_deadline_policy_positive"),
        ]

    def __str__(self) -> str:
        parts = [
            self.get_case_type_display(),
            self.get_nature_display(),
            self.get_level_display(),
            self.get_urgency_display(),
        ]
        return " / ".join(p for p in parts if p) + f": {self.working_days}"
