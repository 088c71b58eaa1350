"""Citizens log in with a 6-digit code sent by SMS to their mobile number.

send_code: check the number and the rate limits, keep only a keyed hash of the code (5 minutes, 5 tries),
and queue the SMS in the outbox. verify_code: check the code and consume it; returns the citizen, created
on first log-in. login_citizen: the Django session, through CitizenSmsBackend.
"""

from __future__ import annotations

import hmac
import ipaddress
import math
import re
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import login
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from suban import crypto
from suban.accounts.models import User
from suban.accounts.services import citizen_for_phone
from suban.errors import Conflict, DomainError, Forbidden, Invalid
from suban.notify.models import LoginCode, TemplateCode
from suban.notify.services import Recipient, outbox_add

BACKEND = "suban.accounts.backends.CitizenSmsBackend"
CODE_LENGTH = 6
CODE_TTL = timedelta(minutes=5)
MAX_ATTEMPTS = 5
# (how many codes, in how long, counted by what): one a minute and five an hour per number, twenty an hour
# per address (a street office or a mobile network may put many people behind one address).
RESEND_AFTER = timedelta(seconds=60)
PHONE_PER_HOUR = 5
IP_PER_HOUR = 20
HOUR = timedelta(hours=1)

_MOBILE = re.compile(r"^1[3-9]\d{9}$")


class RateLimited(DomainError):
    """Too many codes asked for; `details` says after how many seconds to try again."""

    status = 429
    code = "throttled"


def _mobile(phone: str) -> str:
    digits = re.sub(r"[\s\-]", "", phone or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    if not _MOBILE.match(digits):
        raise Invalid(_("Enter an 11-digit mainland mobile number, such as 13812345678."), field="phone")
    return digits


def _ip(raw: str) -> str | None:
    """The caller's address, or None when it is missing or not an address (then only the number's limits
    apply)."""
    try:
        return str(ipaddress.ip_address((raw or "").strip()))
    except ValueError:
        return None


def _code_hash(phone: str, code: str) -> str:
    return salted_hmac("suban.accounts.sms_login", f"{phone}:{code}", algorithm="sha256").hexdigest()


def _refuse_staff(phone_hash: str) -> None:
    existing = User.objects.filter(phone_hash=phone_hash).only("kind").first()
    if existing is not None and not existing.is_citizen:
        raise Forbidden(
            _("This number belongs to a staff account; staff log in with their user name and password."),
            field="phone",
        )


def _wait_message(seconds: int) -> str:
    if seconds < 120:
        return ngettext(
            "Too many codes requested; try again in %(n)d second.",
            "Too many codes requested; try again in %(n)d seconds.",
            seconds,
        ) % {"n": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext(
        "Too many codes requested; try again in %(n)d minute.",
        "Too many codes requested; try again in %(n)d minutes.",
        minutes,
    ) % {"n": minutes}


def _check_rate(phone_hash: str, ip: str | None, now: datetime) -> None:
    """Refuse when a limit is reached, saying when the oldest code in the window stops counting."""
    limits: list[tuple[Any, int, timedelta]] = [
        (LoginCode.objects.filter(phone_hash=phone_hash), 1, RESEND_AFTER),
        (LoginCode.objects.filter(phone_hash=phone_hash), PHONE_PER_HOUR, HOUR),
    ]
    if ip:
        limits.append((LoginCode.objects.filter(ip=ip), IP_PER_HOUR, HOUR))
    for rows, most, window in limits:
        recent = list(
            rows.filter(created_at__gt=now - window).order_by("-created_at").values_list("created_at", flat=True)[:most]
        )
        if len(recent) >= most:
            free_at = recent[-1] + window
            seconds = max(1, math.ceil((free_at - now).total_seconds()))
            raise RateLimited(_wait_message(seconds), field="phone", details={"retry_after": seconds})


def send_code(phone: str, *, ip: str) -> None:
    """Send a login code to `phone` by SMS (through the outbox, after commit)."""
    mobile = _mobile(phone)
    phone_hash = crypto.lookup_hash(mobile)
    _refuse_staff(phone_hash)
    now = timezone.now()
    address = _ip(ip)
    with transaction.atomic():
        _check_rate(phone_hash, address, now)
        code = f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"
        LoginCode.objects.create(
            phone_hash=phone_hash,
            code_hash=_code_hash(mobile, code),
            ip=address,
            created_at=now,
            expires_at=now + CODE_TTL,
        )
        outbox_add(
            template=TemplateCode.LOGIN_CODE,
            to=Recipient(phone=mobile),
            context={"code": code, "minutes": int(CODE_TTL.total_seconds() // 60)},
            sensitive=True,
            expires_at=now + CODE_TTL,
            max_attempts=3,
        )


def verify_code(phone: str, code: str) -> User:
    """The citizen whose number received `code`, which is then used up. Created on first log-in.

    Call it outside a transaction: a wrong code is counted against the code's attempts although this raises,
    and an enclosing transaction rolled back on the error would undo the count."""
    mobile = _mobile(phone)
    code = (code or "").strip()
    if not re.fullmatch(rf"\d{{{CODE_LENGTH}}}", code):
        raise Invalid(_("Enter the 6-digit code from the SMS."), field="code")
    phone_hash = crypto.lookup_hash(mobile)
    _refuse_staff(phone_hash)
    now = timezone.now()
    latest = LoginCode.objects.filter(phone_hash=phone_hash).order_by("-created_at").first()
    if latest is None:
        raise Invalid(_("No code was sent to this number; request one first."), field="code")
    if latest.used_at is not None:
        raise Invalid(_("The code has been used; request a new one."), field="code")
    if latest.expires_at <= now:
        raise Invalid(_("The code has expired; request a new one."), field="code")
    if latest.attempts >= MAX_ATTEMPTS:
        raise Invalid(_("Too many wrong codes; request a new one."), field="code")
    if not hmac.compare_digest(latest.code_hash, _code_hash(mobile, code)):
        # Counted with a conditional update, so that parallel guesses cannot exceed the allowance.
        counted = LoginCode.objects.filter(pk=latest.pk, attempts__lt=MAX_ATTEMPTS, used_at__isnull=True).update(
            attempts=F("attempts") + 1
        )
        left = MAX_ATTEMPTS - latest.attempts - 1
        if not counted or left <= 0:
            raise Invalid(_("Too many wrong codes; request a new one."), field="code")
        raise Invalid(
            ngettext(
                "The code is wrong; %(n)d attempt left.",
                "The code is wrong; %(n)d attempts left.",
                left,
            )
            % {"n": left},
            field="code",
        )
    with transaction.atomic():
        used = LoginCode.objects.filter(
            pk=latest.pk, used_at__isnull=True, attempts__lt=MAX_ATTEMPTS, expires_at__gt=now
        ).update(used_at=now)
        if not used:
            raise Invalid(_("The code has been used; request a new one."), field="code")
        try:
            user = citizen_for_phone(mobile)
        except Conflict as exc:  # a staff account took the number meanwhile
            raise Forbidden(exc.message, field="phone") from None
    if not user.is_active:
        raise Forbidden(_("This account is disabled; call the hotline for help."), field="phone")
    return user


def login_citizen(request: HttpRequest, user: User) -> None:
    """Log the citizen into a Django session (the H5's pages)."""
    if not user.is_citizen or not user.is_active:
        raise Forbidden(_("Only an active citizen account logs in with an SMS code."))
    login(request, user, backend=BACKEND)
