"""Open311 clients' API keys, and what a client sent with a request beyond what the case keeps."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from suban.cases.models import Attachment, Case

RATE = re.compile(r"^\d+/(s|sec|m|min|h|hour|d|day)$")


def validate_rate(value: str) -> None:
    if not RATE.match(value):
        raise ValidationError(_("Write the rate as a number of requests per unit, e.g. 60/min or 1000/hour."))


class ApiKey(models.Model):
    """One Open311 client (an app, a city platform). The key is shown once and stored only as its hash."""

    name = models.CharField(_("name"), max_length=100)
    # The key's first characters, shown in lists and used to revoke it; never enough to use it.
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    active = models.BooleanField(_("active"), default=True)
    rate_limit = models.CharField(
        _("rate limit"),
        max_length=20,
        default="60/min",
        validators=[validate_rate],
        help_text=_("Requests this client may make, e.g. 60/min or 1000/hour."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix} {self.name}"


class Submission(models.Model):
    """A request that came in through Open311: which client sent it, the token it was given, and the fields
    of the spec the case has no place for. The email is personal data: stored encrypted, never returned."""

    case = models.OneToOneField(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="open311")
    key = models.ForeignKey(ApiKey, verbose_name=_("API key"), on_delete=models.PROTECT, related_name="submissions")
    token = models.CharField(_("token"), max_length=32, unique=True)
    media_url = models.CharField(
        _("media URL"), max_length=500, blank=True, validators=[URLValidator(schemes=["http", "https"])]
    )
    media = models.ForeignKey(
        Attachment, verbose_name=_("uploaded media"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    account_id = models.CharField(_("account id"), max_length=100, blank=True)
    email_encrypted = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("Open311 submission")
        verbose_name_plural = _("Open311 submissions")

    def __str__(self) -> str:
        return self.token
