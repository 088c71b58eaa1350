"""Discovery, GET Service List and GET Service Definition; the attribute datatypes of the spec; the errors
of unknown resources and formats."""

from __future__ import annotations

import json

import pytest

from suban.open311 import attributes
from suban.open311.attributes import Attribute, check_attributes
from suban.open311.models import Submission
from tests.open311.conftest import form, xml

pytestmark = pytest.mark.django_db


def test_discovery_in_both_formats(o311):
    doc = json.loads(o311.get("discovery.json").content)
    assert set(doc) == {"changeset", "contact", "key_service", "endpoints"}
    [endpoint] = doc["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    response = o311.get("discovery.xml")
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<discovery>')
    assert [f.text for f in xml(response).iterfind("endpoints/endpoint/formats/format")] == endpoint["formats"]
    assert xml(o311.get("")).tag == "discovery"  # the base URL answers with it too


def test_the_services_are_the_active_matters_and_other(o311, matters):
    services = json.loads(o311.get("services.json").content)
    codes = [s["service_code"] for s in services]
    assert codes == ["01", "0101", "010101", "02", "0201", "other"]  # 0299 is switched off
    lamp = services[2]
    assert lamp == {
        "service_code": "010101",
        "service_name": "路灯",
        "description": "城乡建设 / 市政设施 / 路灯",
        "metadata": True,
        "type": "realtime",
        "keywords": "路灯, 照明",
        "group": "城乡建设",
    }
    doc = xml(o311.get("services.xml"))
    first = doc.find("service")
    assert first is not None and [c.tag for c in first] == list(lamp)
    assert first.findtext("metadata") == "true"


def test_a_service_definition_lists_the_attributes_with_spec_datatypes(o311, matters):
    definition = json.loads(o311.get("services/010101.json").content)
    assert definition["service_code"] == "010101"
    by_code = {a["code"]: a for a in definition["attributes"]}
    assert list(by_code) == ["title", "nature", "urgency", "case_type", "anonymous", "confidential"]
    assert [a["order"] for a in definition["attributes"]] == [1, 2, 3, 4, 5, 6]
    assert all(a["variable"] is True for a in by_code.values())
    assert by_code["title"]["datatype"] == "string" and by_code["title"]["values"] == []
    nature = by_code["nature"]
    assert nature["datatype"] == "singlevaluelist" and nature["required"] is True
    assert {v["key"] for v in nature["values"]} == {
        "consultation",
        "help",
        "complaint",
        "report",
        "suggestion",
        "praise",
    }
    assert [v["key"] for v in by_code["confidential"]["values"]] == ["true", "false"]
    doc = xml(o311.get("services/other.xml"))
    assert doc.tag == "service_definition" and doc.findtext("service_code") == "other"
    attribute = doc.find("attributes/attribute[code='urgency']")
    assert attribute is not None and attribute.findtext("required") == "false"
    assert [v.findtext("key") for v in attribute.iterfind("values/value")] == ["normal", "urgent", "critical"]


def test_unknown_services_formats_and_paths_are_404_in_the_spec_format(o311, matters):
    for path in ("services/9999.json", "services/0299.json", "services.html", "nothing/here.json"):
        response = o311.get(path)
        assert response.status_code == 404, path
    assert json.loads(o311.get("services/9999.json").content) == [
        {"code": 404, "description": "There is no service 9999."}
    ]
    doc = xml(o311.get("services.csv"))
    assert doc.tag == "errors" and doc.findtext("error/code") == "404"


LIST = (("a", "A"), ("b", "B"), ("c", "C"))
KINDS = (
    Attribute("s", "string", "one line"),  # type: ignore[arg-type]
    Attribute("t", "text", "lines"),  # type: ignore[arg-type]
    Attribute("n", "number", "a number"),  # type: ignore[arg-type]
    Attribute("d", "datetime", "a moment"),  # type: ignore[arg-type]
    Attribute("one", "singlevaluelist", "one of", values=LIST),  # type: ignore[arg-type]
    Attribute("many", "multivaluelist", "some of", required=True, values=LIST),  # type: ignore[arg-type]
)


def test_values_fit_their_datatypes():
    values, problems = check_attributes(
        {
            "s": ["路灯"],
            "t": ["第一行\n第二行"],
            "n": ["3.5"],
            "d": ["2026-11-30T09:30:00Z"],
            "one": ["b"],
            "many": ["a", "c"],
        },
        KINDS,
    )
    assert problems == []
    assert values == {
        "s": "路灯",
        "t": "第一行\n第二行",
        "n": 3.5,
        "d": "2026-11-30T09:30:00+00:00",
        "one": "b",
        "many": ["a", "c"],
    }


@pytest.mark.parametrize(
    ("sent", "problem"),
    [
        ({"s": ["two\nlines"]}, "s must be one line"),
        ({"s": ["x" * 201]}, "s is longer than 200"),
        ({"t": ["x" * 4001]}, "t is longer than 4000"),
        ({"n": ["three"]}, "n must be a number"),
        ({"n": ["nan"]}, "n must be a number"),
        ({"d": ["2026-11-30 09:30"]}, "d must be a date and time"),
        ({"one": ["z"]}, "one: z is not one of its values"),
        ({"one": ["a", "b"]}, "one takes one value"),
        ({"many": ["a", "z"]}, "many: z is not one of its values"),
        ({"many": []}, "The attribute many is required"),
        ({"ghost": ["1"]}, "There is no attribute ghost"),
    ],
)
def test_values_that_do_not_fit_are_named(sent, problem):
    given = {"many": ["a"], **sent}
    _values, problems = check_attributes(given, KINDS)
    assert any(problem in p for p in problems), problems


def test_a_multivaluelist_arrives_as_the_spec_writes_it(o311, org, matters, app_key, monkeypatch):
    """attribute[code][]=value1&attribute[code][]=value2, as the spec's example has it."""
    monkeypatch.setattr(attributes, "ATTRIBUTES", (*attributes.ATTRIBUTES, KINDS[5]))
    body = form(app_key)
    body["attribute[many][]"] = ["a", "c"]
    response = o311.post("requests.json", body)
    assert response.status_code == 200, response.content
    assert Submission.objects.get().attributes["many"] == ["a", "c"]
    body["attribute[many][]"] = ["a", "z"]
    assert o311.post("requests.json", body).status_code == 400
