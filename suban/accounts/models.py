"""People: staff bound to a unit with roles, and citizens keyed by phone number."""

from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from suban import crypto
from suban.accounts.roles import AdminRole, Role
from suban.org.models import Unit


class AccountKind(models.TextChoices):
    STAFF = "staff", _("Staff")
    CITIZEN = "citizen", _("Citizen")


class SubanUserManager(UserManager["User"]):
    def create_superuser(self, *args: object, **kwargs: object) -> User:
        # A superuser would hold all three admin roles at once, which 等保 level 3 forbids.
        raise ValueError("Superusers are not allowed: use `python manage.py create_admin --role system USERNAME`.")


class User(AbstractUser):
    kind = models.CharField(_("account kind"), max_length=10, choices=AccountKind.choices, default=AccountKind.STAFF)
    name = models.CharField(_("full name"), max_length=100, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    admin_role = models.CharField(_("admin role"), max_length=10, choices=AdminRole.choices, blank=True, default="")
    phone_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    phone_encrypted = models.TextField(blank=True, editable=False)

    objects = SubanUserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.CheckConstraint(condition=models.Q(is_superuser=False), name="accounts_no_superuser"),
            models.CheckConstraint(
                condition=~models.Q(kind="citizen") | models.Q(admin_role="", unit__isnull=True),
                name="accounts_citizen_has_no_unit_or_admin_role",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == AccountKind.CITIZEN:
            return f"{_('Citizen')} {self.masked_phone}"
        return self.name or self.username

    @property
    def is_citizen(self) -> bool:
        return self.kind == AccountKind.CITIZEN

    @property
    def phone(self) -> str:
        return crypto.decrypt(self.phone_encrypted) if self.phone_encrypted else ""

    @property
    def masked_phone(self) -> str:
        return crypto.mask_phone(self.phone)

    def set_phone(self, raw: str) -> None:
        if not raw:
            self.phone_hash, self.phone_encrypted = None, ""
            return
        phone = crypto.normalize_phone(raw)
        self.phone_hash = crypto.lookup_hash(phone)
        self.phone_encrypted = crypto.encrypt(phone)

    @cached_property
    def roles(self) -> frozenset[str]:
        """Work roles. An account with an admin role acts on no case, whatever rows it has."""
        if self.admin_role or not self.is_active or self.is_citizen:
            return frozenset()
        return frozenset(self.staff_roles.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


class StaffRole(models.Model):
    user = models.ForeignKey(User, verbose_name=_("account"), on_delete=models.CASCADE, related_name="staff_roles")
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="accounts_staffrole_unique")]

    def __str__(self) -> str:
        return self.get_role_display()


class LoginAlert(models.Model):
    """An account whose password someone is guessing from several addresses: the failed log-ins against it
    from all addresses within the lockout window reached LOGIN_ACCOUNT_FAILURE_LIMIT (suban.accounts.lockout).
    While the alert is active only addresses the account has logged in from before may try; it stays active
    until the attempts stop for a window's length. The security admins are told once per alert."""

    username = models.CharField(_("user name"), max_length=150)
    user = models.ForeignKey(
        User, verbose_name=_("account"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(_("detected"))
    last_attempt_at = models.DateTimeField(_("last attempt"))
    failures = models.PositiveIntegerField(_("failed log-ins"))
    addresses = models.PositiveIntegerField(_("addresses"))
    refused = models.PositiveIntegerField(_("attempts refused"), default=0)
    notified = models.PositiveSmallIntegerField(_("security admins told"), default=0)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("login alert")
        verbose_name_plural = _("login alerts")
        ordering = ["-started_at"]
        constraints = [
            # At most one alert open per account: two failures at once cannot both open one (and tell twice).
            models.UniqueConstraint(
                fields=["username"], condition=models.Q(ended_at__isnull=True), name="accounts_loginalert_one_open"
            )
        ]

    def __str__(self) -> str:
        return self.username
