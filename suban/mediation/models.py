"""The mediation centre (矛盾纠纷调解, 人和): disputes as records of their own, beside cases.

A dispute is taken in once (一口受理) by the one-stop centre or a mediation room, assigned to a room at the
right level and to mediators, mediated in sessions, and ends in an agreement (written, with its PDF, or oral),
a failure with a referral, or is declined to the channel it belongs to. An agreement is visited for its
fulfilment. The steps are the table in suban.mediation.lifecycle; each writes one DisputeEvent. A dispute's
content is read only by the centre, its room, its mediators and its parties (suban.mediation.selectors).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from suban import crypto

TEXT_LENGTH = 10000


class RoomLevel(models.TextChoices):
    CENTRE = "centre", _("One-stop mediation centre")  # 一站式矛调中心 (the county's)
    TOWNSHIP = "township", _("Township mediation room")
    VILLAGE = "village", _("Village mediation room")


class Room(models.Model):
    """A mediation room (调解室). Its unit is its reach: the disputes of places under it are its own."""

    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=RoomLevel.choices)
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("mediation room")
        verbose_name_plural = _("mediation rooms")
        ordering = ["level", "name"]

    def __str__(self) -> str:
        return self.name


class Desk(models.Model):
    """A department seated at the one-stop centre (court, procuratorate, police, justice, civil affairs, …)."""

    room = models.ForeignKey(Room, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="desks")
    unit = models.ForeignKey("org.Unit", verbose_name=_("department"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("desk"), max_length=100)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("seated department")
        verbose_name_plural = _("seated departments")
        ordering = ["room", "name"]
        constraints = [models.UniqueConstraint(fields=["room", "unit"], name="mediation_desk_unit")]

    def __str__(self) -> str:
        return self.name


class MediatorKind(models.TextChoices):
    PEOPLE = "people", _("People's mediator")  # 人民调解员
    ADMINISTRATIVE = "administrative", _("Administrative mediator")  # 行政调解
    PROFESSIONAL = "professional", _("Professional mediator")  # 行业/专业调解


class Category(models.TextChoices):
    FAMILY = "family", _("Marriage and family")
    NEIGHBOURS = "neighbours", _("Neighbours")
    PROPERTY = "property", _("Property management")
    LABOUR = "labour", _("Labour dispute")
    LAND = "land", _("Land contracting")
    CONSUMER = "consumer", _("Consumer")
    MEDICAL = "medical", _("Medical")
    TRAFFIC = "traffic", _("Traffic accident")
    OTHER = "other", _("Other")


class Mediator(models.Model):
    """A staff account that mediates, in one room (or at a desk of the centre)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.PROTECT, related_name="mediator"
    )
    room = models.ForeignKey(Room, verbose_name=_("room"), on_delete=models.PROTECT, related_name="mediators")
    desk = models.ForeignKey(
        Desk, verbose_name=_("desk"), null=True, blank=True, on_delete=models.PROTECT, related_name="mediators"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=MediatorKind.choices, default=MediatorKind.PEOPLE)
    # Categories this mediator is good at, comma-separated codes of Category.
    specialities = models.CharField(_("specialities"), max_length=200, blank=True)
    head = models.BooleanField(_("head of the room"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("mediator")
        verbose_name_plural = _("mediators")
        ordering = ["room", "-head", "user__name"]

    def __str__(self) -> str:
        return self.user.name or self.user.get_username()

    def speciality_list(self) -> list[str]:
        return [s for s in self.specialities.replace("，", ",").split(",") if s.strip()]


class Risk(models.TextChoices):
    GENERAL = "general", _("General")  # 一般
    MAJOR = "major", _("Major")  # 较大
    SERIOUS = "serious", _("Serious")  # 重大


class Source(models.TextChoices):
    CASE = "case", _("Escalated from a case")
    WALK_IN = "walk_in", _("Walk-in")
    CALL = "call", _("Call to a room")
    SWEEP = "sweep", _("Risk sweep")
    HOTLINE = "hotline", _("12345 hotline")
    COURT = "court", _("Court referral before litigation")  # 诉前委派
    H5 = "h5", _("Application on the H5")


class DisputeStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    ASSIGNED = "assigned", _("Assigned")
    MEDIATING = "mediating", _("Mediating")
    AGREED = "agreed", _("Agreed")
    FAILED = "failed", pgettext_lazy("dispute", "Failed")
    FULFILLED = "fulfilled", _("Agreement fulfilled")
    UNFULFILLED = "unfulfilled", _("Agreement not fulfilled")
    CLOSED = "closed", _("Closed")


class AgreementKind(models.TextChoices):
    WRITTEN = "written", _("Written agreement")  # 调解协议书
    ORAL = "oral", _("Oral agreement")  # 口头协议


class Referral(models.TextChoices):
    LITIGATION = "litigation", _("Litigation")
    ARBITRATION = "arbitration", _("Arbitration")
    ADMINISTRATIVE = "administrative", _("Administrative channel")
    PETITION = "petition", _("Petition (信访)")


class Alert(models.TextChoices):
    NONE = "", _("None")
    YELLOW = "yellow", _("Due soon")
    RED = "red", _("Overdue")


class Dispute(models.Model):
    number = models.CharField(_("dispute number"), max_length=20, unique=True)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    summary = models.CharField(_("summary"), max_length=200)
    facts = models.TextField(_("facts"), max_length=TEXT_LENGTH, blank=True)
    amount = models.DecimalField(_("amount at stake (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    risk = models.CharField(_("risk level"), max_length=8, choices=Risk.choices, default=Risk.GENERAL)
    escalating = models.BooleanField(_("may escalate"), default=False)  # 可能激化
    source = models.CharField(pgettext_lazy("dispute", "source"), max_length=8, choices=Source.choices)
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Where it happened: its reach (who may see the counts, which rooms may take it).
    unit = models.ForeignKey("org.Unit", verbose_name=_("place"), on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=400, editable=False)
    room = models.ForeignKey(
        Room, verbose_name=_("room"), null=True, blank=True, on_delete=models.PROTECT, related_name="disputes"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=DisputeStatus.choices, default=DisputeStatus.REGISTERED
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applied on the H5 by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disputes",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("registered"))

    # The clock: 30 days from acceptance, longer by the parties' agreement.
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    extended_days = models.PositiveSmallIntegerField(_("extended (days)"), default=0)
    alert = models.CharField(_("alert"), max_length=6, choices=Alert.choices, blank=True, default="")
    next_check_at = models.DateTimeField(null=True, blank=True, editable=False)

    # The outcome.
    decline_reason = models.CharField(_("why declined"), max_length=500, blank=True)
    agreement = models.CharField(_("agreement"), max_length=8, choices=AgreementKind.choices, blank=True)
    terms = models.TextField(_("terms agreed"), max_length=TEXT_LENGTH, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    judicial_confirmation_on = models.DateField(_("judicial confirmation asked on"), null=True, blank=True)
    referral = models.CharField(_("referred to"), max_length=16, choices=Referral.choices, blank=True)
    failure_reason = models.TextField(_("why it failed"), max_length=5000, blank=True)
    ended_at = models.DateTimeField(_("mediation ended"), null=True, blank=True)
    # How it ended (declined, agreed, failed, then fulfilled or not): what a closed dispute counts as.
    ended_as = models.CharField(_("ended as"), max_length=12, choices=DisputeStatus.choices, blank=True)
    visit_on = models.DateField(_("fulfilment visit due"), null=True, blank=True)
    visit_note = models.TextField(_("fulfilment visit"), max_length=5000, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        ordering = ["-registered_at", "-id"]
        indexes = [
            models.Index(fields=["status", "registered_at"], name="dispute_status"),
            # The figures of a period, newest first lists.
            models.Index(fields=["registered_at"], name="dispute_registered"),
            models.Index(fields=["unit_path"], name="dispute_unit_path", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["next_check_at"], name="dispute_clock", condition=Q(next_check_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return self.number  # (its summary is content: not for the audit log's target, nor the admin's titles)


class Side(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    RESPONDENT = "respondent", _("Respondent")


class PartyKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", pgettext_lazy("party", "Organisation")


class Party(models.Model):
    """A side of a dispute. Identity number and phone are stored encrypted, found by a keyed hash."""

    dispute = models.ForeignKey(Dispute, verbose_name=_("dispute"), on_delete=models.CASCADE, related_name="parties")
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=PartyKind.choices, default=PartyKind.PERSON)
    name = models.CharField(_("name"), max_length=100)
    id_number_encrypted = models.TextField(blank=True, editable=False)
    phone_encrypted = models.TextField(blank=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["dispute", "side", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def phone(self) -> str:
        return crypto.decrypt(self.phone_encrypted) if self.phone_encrypted else ""

    @property
    def masked_phone(self) -> str:
        return crypto.mask_phone(self.phone)

    @property
    def id_number(self) -> str:
        return crypto.decrypt(self.id_number_encrypted) if self.id_number_encrypted else ""

    @property
    def masked_id_number(self) -> str:
        number = self.id_number
        return f"{number[:3]}{'*' * (len(number) - 7)}{number[-4:]}" if len(number) > 7 else "*" * len(number)


class Assignment(models.Model):
    """A mediator on a dispute: the lead, or joint (联合调解, often a desk of the centre)."""

    dispute = models.ForeignKey(
        Dispute, verbose_name=_("dispute"), on_delete=models.CASCADE, related_name="assignments"
    )
    mediator = models.ForeignKey(
        Mediator, verbose_name=_("mediator"), on_delete=models.PROTECT, related_name="assignments"
    )
    lead = models.BooleanField(_("lead"), default=False)
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["dispute", "-lead", "id"]
        constraints = [
            models.UniqueConstraint(fields=["dispute", "mediator"], name="mediation_assignment_unique"),
            models.UniqueConstraint(fields=["dispute"], condition=Q(lead=True), name="mediation_one_lead"),
        ]

    def __str__(self) -> str:
        return f"{self.dispute_id} {self.mediator}"


class Session(models.Model):
    """调解会: one sitting of the mediation."""

    dispute = models.ForeignKey(Dispute, verbose_name=_("dispute"), on_delete=models.CASCADE, related_name="sessions")
    held_at = models.DateTimeField(_("held"))
    place = models.CharField(_("place"), max_length=200)
    attended = models.TextField(_("who attended"), max_length=2000)
    desks = models.ManyToManyField(Desk, verbose_name=_("departments present"), blank=True, related_name="+")
    said = models.TextField(_("what was said"), max_length=TEXT_LENGTH)
    next_step = models.TextField(_("next step"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("mediation session")
        verbose_name_plural = _("mediation sessions")
        ordering = ["dispute", "held_at", "id"]

    def __str__(self) -> str:
        return f"{self.dispute_id} {self.held_at:%Y-%m-%d}"


class DisputeEvent(models.Model):
    """One step of a dispute: who, when, from which status to which, with a note."""

    dispute = models.ForeignKey(Dispute, verbose_name=_("dispute"), on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField(_("step"))
    action = models.CharField(_("action"), max_length=24)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True, on_delete=models.PROTECT
    )
    from_status = models.CharField(_("from"), max_length=12, choices=DisputeStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=DisputeStatus.choices)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("dispute event")
        verbose_name_plural = _("dispute events")
        ordering = ["dispute", "seq"]
        constraints = [models.UniqueConstraint(fields=["dispute", "seq"], name="mediation_event_seq")]

    def __str__(self) -> str:
        return f"{self.dispute_id}#{self.seq} {self.action}"


class RiskReport(models.Model):
    """风险隐患 found in a 矛盾纠纷排查 sweep: it may become a dispute; a serious one is flagged to the street."""

    grid = models.ForeignKey("org.Unit", verbose_name=_("grid"), on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=400, editable=False)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    level = models.CharField(_("risk level"), max_length=8, choices=Risk.choices)
    parties = models.CharField(_("who is involved"), max_length=300)
    place = models.CharField(_("place"), max_length=200)
    what = models.TextField(_("what was found"), max_length=5000)
    reported_at = models.DateTimeField(_("reported"), auto_now_add=True)
    dispute = models.OneToOneField(
        Dispute, verbose_name=_("became dispute"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("risk report")
        verbose_name_plural = _("risk reports")
        ordering = ["-reported_at"]
        indexes = [models.Index(fields=["unit_path"], name="risk_unit_path", opclasses=["varchar_pattern_ops"])]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.place}"


class DisputeCounter(models.Model):
    """The last dispute number given out on a day; the row is locked while a number is taken."""

    day = models.DateField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("dispute number counter")

    def __str__(self) -> str:
        return f"{self.day} {self.last}"
