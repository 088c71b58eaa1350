"""Sync with a platform above the district (the city's 12345 platform, 青诉即办): the webhooks every case event
is pushed to, the deliveries waiting in their outbox, and the updates the platform sends back.

A Delivery row is written in the transaction of the case step that causes it (suban.citysync.outbox) and
sent after commit by the worker (suban.citysync.sending), in the order of the case's steps.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from suban import crypto

DEFAULT_MAX_ATTEMPTS = 8  # with the backoff of suban.notify: given up about an hour after the first try
DEFAULT_TIMEOUT = 10  # seconds


class Webhook(models.Model):
    """A receiver of case events, and (when it has an account) a source of updates on our cases."""

    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        validators=[RegexValidator(r"^[a-z0-9][a-z0-9_-]*$", _("Lower-case letters, digits, - and _."))],
        help_text=_("Names the platform in the X-Suban-Source header of the updates it sends."),
    )
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("address"), max_length=500, help_text=_("Case events are POSTed here as JSON."))
    secret_encrypted = models.TextField(editable=False)
    active = models.BooleanField(_("active"), default=True, help_text=_("An inactive webhook gets no new events."))
    actions = models.JSONField(
        _("event kinds"), default=list, blank=True, help_text=_("The case steps sent; none chosen: every step.")
    )
    scope_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("cases of unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Only cases handled by or located in this unit and those below it; empty: every case."),
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account for its updates"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "The staff account in whose name the platform's updates act on our cases (its roles and reach "
            "apply); empty: the platform may send no updates."
        ),
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=DEFAULT_MAX_ATTEMPTS, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    timeout = models.PositiveSmallIntegerField(
        _("timeout (seconds)"), default=DEFAULT_TIMEOUT, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("city platform webhook")
        verbose_name_plural = _("city platform webhooks")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name or self.code

    @property
    def secret(self) -> str:
        return crypto.decrypt(self.secret_encrypted) if self.secret_encrypted else ""

    def set_secret(self, raw: str) -> None:
        self.secret_encrypted = crypto.encrypt(raw)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Delivered")
    DEAD = "dead", _("Given up")


UNFINISHED = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)


class Delivery(models.Model):
    """One case event for one webhook. Within a webhook and a case, a delivery goes out only once every
    earlier one (lower `seq`) is delivered or given up: the platform sees a case's steps in order."""

    uid = models.UUIDField(_("delivery id"), default=uuid.uuid4, unique=True, editable=False)
    webhook = models.ForeignKey(Webhook, verbose_name=_("webhook"), on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey("cases.CaseEvent", verbose_name=_("event"), on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey("cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="+")
    seq = models.PositiveIntegerField(_("step"))
    action = models.CharField(_("action"), max_length=24)
    body = models.TextField(_("body"))

    status = models.CharField(_("status"), max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("attempts allowed"), default=DEFAULT_MAX_ATTEMPTS)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("sending since"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("city platform delivery")
        verbose_name_plural = _("city platform deliveries")
        ordering = ["-created_at", "-pk"]
        permissions = [("replay_delivery", _("Can send failed deliveries again"))]
        constraints = [models.UniqueConstraint(fields=["webhook", "event"], name="citysync_delivery_once")]
        indexes = [
            # The head of a (webhook, case) queue: its lowest unfinished step.
            models.Index(fields=["webhook", "case", "seq"], name="citysync_queue", condition=Q(status__in=UNFINISHED)),
            # The sweep's two questions, as in suban.notify: which waiting rows are due, which are stuck.
            models.Index(fields=["next_attempt_at"], name="citysync_due", condition=Q(status=DeliveryStatus.PENDING)),
            models.Index(fields=["claimed_at"], name="citysync_stuck", condition=Q(status=DeliveryStatus.SENDING)),
            models.Index(fields=["webhook", "status", "created_at"], name="citysync_webhook_status"),
        ]

    def __str__(self) -> str:
        return f"{self.webhook_id} {self.case_id}#{self.seq} {self.action}"

    @property
    def failing(self) -> bool:
        """Waiting for another try after a failure."""
        return self.status == DeliveryStatus.PENDING and self.attempts > 0


class IncomingUpdate(models.Model):
    """An update the platform sent, by its own id. An applied update is answered again from here, unchanged,
    when the platform sends the same id again; a refused one may be sent again and is then tried anew."""

    class State(models.TextChoices):
        APPLIED = "applied", _("Applied")
        REFUSED = "refused", _("Refused")

    source = models.ForeignKey(Webhook, verbose_name=_("platform"), on_delete=models.PROTECT, related_name="updates")
    update_id = models.CharField(_("update id"), max_length=64)
    body_hash = models.CharField(max_length=64, editable=False)
    action = models.CharField(_("action"), max_length=24)
    case_number = models.CharField(_("case number"), max_length=20)
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(_("state"), max_length=8, choices=State.choices)
    status_code = models.PositiveSmallIntegerField(_("answer"))
    response = models.JSONField(_("answer body"), default=dict)
    received_at = models.DateTimeField(_("received"))
    tries = models.PositiveSmallIntegerField(_("times received"), default=1)

    class Meta:
        verbose_name = _("city platform update")
        verbose_name_plural = _("city platform updates")
        ordering = ["-received_at"]
        constraints = [models.UniqueConstraint(fields=["source", "update_id"], name="citysync_update_once")]

    def __str__(self) -> str:
        return f"{self.source_id}:{self.update_id}"
