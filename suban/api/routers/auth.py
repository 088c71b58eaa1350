"""Citizens log in by SMS: ask for a code, then trade it for an API token (their app's key)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from suban.accounts.sms_login import CODE_TTL, RESEND_AFTER, send_code, verify_code
from suban.api.schemas.common import Input, errors
from suban.api.services import token_create
from suban.api.throttles import AccountThrottle
from suban.audit.services import client_ip

router = Router(tags=["auth"])

TOKEN_DAYS = 30
# Per address, before the per-number limits of sms_login: a script guessing numbers or codes slows down.
sms_throttle = AccountThrottle("10/min", "auth-sms")


class SmsCodeIn(Input):
    phone: str = Field(description="an 11-digit mainland mobile number", examples=["13812345678"])


class CodeSentOut(Schema):
    expires_in: int = Field(description="seconds the code is valid")
    resend_after: int = Field(description="seconds before another code may be asked for")


class SmsLoginIn(Input):
    phone: str
    code: str = Field(description="the 6 digits from the SMS")


class TokenOut(Schema):
    token: str = Field(description="send as `Authorization: Bearer <token>`; shown only this once")
    expires_at: datetime


@router.post(
    "/sms-code",
    auth=None,
    response={202: CodeSentOut, **errors(403)},
    summary="Send a login code by SMS",
    operation_id="auth_sms_code",
    throttle=[sms_throttle],
)
def sms_code(request: HttpRequest, payload: SmsCodeIn) -> Any:
    send_code(payload.phone, ip=client_ip(request) or "")
    return Status(202, {"expires_in": int(CODE_TTL.total_seconds()), "resend_after": int(RESEND_AFTER.total_seconds())})


@router.post(
    "/sms-login",
    auth=None,
    response={200: TokenOut, **errors(403)},
    summary="Log in with the code: an API token for the citizen",
    operation_id="auth_sms_login",
    throttle=[sms_throttle],
)
def sms_login(request: HttpRequest, payload: SmsLoginIn) -> dict[str, Any]:
    citizen = verify_code(payload.phone, payload.code)
    token, key = token_create(by=None, user=citizen, name="SMS login", days=TOKEN_DAYS)
    return {"token": key, "expires_at": token.expires_at}
