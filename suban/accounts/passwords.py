from __future__ import annotations

import string

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def character_classes(password: str) -> int:
    classes = [
        any(c.islower() for c in password),
        any(c.isupper() for c in password),
        any(c.isdigit() for c in password),
        any(c in string.punctuation or c.isspace() or not c.isascii() for c in password),
    ]
    return sum(classes)


class CharacterClassValidator:
    """At least N of four classes: lower case, upper case, digits, other characters (等保 complexity)."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: object = None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return ngettext(
            "Your password must mix at least %(n)d kind of character: lower case, upper case, digits, symbols.",
            "Your password must mix at least %(n)d kinds of characters: lower case, upper case, digits, symbols.",
            self.min_classes,
        ) % {"n": self.min_classes}


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, saying it in Chinese: Django 5.2 reworded this message and its zh_Hans catalogue still has
    only the earlier wording, so the refusal came out in English on every Chinese page (admin, import)."""

    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short. It must contain at least %(min_length)d character.",
            "This password is too short. It must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}


class NotTheCurrentPasswordValidator:
    """A new password is a new one: the change page, the admin and account_set_password all refuse the
    account's current password (a "change" that changes nothing would defeat a forced renewal). Compared with
    hashers.check_password, which does not re-save the stored hash as User.check_password may."""

    def validate(self, password: str, user: object = None) -> None:
        encoded = getattr(user, "password", "")
        if encoded and check_password(password, encoded):
            raise ValidationError(self.get_help_text(), code="password_unchanged")

    def get_help_text(self) -> str:
        return _("Your new password must differ from the current one.")
