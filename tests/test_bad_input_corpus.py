"""Standing proof: hostile input never makes the register answer 5xx.

Every route comes from the URL resolver (as in tests/test_route_matrix.py, whose routes,
personas and test objects are reused), every form field from the page that shows the form,
and every API body field and query parameter from the OpenAPI schema. A new route, form
field or API operation is covered without a line here.

The corpus: NUL bytes, other control characters, right-to-left marks, 1 MB strings, deep
JSON, wrong types, and formsets that claim a hundred thousand rows; in paths, query strings,
headers, form fields and JSON bodies.
"""

import json
import re
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from tests import test_route_matrix as matrix
from tests.test_route_matrix import ROUTES, named_routes, permitted, url_for

kmar_signal = matrix.kmar_signal  # the matrix's fixture: one of everything a route is about

NUL = "a\x00b"
CONTROLS = "a\x01\x08\x1b\x7fb"
RTL = "\u202eevil\u202c \u200f\u2066x\u2069 \ufeff"
MEGABYTE = "x" * 1_000_000
WRONG = ["-99999999999999999999999", "1e309", "[]", "{}", "2026-13-45", "true", "NaN",
         "0x1F", " ", "../../etc/passwd"]
JSON_WRONG = [12345678901234567890123, -1, 1.5e308, True, None, [], {}, "x", [["deep"]],
              {"a": {"b": "c"}}]
DEEP_JSON = "[" * 5000 + "]" * 5000
FORM_KINDS = {"nul": NUL, "controls": CONTROLS, "rtl": RTL}
FIELD_NAME = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"')
MEGABYTE_FIELDS_PER_POST = 4  # under DATA_UPLOAD_MAX_MEMORY_SIZE, so the form gets them


def form_fields(html: str) -> list[str]:
    names = dict.fromkeys(FIELD_NAME.findall(html))
    names.pop("csrfmiddlewaretoken", None)
    return list(names)


def body_of(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="ignore")
    return response.content.decode(errors="ignore")


def in_path(url: str, encoded: str) -> str:
    """The URL with something slipped into its last segment (a reference, a number...)."""
    return f"{url.rstrip('/')}{encoded}/"


class Prober:
    """Sends each request and keeps every 5xx, so one run names them all."""

    def __init__(self, client):
        client.raise_request_exception = False  # a 500 is recorded like any answer
        self.client = client
        self.failures = []

    def send(self, label, method, url, **kwargs):
        response = getattr(self.client, method)(url, **kwargs)
        if response.status_code >= 500:
            self.failures.append(f"{label}: {method.upper()} {url} -> {response.status_code}")
        return response


def garbage_forms(fields: list[str]):
    """(label, data) pairs: each kind in every field, and the formset counts blown up."""
    for kind, value in FORM_KINDS.items():
        yield kind, dict.fromkeys(fields, value)
    yield "wrong types", {name: WRONG[i % len(WRONG)] for i, name in enumerate(fields)}
    for start in range(0, len(fields), MEGABYTE_FIELDS_PER_POST):
        group = fields[start:start + MEGABYTE_FIELDS_PER_POST]
        yield f"1 MB in {group}", {name: MEGABYTE if name in group else "x" for name in fields}
    counts = {name: "100000" for name in fields if name.endswith("TOTAL_FORMS")}
    if counts:
        yield "huge formset counts", {**dict.fromkeys(fields, "x"), **counts,
                                      **{n.replace("TOTAL", "INITIAL"): "0" for n in counts}}


WEB_ROUTES = sorted(name for name in named_routes() if not ROUTES[name].api)


@pytest.mark.parametrize("name", WEB_ROUTES)
def test_no_form_or_page_answers_5xx_to_hostile_input(kmar_signal, as_user, client, name):
    route = ROUTES[name]
    user_client = as_user(permitted(name)) if route.allowed else client
    url = url_for(name, kmar_signal)
    probe = Prober(user_client)
    page = probe.send("page", "get", url)
    probe.send("path", "get", in_path(url, "%00"))
    probe.send("path", "get", in_path(url, "%E2%80%AE%1B"))
    fields = form_fields(body_of(page)) if page.status_code == 200 else []
    query_names = [*fields, "page", "q", "organisation", "status", "next"]
    for kind, value in {**FORM_KINDS, "long": "x" * 10_000}.items():
        probe.send(f"query {kind}", "get", url, data=dict.fromkeys(query_names, value))
    for label, data in garbage_forms(fields or ["field", "form-TOTAL_FORMS"]):
        probe.send(f"form {label}", "post", url, data=data)
    probe.send("deep JSON", "post", url, data=DEEP_JSON, content_type="application/json")
    assert not probe.failures, "\n".join(probe.failures)


# --- the API: operations, body fields and query parameters from the schema ---------------

_SCHEMA = {}


def api_schema(client) -> dict:
    """Fetched as the client, once per run: it is the same for every account."""
    if "schema" not in _SCHEMA:
        response = client.get(reverse("schema"), {"format": "json"})
        assert response.status_code == 200
        _SCHEMA["schema"] = response.json()
    return _SCHEMA["schema"]


def resolve(schema: dict, node: dict) -> dict:
    while isinstance(node, dict) and "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node or {}


def operations_at(schema: dict, url: str) -> dict:
    """The schema's path item for a URL the resolver gave (path parameters filled in)."""
    for template, item in schema["paths"].items():
        if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", template), url):
            return item
    raise AssertionError(f"{url} is routed but missing from the schema")


def body_properties(schema: dict, operation: dict) -> dict:
    content = operation.get("requestBody", {}).get("content", {})
    return resolve(schema, content.get("application/json", {}).get("schema", {})).get(
        "properties", {})


def filled(schema: dict, properties: dict, value) -> dict:
    """Every property set to `value`; a list of objects gets one object filled alike."""
    data = {}
    for name, prop in properties.items():
        items = resolve(schema, prop.get("items", {})) if prop.get("type") == "array" else {}
        data[name] = [filled(schema, items["properties"], value)] if "properties" in items \
            else value
    return data


def garbage_bodies(schema: dict, properties: dict):
    for kind, value in FORM_KINDS.items():
        yield kind, filled(schema, properties, value)
    for offset in (0, 3):
        yield f"wrong types {offset}", {
            name: JSON_WRONG[(i + offset) % len(JSON_WRONG)]
            for i, name in enumerate(properties)}
    for name in properties:
        yield f"1 MB in {name}", {**filled(schema, properties, "x"), name: MEGABYTE}
    for top in ([], "x", 1, None, [{}] * 1000):
        yield f"top-level {type(top).__name__}", top


API_ROUTES = sorted(name for name in named_routes() if ROUTES[name].api
                    and name not in ("schema", "api-docs"))


@pytest.mark.parametrize("name", API_ROUTES)
def test_no_api_operation_answers_5xx_to_hostile_input(kmar_signal, api_as, name):
    client = api_as(permitted(name))
    schema = api_schema(client)
    url = url_for(name, kmar_signal)
    probe = Prober(client)
    for method, operation in operations_at(schema, url).items():
        if method not in ("get", "post", "put", "patch", "delete"):
            continue
        probe.send("path", method, in_path(url, "%00"))
        query_names = [p["name"] for p in operation.get("parameters", [])
                       if p.get("in") == "query"] + ["page", "page_size"]
        for kind, value in {**FORM_KINDS, "long": "x" * 10_000, "wrong": "-1e309"}.items():
            query = urlencode(dict.fromkeys(query_names, value))
            probe.send(f"query {kind}", method, f"{url}?{query}")
            probe.send(f"header {kind}", method, url, HTTP_IDEMPOTENCY_KEY=value[:200])
        if method == "get":
            continue
        for label, body in garbage_bodies(schema, body_properties(schema, operation)):
            probe.send(f"body {label}", method, url, data=json.dumps(body),
                       content_type="application/json")
        probe.send("deep JSON", method, url, data=DEEP_JSON, content_type="application/json")
        probe.send("form body", method, url, data={"persons-TOTAL_FORMS": "100000", "x": NUL})
    assert not probe.failures, "\n".join(probe.failures)
