"""The action registry (suban.actions): each action written once, and every face made from it."""

from __future__ import annotations

import inspect

import pytest

from suban.actions import BUTTONS, REGISTRY, Kind
from suban.api.api import api
from suban.cases.labels import ACTION_LABELS
from suban.cases.lifecycle import ACTIONS, NOT_EXPOSED
from suban.console.actions import SPECS


@pytest.mark.parametrize("entry", REGISTRY, ids=lambda e: e.slug)
def test_each_entrys_inputs_are_its_services_arguments(entry):
    parameters = inspect.signature(entry.service).parameters
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())
    target = "order" if entry.on_order else "case"
    assert target in parameters
    assert {"by", "expected_version"} <= set(parameters)
    for name in [i.name for i in entry.inputs if i.name != "order"] + [k for b in entry.buttons for k in b.preset]:
        assert takes_any or name in parameters, f"{entry.slug}: the service takes no {name}"
    required = {
        name
        for name, p in parameters.items()
        if p.default is inspect.Parameter.empty and p.kind is p.KEYWORD_ONLY and name not in ("case", "by", "order")
    }
    assert required <= {i.name for i in entry.inputs}, entry.slug


def test_every_exposed_lifecycle_action_has_one_button_and_a_label():
    named = {str(a) for e in REGISTRY for a in e.performs}
    assert named == set(ACTIONS) - NOT_EXPOSED
    assert {str(b.name) for e in REGISTRY for b in e.buttons} - {"accept_dispatch"} == named
    assert all(name in ACTION_LABELS for name in BUTTONS)


def test_the_console_form_and_the_api_body_ask_the_same_inputs():
    schema = api.get_openapi_schema()
    bodies = schema["components"]["schemas"]
    for name, spec in SPECS.items():
        entry, button = BUTTONS[name]
        path = schema["paths"][f"/api/cases/{{number}}/actions/{entry.slug}"]["post"]
        ref = path["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
        api_fields = set(bodies[ref]["properties"]) - set(button.preset)
        console_only = {i.name for i in entry.inputs if not i.api}
        assert set(spec.form.base_fields) - console_only == api_fields, name


def test_a_button_that_requires_an_input_asks_it_as_required():
    send_back = SPECS["send_back"].form
    approve = SPECS["approve_reply"].form
    assert send_back.base_fields["note"].required
    assert not approve.base_fields["note"].required
    assert "approve" not in send_back.base_fields


def test_references_are_typed_as_text_and_looked_up_by_the_face():
    kinds = {i.kind for e in REGISTRY for i in e.inputs}
    assert {Kind.UNIT, Kind.UNITS, Kind.PERSON, Kind.CASE, Kind.ORDER} <= kinds
