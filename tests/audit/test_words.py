"""The audit log as the audit admin reads it: what was done in words, not the stored action codes."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import suban
from suban.audit.labels import ACTION_LABELS
from suban.audit.services import audit_record

pytestmark = pytest.mark.django_db


def test_the_log_lists_and_filters_actions_by_their_words(login, cast, org):
    audit_record(action="login", actor=cast.dora)
    html = login(cast.auditor).get("/admin/audit/auditentry/").content.decode()
    cells = re.findall(r'<td class="field-action_name">([^<]*)</td>', html)
    assert "登录" in cells and "新建单位" in cells and "新建工作人员账号" in cells, set(cells)
    assert not any("." in cell or cell.isascii() for cell in cells), set(cells)
    types = set(re.findall(r'<td class="field-target_type_name">([^<]*)</td>', html))
    assert "单位" in types and "org.unit" not in types, types
    filters = re.findall(r'<a href="\?action=[^"]*"[^>]*>([^<]*)</a>', html)
    assert "新建单位" in filters and "unit.create" not in filters, filters


def test_an_entry_names_its_action_and_local_time():
    entry = audit_record(action="unit.move", actor_name="sysadmin")
    assert str(entry).endswith(" sysadmin 调整单位隶属")


def _recorded_actions() -> set[str]:
    """Every action code the code passes to audit_record: literals, module constants and both arms of an if."""
    found: set[str] = set()
    for path in Path(suban.__file__).parent.rglob("*.py"):
        tree = ast.parse(path.read_text())
        constants = {
            target.id: node.value.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "audit_record":
                for keyword in node.keywords:
                    if keyword.arg != "action":
                        continue
                    for value in ast.walk(keyword.value):
                        if isinstance(value, ast.Constant) and isinstance(value.value, str):
                            found.add(value.value)
                        elif isinstance(value, ast.Name) and value.id in constants:
                            found.add(constants[value.id])
    return found


def test_every_action_the_code_records_has_words():
    recorded = _recorded_actions()
    assert {"login", "unit.create", "account.enable", "account.disable", "audit.purge"} <= recorded
    assert recorded - set(ACTION_LABELS) == set()
