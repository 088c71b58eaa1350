"""Where messages leave Suban: SMS to the log or to a webhook (settings.SMS_GATEWAY), email through
Django's email backend (SMTP when EMAIL_HOST is set). A gateway raises GatewayError when it failed.

Sending is at least once: a worker that dies after the gateway took a message, before it recorded that,
leaves the message to be sent again (suban.notify.sending). So every message carries its idempotency key,
the same on every attempt: in the webhook's body and its Idempotency-Key header, in an e-mail's Message-ID.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage

from suban import crypto
from suban.notify.models import Channel

logger = logging.getLogger("suban.notify")

SIGNATURE_HEADER = "X-Suban-Signature"
# The header of the IETF draft (draft-ietf-httpapi-idempotency-key-header): its value is a Structured Field
# String, the key in double quotes. Our keys are letters, digits and "-", so nothing needs escaping.
IDEMPOTENCY_HEADER = "Idempotency-Key"
EMAIL_KEY_HEADER = "X-Suban-Idempotency-Key"
WEBHOOK_TIMEOUT = 10  # seconds


class GatewayError(Exception):
    pass


@dataclass(frozen=True)
class Message:
    channel: str
    to: str
    template: str
    subject: str
    text: str
    sensitive: bool = False
    key: str = field(kw_only=True)  # the outbox row's idempotency key


def idempotency_header(key: str) -> dict[str, str]:
    return {IDEMPOTENCY_HEADER: f'"{key}"'}


def send(message: Message) -> None:
    if message.channel == Channel.EMAIL:
        send_email(message)
    elif settings.SMS_GATEWAY == "webhook":
        send_webhook(message)
    else:
        send_log(message)


def send_log(message: Message) -> None:
    """The development gateway: the SMS goes to the log (the `make run` console), code and all. Without
    DEBUG a code is masked, so that whoever reads a production log cannot log in as a citizen."""
    text = message.text
    if message.sensitive and not settings.DEBUG:
        text = re.sub(r"\d{4,}", lambda m: "*" * len(m.group()), text)
    logger.info("SMS to %s [%s]: %s", crypto.mask_phone(message.to), message.template, text)


def signature(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def send_webhook(message: Message) -> None:
    """POST {idempotency_key, to, template, text} as JSON, signed with HMAC-SHA256 of the body; anything but
    2xx fails."""
    body = json.dumps(
        {"idempotency_key": message.key, "to": message.to, "template": message.template, "text": message.text},
        ensure_ascii=False,
    ).encode()
    request = urllib.request.Request(  # noqa: S310 (the URL is the operator's setting, checked to be http(s))
        settings.SMS_WEBHOOK_URL,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            SIGNATURE_HEADER: signature(body, settings.SMS_WEBHOOK_SECRET),
            **idempotency_header(message.key),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as exc:
        raise GatewayError(f"SMS webhook answered {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise GatewayError(f"SMS webhook unreachable: {reason}") from None
    if not 200 <= status < 300:
        raise GatewayError(f"SMS webhook answered {status}")


def message_id(key: str) -> str:
    """The e-mail's Message-ID, made of the key and the domain of DEFAULT_FROM_EMAIL, so that it is the same
    whichever worker sends it (Django's own is random, on the sending machine's name)."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2].strip() or "localhost"
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        domain = "localhost"
    return f"<{key}@{domain}>"


def send_email(message: Message) -> None:
    """Plain text only (no HTML part): what the template rendered, as it rendered it."""
    email = EmailMessage(
        subject=message.subject or message.template,
        body=message.text,
        to=[message.to],
        headers={"Message-ID": message_id(message.key), EMAIL_KEY_HEADER: message.key},
    )
    try:
        sent = email.send(fail_silently=False)
    except Exception as exc:
        raise GatewayError(f"email not sent: {exc}") from None
    if not sent:
        raise GatewayError("email not sent: the backend refused it")
