"""The OpenAPI document and the docs page."""

from __future__ import annotations

from kompeten.api.main import ROUTERS


def test_the_openapi_document_lists_the_endpoints(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    assert {"/api/employees", "/api/employees/{ref}", "/api/units", "/api/units/{unit_id}"} <= set(
        paths
    )
    assert set(paths["/api/employees"]) == {"get", "post"}
    assert "Scope: `employees:read`" in paths["/api/employees"]["get"]["description"]
    assert "422" in paths["/api/employees"]["post"]["responses"]
    schemes = schema["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())


def test_every_registered_router_has_paths_in_the_document(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for prefix, _dotted in ROUTERS:
        assert any(p.startswith(f"/api{prefix}") for p in paths), prefix


def test_the_docs_page_uses_local_assets_and_no_inline_script(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn" not in html.lower()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    policy = response["Content-Security-Policy"]
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert "unsafe-inline" not in script_src
    assert "unsafe-eval" not in script_src
