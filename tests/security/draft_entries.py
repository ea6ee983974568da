"""Draft matrix entries for URLs not yet declared (run explicitly; not part of the suite):

    .venv/bin/pytest tests/security/draft_entries.py -q -s

It probes each undeclared URL as every persona and prints what it OBSERVED, in the matrix's
syntax. Review every line against what the view is meant to allow before pasting it into
tests/security/matrix.py: the matrix is a declaration, not a recording.
"""

from __future__ import annotations

from tests.security.matrix import MATRIX, NAMESPACES
from tests.security.personas import ANON, ROLES, clients
from tests.security.walk import all_urls, concrete_path, is_denied, request_as

NAMES = {
    frozenset(ROLES): "EVERYONE",
    frozenset(ROLES) - {ANON}: "LOGGED_IN",
    frozenset({"admin"}): "ADMIN_ONLY",
    frozenset(): "NOBODY",
}


def test_print_draft_entries(world):
    personas = clients(world)
    lines = []
    for url in all_urls():
        namespace = url.name.split(":", 1)[0] if ":" in url.name else ""
        if url.name in MATRIX or namespace in NAMESPACES:
            continue
        path = concrete_path(url.route)
        placeholder = "<" in url.route
        method = "GET"
        try:
            if request_as(personas["admin"], "GET", path).status_code == 405:
                method = "POST"
            allowed = set()
            for role in ROLES:
                response = request_as(personas[role], method, path)
                if not is_denied(response) or (placeholder and response.status_code == 404):
                    allowed.add(role)
        except Exception as exc:  # noqa: BLE001 - printed for the reviewer
            lines.append(f"    # {url.name} {path}: raised {exc!r}")
            continue
        label = NAMES.get(frozenset(allowed)) or (
            "{" + ", ".join(r.upper() for r in ROLES if r in allowed) + "}"
        )
        extra = "" if method == "GET" else f', method="{method}"'
        lines.append(f'    "{url.name}": Access({label}{extra}),')
    print("\n".join(lines))
