"""Failed log-ins: who is locked out, and when the security admins hear of an attack.

django-axes counts failures per account *and* address (AXES_LOCKOUT_PARAMETERS): five wrong passwords from one
address lock the account at that address for the window (15 minutes), and nowhere else. Locking the account
itself would hand anyone who knows a user name the power to lock its owner out, from anywhere; locking the
address alone would lock a whole street office behind one public address.

An attacker who rotates addresses gets five guesses at each. So the failures against one account from all
addresses are added up too: when they reach LOGIN_ACCOUNT_FAILURE_LIMIT (20, so at least four addresses) within
the window, the account is under attack. A LoginAlert opens, the security admins are told once (message and
the admin's alerts page) and it is audited; while the alert is active, only addresses from which the account
has logged in before (KNOWN_ADDRESS_DAYS) may try its password, every other address is refused without a
check, and the refusals keep the alert active. The owner at their usual desk is never locked out by someone
else's guesses; the attacker is stopped as a whole, not address by address. A security admin ends an alert in
the admin, which also lifts the account's locks.

Refused attempts are not counted as failures (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT off): they check
no password, and counting them would let one locked address reach the account-wide limit by itself.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Sum
from django.http import HttpRequest
from django.utils import timezone

from suban.accounts.models import LoginAlert, User
from suban.accounts.roles import AdminRole
from suban.audit.services import audit_record
from suban.notify.services import Recipient, outbox_add
from suban.org.services import require_perm

logger = logging.getLogger(__name__)

# An address the account logged in from within this many days is the owner's, not the attacker's.
KNOWN_ADDRESS_DAYS = 90


def window() -> timedelta:
    cooloff: timedelta = settings.AXES_COOLOFF_TIME
    return cooloff


def account_failures(username: str, *, now: datetime | None = None) -> tuple[int, int]:
    """The failed log-ins against `username` within the window, from all addresses, and how many addresses."""
    since = (now or timezone.now()) - window()
    counted = AccessAttempt.objects.filter(username=username, attempt_time__gte=since).aggregate(
        failures=Sum("failures_since_start"), addresses=Count("ip_address", distinct=True)
    )
    return counted["failures"] or 0, counted["addresses"] or 0


def active_alert(username: str, *, now: datetime | None = None) -> LoginAlert | None:
    since = (now or timezone.now()) - window()
    return LoginAlert.objects.filter(username=username, ended_at=None, last_attempt_at__gte=since).first()


def known_address(username: str, ip: str | None) -> bool:
    """Whether the account logged in successfully from `ip` lately (axes keeps every log-in in AccessLog)."""
    if not ip:
        return False
    since = timezone.now() - timedelta(days=KNOWN_ADDRESS_DAYS)
    return AccessLog.objects.filter(username=username, ip_address=ip, attempt_time__gte=since).exists()


def login_alert_check(*, username: str, request: HttpRequest | None = None) -> LoginAlert | None:
    """After a counted failure: open the account's alert when the failures from all addresses reached the
    limit (telling the security admins), or bring the open one up to date. None while below the limit, and for
    a user name that is no account."""
    failures, addresses = account_failures(username)
    if failures < settings.LOGIN_ACCOUNT_FAILURE_LIMIT:
        return None
    user = User.objects.filter(username=username).first()
    if user is None:
        return None  # guesses at names that do not exist: in the audit log, no account to protect
    now = timezone.now()
    with transaction.atomic():
        current = LoginAlert.objects.select_for_update().filter(username=username, ended_at=None).first()
        if current is not None and current.last_attempt_at >= now - window():
            current.last_attempt_at = now
            current.failures = max(current.failures, failures)
            current.addresses = max(current.addresses, addresses)
            current.save(update_fields=["last_attempt_at", "failures", "addresses"])
            return current
        if current is not None:  # an earlier attack, quiet for a window: it ended then
            current.ended_at = current.last_attempt_at + window()
            current.save(update_fields=["ended_at"])
        try:
            with transaction.atomic():
                alert = LoginAlert.objects.create(
                    username=username,
                    user=user,
                    started_at=now,
                    last_attempt_at=now,
                    failures=failures,
                    addresses=addresses,
                )
        except IntegrityError:
            return None  # another failure opened it at the same moment, and told the admins
        alert.notified = _tell_security_admins(alert)
        alert.save(update_fields=["notified"])
        audit_record(
            action="login.attack",
            actor_name=username[:150],
            target=alert,
            detail={"failures": failures, "addresses": addresses, "notified": alert.notified},
            request=request,
        )
    logger.warning("login alert: %s failed log-ins against %s from %s addresses", failures, username, addresses)
    return alert


def _tell_security_admins(alert: LoginAlert) -> int:
    told = 0
    minutes = int(window().total_seconds() // 60)
    context = {
        "username": alert.username,
        "failures": alert.failures,
        "addresses": alert.addresses,
        "minutes": minutes,
    }
    for admin in User.objects.filter(admin_role=AdminRole.SECURITY, is_active=True).order_by("pk"):
        to = Recipient(phone=admin.phone, email=admin.email, user=admin)
        if outbox_add(template="login_attack", to=to, context=context) is not None:
            told += 1
    return told


def login_alert_refused(username: str) -> None:
    """An attempt refused because the account is under attack: the alert stays active while they go on."""
    LoginAlert.objects.filter(username=username, ended_at=None).update(
        last_attempt_at=timezone.now(), refused=F("refused") + 1
    )


def login_alert_end(*, by: User | AnonymousUser | None, alert: LoginAlert) -> int:
    """A security admin ends an alert: the account is no longer under attack, and its locks at every address
    are lifted. Returns how many lock records were cleared."""
    require_perm(by, "accounts.change_loginalert")
    with transaction.atomic():
        ended = LoginAlert.objects.filter(pk=alert.pk, ended_at=None).update(ended_at=timezone.now())
        cleared = AccessAttempt.objects.filter(username=alert.username).delete()[0]
        if ended:
            audit_record(action="login.alert_end", actor=by, target=alert, detail={"locks_cleared": cleared})
    return cleared


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler, plus the account-wide check above."""

    def is_locked(self, request: Any, credentials: dict[str, Any] | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        username = get_client_username(request, credentials)
        if not username or active_alert(username) is None:
            return False
        if known_address(username, getattr(request, "axes_ip_address", None)):
            return False
        request.suban_account_under_attack = True
        return True

    def user_login_failed(self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
        refused = bool(getattr(request, "axes_locked_out", False))
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        username = get_client_username(request, credentials) if request is not None else None
        if request is None or not username:
            return
        if refused:
            if getattr(request, "suban_account_under_attack", False):
                login_alert_refused(username)
            return
        login_alert_check(username=username, request=request)
