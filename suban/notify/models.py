"""Messages: their templates, the outbox they wait in until sent, and the login codes sent by SMS.

An Outbox row is written in the transaction of whatever causes it (a case event, a login code) and sent
after commit by a worker that claims it with a conditional update (suban.notify.sending).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from suban import crypto
from suban.notify.engine import check_template


class TemplateCode(models.TextChoices):
    LOGIN_CODE = "login_code", _("Login code (citizen)")
    CASE_ACCEPTED = "case_accepted", _("Request accepted (citizen)")
    CASE_REPLIED = "case_replied", _("Reply released (citizen)")
    CASE_CLOSED = "case_closed", _("Request closed (citizen)")
    CASE_DECLINED = "case_declined", _("Request not accepted (citizen)")
    STAFF_NEW_CASE = "staff_new_case", _("New case for the unit (staff)")
    STAFF_DEADLINE_YELLOW = "staff_deadline_yellow", _("One working day left (staff)")
    STAFF_OVERDUE = "staff_overdue", _("Deadline passed (staff)")
    LOGIN_ATTACK = "login_attack", _("Account under attack (security admin)")
    DISPUTE_ACCEPTED = "dispute_accepted", _("Dispute accepted for mediation (party)")
    DISPUTE_SESSION = "dispute_session", _("Mediation session set (party)")
    DISPUTE_RESULT = "dispute_result", _("Mediation's outcome (party)")
    STAFF_NEW_DISPUTE = "staff_new_dispute", _("Dispute assigned to a mediator (staff)")
    STAFF_DISPUTE_DUE = "staff_dispute_due", _("Dispute due soon or overdue (mediator)")
    STAFF_RISK_ALERT = "staff_risk_alert", _("Escalating risk of a dispute (street)")
    STAFF_ARTICLES_EXPIRING = "staff_articles_expiring", _("Knowledge articles about to expire (authors)")
    STAFF_ARTICLES_TO_REVIEW = "staff_articles_to_review", _("Knowledge articles waiting for review (reviewers)")


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("Email")


class MessageTemplate(models.Model):
    """The text of one kind of message, in the Django template language. Email templates go by SMS to a
    recipient without an email address (citizens have none)."""

    code = models.CharField(_("message type"), max_length=32, choices=TemplateCode.choices, unique=True)
    channel = models.CharField(
        _("sending channel"),
        max_length=8,
        choices=Channel.choices,
        default=Channel.SMS,
        help_text=_("Email goes by SMS to a recipient who has no email address."),
    )
    subject = models.CharField(_("subject"), max_length=200, blank=True, help_text=_("Used for email only."))
    body = models.TextField(_("text"))
    active = models.BooleanField(_("active"), default=True, help_text=_("An inactive message is not sent."))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.get_code_display()

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        for field in ("subject", "body"):
            problem = check_template(getattr(self, field))
            if problem:
                errors.setdefault(field, []).append(problem)
        if self.code == TemplateCode.LOGIN_CODE and not self.active:
            errors.setdefault("active", []).append(
                str(_("The login code cannot be turned off: citizens could not log in."))
            )
        if self.code == TemplateCode.LOGIN_CODE and self.channel != Channel.SMS:
            errors.setdefault("channel", []).append(str(_("The login code goes by SMS.")))
        if errors:
            raise ValidationError(errors)


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


# The prefix of a message's idempotency key: a receiver that sees several senders can tell ours apart.
KEY_PREFIX = "suban-notify-"


class Outbox(models.Model):
    """One message to one recipient. The address is stored encrypted; a login code's text too, and it is
    wiped once the message is sent or given up."""

    uid = models.UUIDField(_("message id"), default=uuid.uuid4, unique=True, editable=False)
    template = models.CharField(_("message type"), max_length=32, choices=TemplateCode.choices)
    channel = models.CharField(_("sending channel"), max_length=8, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    to_encrypted = models.TextField(editable=False)
    to_hash = models.CharField(max_length=64, db_index=True, editable=False)
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"), blank=True)
    sensitive = models.BooleanField(_("holds a login code"), default=False)

    status = models.CharField(_("status"), max_length=8, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("attempts allowed"), default=5)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("sending since"), null=True, blank=True)
    expires_at = models.DateTimeField(_("send before"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        ordering = ["-created_at"]
        permissions = [("retry_outbox", _("Can retry failed messages"))]
        indexes = [
            # The sweep's two questions: which waiting rows are due, which sending rows are stuck.
            models.Index(fields=["next_attempt_at"], name="outbox_due", condition=Q(status=OutboxStatus.PENDING)),
            models.Index(fields=["claimed_at"], name="outbox_stuck", condition=Q(status=OutboxStatus.SENDING)),
            models.Index(fields=["status", "created_at"], name="outbox_status_created"),
        ]

    def __str__(self) -> str:
        return f"{self.get_template_display()} → {self.masked_to}"

    @property
    def idempotency_key(self) -> str:
        """The same on every attempt to send this message (a retry, a re-send after a worker died, an
        admin's "send again"), and different for every other message: the gateway drops repeats by it."""
        return f"{KEY_PREFIX}{self.uid}"

    @property
    def to(self) -> str:
        return crypto.decrypt(self.to_encrypted) if self.to_encrypted else ""

    @property
    def masked_to(self) -> str:
        return mask_address(self.to)

    @property
    def text(self) -> str:
        """The message's text as sent. A login code's text is stored encrypted."""
        if self.sensitive and self.body:
            return crypto.decrypt(self.body)
        return self.body


def mask_address(address: str) -> str:
    """138****5678 for a phone, w***@example.com for an email address."""
    if "@" in address:
        return crypto.mask_email(address)
    return crypto.mask_phone(address)


class LoginCode(models.Model):
    """A 6-digit code sent by SMS to log a citizen in. Only its keyed hash is kept; it expires after a few
    minutes and allows a few attempts. The rows also count the codes sent, for the rate limits."""

    phone_hash = models.CharField(max_length=64, editable=False)
    code_hash = models.CharField(max_length=64, editable=False)
    ip = models.GenericIPAddressField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"))
    expires_at = models.DateTimeField(_("expires"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("login code")
        verbose_name_plural = _("login codes")
        indexes = [
            models.Index(fields=["phone_hash", "created_at"], name="logincode_phone"),
            models.Index(fields=["ip", "created_at"], name="logincode_ip"),
            models.Index(fields=["created_at"], name="logincode_created"),
        ]

    def __str__(self) -> str:
        return f"{self.phone_hash[:8]} {self.created_at:%Y-%m-%d %H:%M}"
