"""Encrypted personal fields: phone numbers are stored encrypted, found by a keyed hash, shown masked; and the
one masking of personal numbers and addresses that people type into free text (mask_in_text)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.utils.translation import gettext as _

from suban.errors import Invalid

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{9,11}$")
# As people type them into a message: mainland mobiles (with spaces or dashes), 18-character resident ID
# numbers, e-mail addresses. ASCII classes, not \b: a Chinese character counts as a word character.
_MOBILE_IN_TEXT = re.compile(r"(?<!\d)(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)")
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")
_EMAIL_IN_TEXT = re.compile(r"(?<![A-Za-z0-9._%+-])([A-Za-z0-9._%+-]+)@((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})")


@lru_cache(maxsize=4)
def _keys(secret: str) -> tuple[Fernet, bytes]:
    root = hashlib.sha256(secret.encode()).digest()
    enc = hmac.new(root, b"suban-field-encryption", hashlib.sha256).digest()
    mac = hmac.new(root, b"suban-field-lookup", hashlib.sha256).digest()
    return Fernet(base64.urlsafe_b64encode(enc)), mac


def normalize_phone(raw: str) -> str:
    """Digits of a mainland mobile or landline number, without +86; raises Invalid otherwise."""
    digits = re.sub(r"[\s\-()]", "", raw or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if _MOBILE.match(digits) or _LANDLINE.match(digits):
        return digits
    raise Invalid(_("%(phone)s is not a valid phone number.") % {"phone": raw}, field="phone")


def normalize_mobile(raw: str) -> str:
    digits = normalize_phone(raw)
    if not _MOBILE.match(digits):
        raise Invalid(_("%(phone)s is not a mobile phone number.") % {"phone": raw}, field="phone")
    return digits


def encrypt(value: str) -> str:
    fernet, _mac = _keys(settings.FIELD_ENCRYPTION_KEY)
    return fernet.encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    fernet, _mac = _keys(settings.FIELD_ENCRYPTION_KEY)
    try:
        return fernet.decrypt(token.encode()).decode()
    except InvalidToken:
        raise Invalid(_("An encrypted field cannot be read with the configured key.")) from None


def lookup_hash(value: str) -> str:
    _fernet, mac = _keys(settings.FIELD_ENCRYPTION_KEY)
    return hmac.new(mac, value.encode(), hashlib.sha256).hexdigest()


def hash_key(key: str) -> str:
    """How an access key (an API token, an Open311 key) is kept: its SHA-256, never the key itself."""
    return hashlib.sha256(key.encode()).hexdigest()


def key_prefix(prefix: str, *, marker: str) -> str:
    """Accept the prefix with or without the key's marker ("sbn_" for API tokens), and a whole key too."""
    prefix = prefix.strip()
    if prefix.startswith(marker):
        prefix = prefix[len(marker) :]
    return prefix.split("_", 1)[0]


def mask_phone(phone: str) -> str:
    """138****5678 for a mobile; keep the area code and the last two digits of a landline."""
    if not phone:
        return ""
    if _MOBILE.match(phone):
        return f"{phone[:3]}****{phone[-4:]}"
    if len(phone) > 6:
        return f"{phone[:4]}{'*' * (len(phone) - 6)}{phone[-2:]}"
    return "*" * len(phone)


def mask_email(address: str) -> str:
    """z***@example.com: the first character of the name and the domain."""
    name, _at, domain = address.partition("@")
    return f"{name[:1]}***@{domain}"


def mask_in_text(text: str) -> str:
    """Free text as it may leave for the public (Open311, the city platform, other citizens): mobile and ID
    numbers and e-mail addresses masked (138****5678, 370212********123X, z***@qq.com)."""
    if not text:
        return ""
    text = _ID_IN_TEXT.sub(lambda m: f"{m.group(1)}********{m.group(3)}", text)
    text = _MOBILE_IN_TEXT.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    return _EMAIL_IN_TEXT.sub(lambda m: mask_email(m.group()), text)
