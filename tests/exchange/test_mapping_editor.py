"""The mapping editor: a source's column mapping made and changed field by field, without JSON, checked by the
parser the import uses; the dispatch centre only, and only the sources it may exchange with."""

from __future__ import annotations

import json
from typing import Any

import pytest

from suban.exchange.forms import MappingEditorForm
from suban.exchange.mapping import column_fields, required_columns
from suban.exchange.models import BatchState, ColumnMapping, ExchangeRecord, Source, SourceKind
from suban.exchange.orders import batch_check, batch_run
from tests.conftest import Cast
from tests.exchange.conftest import BUILT_IN, HOTLINE_MAPPING, hotline_rows, xlsx

pytestmark = pytest.mark.django_db


def editor_url(source: Source, mapping: str = "") -> str:
    base = f"/console/exchange/sources/{source.name}/mappings/"
    return f"{base}{mapping}/" if mapping else base


def form_data(spec: dict[str, Any], name: str) -> dict[str, str]:
    """What a person types into the editor for the mapping `spec` (as its JSON would say it)."""
    data = {"name": name}
    for field, headers in spec["columns"].items():
        data[f"col_{field}"] = " + ".join(headers) if isinstance(headers, list) else headers
    for field, table in spec["values"].items():
        for i, (theirs, ours) in enumerate(table.items()):
            data[f"map_{field}_{i}_theirs"] = theirs
            data[f"map_{field}_{i}_ours"] = ours
    options = spec["options"]
    data["timezone"] = options.get("timezone", "")
    data["coordinate_system"] = options.get("coordinate_system", "wgs84")
    data["datetime_formats"] = "\n".join(options.get("datetime_formats", []))
    for field, separator in options.get("separators", {}).items():
        data[f"sep_{field}"] = separator
    for field, default in options.get("defaults", {}).items():
        data[f"default_{field}"] = default
    for flag in ("dispatch", "assess"):
        if options.get(flag):
            data[flag] = "on"
    return data


def test_the_editor_shows_every_field_a_mapping_can_fill(login: Any, cast: Cast, hotline: Source) -> None:
    client = login(cast.dora)
    source_page = client.get(f"/console/exchange/sources/{hotline.name}/").content.decode()
    assert f'href="{editor_url(hotline)}"' in source_page
    assert f'href="{editor_url(hotline, "default")}"' in source_page

    page = client.get(editor_url(hotline)).content.decode()
    fields = column_fields(historical=False)
    assert {f.name for f in fields} >= {"order_id", "title", "text", "phone", "address", "nature", "case_number"}
    for f in fields:
        assert f'data-testid="column-{f.name}"' in page and f'name="col_{f.name}"' in page
    assert "created_at" not in {f.name for f in fields}  # read from past systems only
    for name in required_columns(historical=False):
        assert f'data-testid="required-{name}"' in page
    assert 'data-testid="required-text"' not in page
    assert 'data-testid="values-nature"' in page and 'value="complaint"' in page  # our natures to choose from
    assert 'name="dispatch"' in page and 'name="assess"' not in page

    history = Source.objects.create(name="old", label="旧系统", kind=SourceKind.HISTORY)
    page = client.get(editor_url(history)).content.decode()
    assert 'data-testid="required-created_at"' in page and 'name="assess"' in page

    saved = client.get(editor_url(hotline, "default")).content.decode()
    assert 'value="工单编号"' in saved and 'value="投诉件"' in saved  # what the mapping says now


def test_a_mapping_typed_in_is_the_mapping_its_json_would_be_and_imports(
    login: Any, cast: Cast, hotline: Source
) -> None:
    client = login(cast.dora)
    fresh = Source.objects.create(name="fz-new", label="福州12345（新）", kind=SourceKind.HOTLINE)

    response = client.post(editor_url(fresh), form_data(HOTLINE_MAPPING, "default"))

    assert response.status_code == 302 and response["Location"] == f"/console/exchange/sources/{fresh.name}/"
    mapping = ColumnMapping.objects.get(source=fresh)
    assert mapping.name == "default"
    assert mapping.as_dict() == json.loads(json.dumps(HOTLINE_MAPPING))
    batch = batch_check(source=fresh, mapping=mapping, file_name="o.xlsx", data=xlsx(hotline_rows(3)), by=cast.dora)
    batch = batch_run(batch=batch, by=cast.dora)
    assert (batch.state, batch.created, batch.failed) == (BatchState.DONE, 3, 0)
    assert ExchangeRecord.objects.filter(source=fresh).count() == 3


def test_editing_changes_the_mapping_in_place(login: Any, cast: Cast, hotline: Source) -> None:
    client = login(cast.dora)
    mapping = hotline.mappings.get()
    data = form_data(HOTLINE_MAPPING, "default")
    data.update({"map_urgency_2_theirs": "特急", "map_urgency_2_ours": "urgent", "col_text": ""})

    assert client.post(editor_url(hotline, "default"), data).status_code == 302

    mapping.refresh_from_db()
    assert mapping.values["urgency"] == {"一般": "normal", "紧急": "urgent", "特急": "urgent"}
    assert "text" not in mapping.columns and mapping.columns["title"] == "标题"
    assert ColumnMapping.objects.filter(source=hotline).count() == 1


@pytest.mark.parametrize(("preset", "kind"), [("nyc311", SourceKind.HISTORY), ("fuzhou12345", SourceKind.HISTORY)])
def test_the_built_in_mappings_read_into_the_editor_and_back_unchanged(
    login: Any, cast: Cast, preset: str, kind: str
) -> None:
    spec = json.loads((BUILT_IN / f"{preset}.json").read_text(encoding="utf-8"))
    source = Source.objects.create(name=preset, label=preset, kind=kind)
    mapping = ColumnMapping.objects.create(source=source, name="default", **spec)
    form = MappingEditorForm(source=source, instance=mapping)
    for key, typed in form_data(spec, "default").items():
        shown = form[key].value()
        assert (shown is True) if typed == "on" else str(shown) == typed, key

    response = login(cast.dora).post(editor_url(source, "default"), form_data(spec, "default"))

    assert response.status_code == 302
    mapping.refresh_from_db()
    assert mapping.as_dict() == spec


def test_a_mapping_without_a_required_column_is_not_saved_and_the_input_is_kept(
    login: Any, cast: Cast, hotline: Source
) -> None:
    client = login(cast.dora)
    data = form_data(HOTLINE_MAPPING, "v2")
    data["col_title"] = ""

    response = client.post(editor_url(hotline), data)

    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="error-col_title"' in page
    assert 'value="诉求内容"' in page and 'value="v2"' in page  # what was typed stays
    assert 'name="map_case_type_2_theirs"' in page  # and room for more words
    data["map_nature_1_theirs"] = "表扬信"
    page = client.post(editor_url(hotline), data).content.decode()
    assert 'data-testid="error-col_title"' in page and 'data-testid="error-map_nature_1_ours"' in page
    assert list(ColumnMapping.objects.values_list("name", flat=True)) == ["default"]


def test_problems_are_shown_next_to_their_inputs(login: Any, cast: Cast, hotline: Source) -> None:
    client = login(cast.dora)
    before = hotline.mappings.get().as_dict()
    cases = [
        ({"timezone": "Mars/Olympus"}, "error-timezone"),
        ({"map_nature_1_theirs": "表扬信"}, "error-map_nature_1_ours"),  # their word without ours
        ({"map_nature_1_theirs": " 投诉件", "map_nature_1_ours": "help"}, "error-map_nature_1_theirs"),  # twice
        ({"default_channel": "信鸽"}, "error-default_channel"),  # no channel of ours
        ({"name": "not a slug"}, "error-name"),
    ]
    for change, error in cases:
        data = form_data(HOTLINE_MAPPING, "default") | change
        response = client.post(editor_url(hotline, "default"), data)
        assert response.status_code == 200 and f'data-testid="{error}"' in response.content.decode(), change
    assert hotline.mappings.get().as_dict() == before


def test_a_name_the_source_uses_already_is_a_form_error(login: Any, cast: Cast, hotline: Source) -> None:
    client = login(cast.dora)
    ColumnMapping.objects.create(source=hotline, name="v2", **HOTLINE_MAPPING)

    taken = client.post(editor_url(hotline), form_data(HOTLINE_MAPPING, "default"))
    renamed = client.post(editor_url(hotline, "v2"), form_data(HOTLINE_MAPPING, "default"))

    for response in (taken, renamed):
        assert response.status_code == 200 and 'data-testid="error-name"' in response.content.decode()
    assert sorted(hotline.mappings.values_list("name", flat=True)) == ["default", "v2"]
    other = Source.objects.create(name="other", label="其他", kind=SourceKind.HOTLINE)
    assert client.post(editor_url(other), form_data(HOTLINE_MAPPING, "default")).status_code == 302  # per source


def test_the_editor_is_for_those_who_may_exchange_with_the_source(login: Any, cast: Cast, hotline: Source) -> None:
    before = hotline.mappings.get().as_dict()
    data = form_data(HOTLINE_MAPPING, "default") | {"col_text": ""}
    client = login(cast.carol)
    for url in (editor_url(hotline), editor_url(hotline, "default")):
        assert client.get(url).status_code == 403
        assert client.post(url, data | {"name": "v2"}).status_code == 403
    client.logout()

    # A source bound to its API account is that account's: the dispatch centre may not change it either.
    Source.objects.filter(pk=hotline.pk).update(account=cast.sam)
    client = login(cast.dora)
    assert 'data-testid="new-mapping"' not in client.get(f"/console/exchange/sources/{hotline.name}/").content.decode()
    for url in (editor_url(hotline), editor_url(hotline, "default")):
        assert client.get(url).status_code == 403
        assert client.post(url, data).status_code == 403
    # nor through the source page's JSON form
    spec = json.dumps(HOTLINE_MAPPING, ensure_ascii=False)
    page = f"/console/exchange/sources/{hotline.name}/"
    assert client.post(page, {"form": "mapping", "name": "v2", "spec": spec}).status_code == 403
    assert list(ColumnMapping.objects.values_list("name", flat=True)) == ["default"]
    assert hotline.mappings.get().as_dict() == before


def test_another_sources_mapping_is_not_reached_through_this_source(login: Any, cast: Cast, hotline: Source) -> None:
    other = Source.objects.create(name="other", label="其他", kind=SourceKind.HOTLINE)
    theirs = ColumnMapping.objects.create(source=other, name="theirs", **HOTLINE_MAPPING)
    client = login(cast.dora)

    assert client.get(editor_url(hotline, "theirs")).status_code == 404
    data = form_data(HOTLINE_MAPPING, "theirs") | {"col_text": ""}
    assert client.post(editor_url(hotline, "theirs"), data).status_code == 404
    assert client.get(editor_url(other, "theirs")).status_code == 200

    theirs.refresh_from_db()
    assert theirs.columns == HOTLINE_MAPPING["columns"]
    assert list(hotline.mappings.values_list("name", flat=True)) == ["default"]


def test_the_sources_coordinate_system_is_chosen_in_the_editor(login: Any, cast: Cast) -> None:
    client = login(cast.dora)
    fresh = Source.objects.create(name="amap", label="高德来源", kind=SourceKind.HOTLINE)
    spec = json.loads(json.dumps(HOTLINE_MAPPING))
    spec["options"]["coordinate_system"] = "gcj02"
    assert client.post(editor_url(fresh), form_data(spec, "default")).status_code == 302
    mapping = ColumnMapping.objects.get(source=fresh)
    assert mapping.as_dict() == spec
    page = client.get(editor_url(fresh, "default")).content.decode()
    assert 'value="gcj02" selected' in page
    # back to WGS-84, the default: the option is left out, as the JSON would leave it
    assert client.post(editor_url(fresh, "default"), form_data(HOTLINE_MAPPING, "default")).status_code == 302
    mapping.refresh_from_db()
    assert "coordinate_system" not in mapping.options
