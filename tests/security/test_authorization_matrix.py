"""Every URL × every persona, against the declared table in tests/security/matrix.py."""

from __future__ import annotations

from tests.security.matrix import MATRIX, NAMESPACES, Access
from tests.security.personas import ANON, ROLES, clients
from tests.security.walk import all_urls, concrete_path, is_denied, request_as


def _rule(name: str) -> Access | None:
    if name in MATRIX:
        return MATRIX[name]
    namespace = name.split(":", 1)[0] if ":" in name else ""
    return NAMESPACES.get(namespace)


def test_every_url_is_declared_in_the_matrix():
    missing = sorted({u.name for u in all_urls() if _rule(u.name) is None})
    assert not missing, (
        "Declare these URLs in tests/security/matrix.py (who may use them): " + ", ".join(missing)
    )


def test_the_matrix_names_only_existing_urls():
    existing = {u.name for u in all_urls()}
    stale = sorted(set(MATRIX) - existing)
    assert not stale, "Remove these entries from tests/security/matrix.py: " + ", ".join(stale)


def test_every_persona_is_allowed_or_refused_as_declared(world):
    personas = clients(world)
    problems: list[str] = []
    seen: set[tuple[str, str]] = set()
    for url in all_urls():
        rule = _rule(url.name)
        if rule is None:
            continue  # reported by test_every_url_is_declared_in_the_matrix
        kwargs = rule.kwargs(world) if rule.kwargs is not None else None
        path = concrete_path(url.route, kwargs)
        if (rule.method, path) in seen:
            continue
        seen.add((rule.method, path))
        placeholder = kwargs is None and "<" in url.route
        roles = ROLES if url.name in MATRIX else (ANON, "admin", "pegawai")
        for role in roles:
            try:
                response = request_as(personas[role], rule.method, path)
            except Exception as exc:  # noqa: BLE001 - a crash is a finding, reported below
                problems.append(f"{url.name} {rule.method} {path} as {role}: raised {exc!r}")
                continue
            status = response.status_code
            if status >= 500:
                problems.append(f"{url.name} {rule.method} {path} as {role}: {status}")
            elif role in rule.allowed:
                refused = is_denied(response) and not (placeholder and status == 404)
                if refused:
                    problems.append(f"{url.name} {rule.method} {path}: {role} refused ({status})")
            elif not is_denied(response):
                problems.append(f"{url.name} {rule.method} {path}: {role} allowed ({status})")
    assert not problems, "Authorization matrix mismatches:\n" + "\n".join(problems)
