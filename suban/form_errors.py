"""Form errors that name their field. Django says "This field is required." and "Ensure this value has at most
5000 characters", which reads as a machine's words and means little where the message stands alone: a screen
reader reads a field's error (role="alert") without its label, and the inbox's compact forms show the error
without the field. NamedErrors words Django's own checks with the field's label; a form's own messages stay."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

NAMED: dict[str, StrPromise] = {
    "required": _("Fill in “%(field)s”."),
    "required_choice": _("Choose “%(field)s”."),
    "max_length": _("“%(field)s” takes at most %(limit_value)d characters; it has %(show_value)d."),
    "min_length": _("“%(field)s” needs at least %(limit_value)d characters; it has %(show_value)d."),
    "max_value": _("“%(field)s” may be at most %(limit_value)s."),
    "min_value": _("“%(field)s” must be at least %(limit_value)s."),
    "invalid_choice": _("Choose “%(field)s” from the offered ones."),
    "invalid": _("Enter a valid “%(field)s”."),
}


class NamedErrors(forms.BaseForm):
    """Mixed into a form before forms.Form: Django's generic checks name the field they refused."""

    def add_error(self, field: str | None, error: Any) -> None:
        named = field is not None and field in self.fields and isinstance(error, ValidationError)
        if named and not hasattr(error, "error_dict"):
            error = ValidationError([self._named(str(field), e) for e in error.error_list])
        super().add_error(field, error)

    def _named(self, name: str, error: ValidationError) -> ValidationError:
        field = self.fields[name]
        code = error.code or ""
        if code == "required" and isinstance(field, (forms.ChoiceField, forms.BooleanField)):
            code = "required_choice"
        words = NAMED.get(code)
        if words is None or not field.label:
            return error
        # "invalid" is a type's generic message ("Enter a valid date."); a validator's own stays as it is.
        if error.code == "invalid" and error.message != field.error_messages.get("invalid"):
            return error
        return ValidationError(words, code=error.code, params={**(error.params or {}), "field": field.label})
