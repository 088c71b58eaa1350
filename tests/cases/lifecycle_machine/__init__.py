"""The case lifecycle state machine of tests/cases/test_lifecycle_machine.py, in parts: world (what it draws
from and keeps count with), base (its state and helpers), model (the model of each action), rules (its
setup and rules) and invariants (what it checks after every step)."""

import pkgutil

import pytest

# The parts hold the machine's asserts: pytest rewrites them, for its detailed failure reports, as it did in
# the test module they come from (it rewrites only test modules, conftest and what is registered here).
pytest.register_assert_rewrite(*(f"{__name__}.{part.name}" for part in pkgutil.iter_modules(__path__)))
