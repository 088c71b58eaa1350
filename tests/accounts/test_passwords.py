"""The password rules say why in the page's language."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation


@pytest.mark.parametrize(
    ("language", "says"), [("zh-hans", "密码长度太短。密码必须包含至少 8 个字符。"), ("en", "at least 8 characters")]
)
def test_a_short_password_is_refused_in_the_pages_language(language: str, says: str) -> None:
    with translation.override(language), pytest.raises(ValidationError) as refused:
        validate_password("Ab1!")
    assert says in " ".join(refused.value.messages)
    assert "password_too_short" in {e.code for e in refused.value.error_list}
