"""Settings come from the environment and fail loudly on bad values."""

import json
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from suban.env import env_bool, env_choice, env_int, env_list, env_rate, env_str


def test_it_reads_typed_values(monkeypatch):
    monkeypatch.setenv("X_BOOL", "yes")
    monkeypatch.setenv("X_INT", "42")
    monkeypatch.setenv("X_LIST", "a, b,,c")
    assert env_bool("X_BOOL", False) is True
    assert env_int("X_INT", 0) == 42
    assert env_list("X_LIST", []) == ["a", "b", "c"]
    assert env_str("X_MISSING", "fallback") == "fallback"
    monkeypatch.setenv("X_RATE", "1000/min")
    assert env_rate("X_RATE", "60/min") == "1000/min"


@pytest.mark.parametrize(
    ("name", "value", "read"),
    [
        ("X_BOOL", "maybe", lambda: env_bool("X_BOOL", False)),
        ("X_INT", "forty", lambda: env_int("X_INT", 0)),
        ("X_INT", "-1", lambda: env_int("X_INT", 0, minimum=0)),
        ("X_CHOICE", "LOUD", lambda: env_choice("X_CHOICE", "INFO", {"INFO", "DEBUG"})),
        ("X_RATE", "lots", lambda: env_rate("X_RATE", "60/min")),
        ("X_RATE", "0/min", lambda: env_rate("X_RATE", "60/min")),
        ("X_RATE", "60/week", lambda: env_rate("X_RATE", "60/min")),
    ],
)
def test_it_fails_loudly_on_bad_values(monkeypatch, name, value, read):
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=name):
        read()


def test_a_required_value_must_be_there(monkeypatch):
    monkeypatch.delenv("X_REQUIRED", raising=False)
    with pytest.raises(ImproperlyConfigured, match="X_REQUIRED"):
        env_str("X_REQUIRED")


def _settings_error(**env: str) -> str:
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='suban.settings'; django.setup()"
    result = subprocess.run(
        [sys.executable, "-c", code], env={"PATH": "/usr/bin:/bin", **env}, capture_output=True, text=True, check=False
    )
    return result.stderr if result.returncode else ""


def test_production_needs_its_secrets(tmp_path):
    error = _settings_error(DEBUG="0", SUBAN_VAR_DIR=str(tmp_path))
    assert "SECRET_KEY is required" in error


def test_an_unknown_database_is_refused(tmp_path):
    error = _settings_error(DATABASE_URL="mysql://x@localhost/db", SUBAN_VAR_DIR=str(tmp_path))
    assert "DATABASE_URL must be sqlite:// or postgres://" in error


def _settings(*names: str, **env: str) -> dict:
    code = (
        "import django, json, os; os.environ['DJANGO_SETTINGS_MODULE']='suban.settings'; django.setup(); "
        "from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {list(names)!r}}}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env={"PATH": "/usr/bin:/bin", **env}, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_https_turns_on_hsts_unless_told_otherwise(tmp_path):
    secrets = {"SECRET_KEY": "k" * 50, "FIELD_ENCRYPTION_KEY": "f" * 32, "SUBAN_VAR_DIR": str(tmp_path)}
    names = ("SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE")
    assert _settings(*names, DEBUG="0", **secrets) == {"SECURE_HSTS_SECONDS": 31536000, "SESSION_COOKIE_SECURE": True}
    assert _settings(*names, DEBUG="1", HTTPS="1", SUBAN_VAR_DIR=str(tmp_path))["SECURE_HSTS_SECONDS"] == 31536000
    assert _settings(*names, DEBUG="0", HTTPS="0", **secrets)["SECURE_HSTS_SECONDS"] == 0
    assert _settings(*names, DEBUG="1", SUBAN_VAR_DIR=str(tmp_path))["SECURE_HSTS_SECONDS"] == 0
