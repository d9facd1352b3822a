"""The schema (OpenAPI 3.1, JSON and YAML) and the docs page (casework.api.docs)."""

from __future__ import annotations

import re

import yaml
from django.test import Client

from tests.idor_routes import all_routes


def _schema(client) -> dict:
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_it_serves_an_openapi_3_1_schema_in_json_and_yaml(client_as_caseworker):
    schema = _schema(client_as_caseworker)
    assert schema["openapi"] == "3.1.0"
    response = client_as_caseworker.get("/api/v1/schema/", {"format": "yaml"})
    assert yaml.safe_load(response.content)["paths"] == schema["paths"]


def test_it_documents_every_api_route_and_its_errors(client_as_caseworker):
    schema = _schema(client_as_caseworker)
    documented = set(schema["paths"])
    routes = [
        route
        for route in all_routes()
        if route.namespace == "api" and route.name not in ("schema", "docs")
    ]
    expected = {
        "/api/v1/" + re.sub(r"<int:\w+>", "{id}", route.route.split("api/v1/", 1)[1])
        for route in routes
    }
    assert expected <= documented, expected - documented
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {"401", "403", "429"} <= set(operation["responses"]), (method, path)
    assert schema["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"


def test_it_keeps_the_schema_for_signed_in_users(db):
    assert Client().get("/api/v1/schema/").status_code == 401


def test_it_serves_the_docs_page_from_the_app_s_own_files(client_as_caseworker):
    response = client_as_caseworker.get("/api/v1/docs/")
    assert response.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', response.text)
    assert sources and all(source.startswith("/") for source in sources), sources
    assert "<script>" not in response.text and "<style>" not in response.text
    script = client_as_caseworker.get("/api/v1/docs/", {"script": ""})
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.text


def test_it_sends_a_visitor_to_sign_in_for_the_docs_page(db):
    response = Client().get("/api/v1/docs/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_documents_if_match_and_412_on_every_patch(client_as_caseworker):
    schema = _schema(client_as_caseworker)
    patches = {
        path: operations["patch"]
        for path, operations in schema["paths"].items()
        if "patch" in operations
    }
    assert {"/api/v1/events/{id}/", "/api/v1/follow-ups/{id}/"} <= set(patches)
    for path, operation in patches.items():
        headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
        assert "If-Match" in headers, path
        assert "412" in operation["responses"], path
