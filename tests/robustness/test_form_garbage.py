"""Garbage in every HTML form of the site: never a server error.

The house rule: bad input gets a clear message and nothing is half-written; never a 500. This
sweep walks every URL pattern (django's resolver; the JSON API, static and media files and the
logout routes aside, the API being fuzzed by schemathesis), fills its arguments from real
objects of every kind (tests/robustness/objects.py), opens each page as the admin (alice), as a
pegawai (dave) where a pegawai may, as the owner of personal pages and anonymously where anyone
may, and reads the POST forms each page renders (tests/robustness/forms.py). Then:

- every URL, and every form's target, gets an empty POST (a 405 says the view takes no POST);
- every form gets each kind of garbage (5,000 characters, NUL, -1, a 20-digit number, a word
  for a number, an impossible date, a word for a date, a missing id, a script; a non-file, an
  empty file and a junk file for a file field), once in every field and once in the fields the
  garbage is meant for with plausible values in the others.

Each POST runs in a rolled-back transaction with the client's cookies and the cache restored,
so probes leave nothing behind for the next ones. A response of 500 or more is a failure; the
failures are collected (URL name, body, status, the exception and the app's frame that raised
it) and listed together at the end. A GET answering 500 on the way is listed too.
"""

from __future__ import annotations

import copy
import logging
import re
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve

from kompeten.core import outage
from tests.conftest import World
from tests.robustness import objects
from tests.robustness.forms import Body, Form, aims_at_visible, bodies, parse
from tests.security.matrix import MATRIX, NAMESPACES
from tests.security.personas import ADMIN, ANON, ATASAN, PEGAWAI, ROLES, clients
from tests.security.test_matrix_foreign_objects import PERSONAL
from tests.security.walk import concrete_path, is_denied

ROOT = Path(__file__).resolve().parents[2]  # the repository
SKIPPED_PATHS = ("/api/", "/static/", "/media/")
LOGOUT = re.compile(r"logout|keluar|signout")
OWNER_ROLE = {"dave": PEGAWAI, "carol": ATASAN}  # PERSONAL names the owner in the world

# What the sweep must reach, well below what it reached when written (177 URLs answering an
# empty POST without refusing it or a 405, 339 distinct forms, 4,900 POSTs), so that a sweep
# that stops reaching the forms fails instead of passing on nothing.
REACHED_POST_VIEWS = 120
REACHED_FORMS = 220
REACHED_POSTS = 3000
# Garbage that no form should take as it is: a POST of these, otherwise plausible, that ends on a
# page without an error or a warning is listed in the report (not asserted: some fields may
# rightly take a -1 or a big number).
SILENT_KINDS = {
    *("negative", "huge", "not_a_number", "impossible_date", "date_word", "missing_id"),
    *("file_empty", "file_junk"),
}
# Refusals the sweep causes by the thousand (the NUL 400s, the login lockout's failures, 4xx
# warnings), kept out of the captured log so that a failure's output stays readable; errors of
# django.request (the 500s) are kept.
QUIET_LOGGERS = {"django.security": logging.CRITICAL, "axes": logging.ERROR}
QUIET_LOGGERS |= {"django.request": logging.ERROR, "kompeten": logging.ERROR}


@dataclass
class Sweep:
    personas: dict[str, Client]
    built: objects.Objects  # the objects of every kind, by name
    token: str  # the import wizard's token in the paths, renewed before each POST to them
    failures: list[str] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    post_views: set[str] = field(default_factory=set)
    posts: int = 0
    slowest: list[tuple[float, str]] = field(default_factory=list)
    outage_errors: list[BaseException] = field(default_factory=list)
    silent: list[str] = field(default_factory=list)  # garbage taken without a word (not asserted)


def _name(path: str) -> str:
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return "<unresolved>"


def _skipped(name: str, path: str) -> bool:
    return (
        path.startswith(SKIPPED_PATHS)
        or name.startswith("api:")
        or bool(LOGOUT.search(f"{name} {path}"))
    )


def _visitors(name: str) -> list[str]:
    """The personas who open ``name``: the admin, a pegawai and anyone where they may, the owner
    of a personal page; else the first role the matrix allows."""
    access = MATRIX.get(name) or NAMESPACES.get(name.split(":", 1)[0])
    allowed = access.allowed if access is not None else {ADMIN}
    roles = [role for role in (ADMIN, PEGAWAI, ANON) if role in allowed]
    if name in PERSONAL:
        roles.append(OWNER_ROLE[PERSONAL[name]])
    return list(dict.fromkeys(roles)) or [r for r in ROLES if r in allowed][:1] or [ADMIN]


def _pages(o: objects.Objects) -> list[tuple[str, str]]:
    """(URL name, path) of every URL pattern with its arguments, the skipped ones aside."""
    pages = []
    for name, route in objects.routes():
        for kwargs in objects.url_arguments(name, route, o):
            query = (kwargs or {}).get(objects.QUERY)
            path = concrete_path(route, kwargs) + (f"?{query}" if query else "")
            if not _skipped(name, path):
                pages.append((name, path))
    return list(dict.fromkeys(pages))


def _where(frame: traceback.FrameSummary) -> str:
    """A frame as ``path:line in function``, the path from the repository or site-packages."""
    path = frame.filename.split("site-packages/")[-1]
    if Path(path).is_relative_to(ROOT):
        path = str(Path(path).relative_to(ROOT))
    return f"{path}:{frame.lineno} in {frame.name}"


def _exception(exc: BaseException | None) -> str:
    """The exception, the last frame of the app on its way and where it was raised."""
    if exc is None:
        return "(no exception captured)"
    frames = traceback.extract_tb(exc.__traceback__)
    app = [f for f in frames if Path(f.filename).is_relative_to(ROOT / "kompeten")]
    where = [_where(f) for f in app[-1:]]
    if frames and (not app or frames[-1] is not app[-1]):
        where.append(f"raised at {_where(frames[-1])}")
    message = str(exc).replace("\n", " ")[:300]
    return f"{type(exc).__name__}: {message} @ {'; '.join(where)}"


def _record(sweep: Sweep, response: Any, what: str) -> None:
    sweep.statuses[response.status_code] += 1
    if response.status_code < 500:
        return
    exc_info = getattr(response, "exc_info", None)
    exc = exc_info[1] if exc_info else (sweep.outage_errors[-1] if sweep.outage_errors else None)
    sweep.failures.append(f"{what} → {response.status_code}: {_exception(exc)}")


def _html(response: Any) -> str | None:
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return None
    return response.content.decode("utf-8", "replace")


def _target(page: str, action: str) -> str | None:
    """The path (and query) a form on ``page`` posts to; None for another site."""
    parts = urlsplit(urljoin(f"http://testserver{page}", action) if action else page)
    if parts.netloc not in ("", "testserver"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _discover(sweep: Sweep, pages: list[tuple[str, str]]) -> dict[tuple[str, Any], Form]:
    """Every distinct POST form (target and field names) the pages render to their visitors."""
    forms: dict[tuple[str, Any], Form] = {}
    for name, path in pages:
        for role in _visitors(name):
            sweep.outage_errors.clear()
            response = sweep.personas[role].get(path, follow=True)
            _record(sweep, response, f"{name} GET {path} as {role}")
            html = _html(response)
            if html is None:
                continue
            query = response.request.get("QUERY_STRING", "")
            page = response.request["PATH_INFO"] + (f"?{query}" if query else "")
            for action, fields in parse(html):
                target = _target(page, action)
                if target is None or _skipped(_name(target), target):
                    continue
                form = Form(target=target, page=page, role=role, fields=fields)
                forms.setdefault((target, form.names), form)
    return forms


def _post(sweep: Sweep, role: str, path: str, body: Body, what: str) -> Any:
    """POST ``body`` inside a rolled-back transaction, following its redirect (a page that
    cannot show what was saved fails too); cookies and cache as they were. None if the client
    itself raised (a redirect loop), which is listed."""
    client = sweep.personas[role]
    if sweep.token in path:  # the wizard's token is spent by a commit or a cancel
        path = path.replace(sweep.token, objects.upload_complaints(client))
    saved = copy.deepcopy(client.cookies)
    cache.clear()
    sweep.outage_errors.clear()
    started = time.monotonic()
    response = None
    try:
        with transaction.atomic():
            response = client.post(path, body, follow=True)
            transaction.set_rollback(True)
    except Exception as exc:  # noqa: BLE001 - a crash of the request is a finding, listed
        sweep.failures.append(f"{what} → raised {_exception(exc)}")
    sweep.slowest = sorted([*sweep.slowest, (time.monotonic() - started, what)])[-8:]
    client.cookies = saved
    sweep.posts += 1
    if response is not None:
        chain = " → ".join(str(status) for _url, status in response.redirect_chain)
        _record(sweep, response, what + (f" (after {chain})" if chain else ""))
    return response


def _warned(response: Any) -> bool:
    """The page after the POST shows an error or a warning (a message or a form's errors)."""
    context = response.context
    shown = list(context["messages"]) if context is not None and "messages" in context else []
    if any(m.level >= messages.WARNING for m in shown):
        return True
    return 'class="errorlist' in response.content.decode("utf-8", "replace")


def _sweep_forms(sweep: Sweep, forms: dict[tuple[str, Any], Form]) -> None:
    for form in forms.values():
        name = _name(form.target)
        for label, body in bodies(form):
            what = f"{name} [{label}] POST {form.target} as {form.role} (form on {form.page})"
            response = _post(sweep, form.role, form.target, body, what)
            if (
                label.split("/")[0] in SILENT_KINDS
                and aims_at_visible(form, label)
                and response is not None
                and response.redirect_chain
                and response.status_code == 200
                and not _warned(response)
            ):
                sweep.silent.append(what)


@dataclass
class _Redirect:
    """A redirect of a followed chain, as the matrix's `is_denied` reads a response."""

    location: str
    status_code: int = 302

    def get(self, header: str, default: str = "") -> str:
        return self.location if header == "Location" else default


def _refused(response: Any) -> bool:
    """Refused (401, 403, 404, sent to a login page) or no POST taken (405)."""
    login = any(is_denied(_Redirect(url)) for url, _status in response.redirect_chain)
    return login or is_denied(response) or response.status_code == 405


def _sweep_empty(sweep: Sweep, targets: dict[str, tuple[str, str]]) -> None:
    """An empty POST to every URL and form target; a 405 means the view takes no POST."""
    for path, (name, role) in targets.items():
        response = _post(sweep, role, path, {}, f"{name} [empty] POST {path} as {role}")
        if response is not None and not _refused(response):
            sweep.post_views.add(name)


def _report(sweep: Sweep, forms: dict[tuple[str, Any], Form]) -> str:
    slow = "\n".join(f"  {seconds:.1f}s {what}" for seconds, what in reversed(sweep.slowest))
    posted_only = {name for name, access in MATRIX.items() if access.method == "POST"}
    formless = sorted(
        name
        for name in posted_only - {_name(f.target) for f in forms.values()}
        if not _skipped(name, "")
    )
    return (
        f"{sweep.posts} POSTs to {len(forms)} forms; {len(sweep.post_views)} URLs answered an "
        f"empty POST (neither refused nor 405); statuses {dict(sorted(sweep.statuses.items()))}\nslowest:\n{slow}\n"
        "POST-only URLs no page rendered a form for (sent an empty POST only): "
        f"{', '.join(formless)}\n"
        f"{len(sweep.silent)} garbage bodies taken without an error or warning shown "
        "(not asserted):\n" + "\n".join(sweep.silent) + "\n"
        f"{len(sweep.failures)} failures:\n" + "\n".join(sweep.failures)
    )


@pytest.fixture
def sweep(world: World, settings: Any, tmp_path: Any, monkeypatch: Any, caplog: Any) -> Sweep:
    """The world with objects of every kind; uploads, media and the spool in ``tmp_path``; a
    database error turned into the 503 page is kept, to be reported with the 503."""
    for logger, level in QUIET_LOGGERS.items():
        caplog.set_level(level, logger=logger)
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KOMPETEN_SPOOL_DIR = tmp_path / "spool"
    o = objects.build(world)
    personas = clients(world)
    for client in personas.values():
        client.raise_request_exception = False  # a crash is a 500 response, listed with the rest
    result = Sweep(personas=personas, built=o, token=o["token"])
    original = outage.log_outage

    def keep(exc: BaseException | None, where: str = "answering 503") -> None:
        if exc is not None:
            result.outage_errors.append(exc)
        original(exc, where)

    monkeypatch.setattr(outage, "log_outage", keep)
    return result


def test_no_form_answers_garbage_with_a_server_error(sweep: Sweep) -> None:
    pages = _pages(sweep.built)
    forms = _discover(sweep, pages)
    targets: dict[str, tuple[str, str]] = {}
    for name, path in pages:
        targets.setdefault(path, (name, _visitors(name)[0]))
    for form in forms.values():
        targets.setdefault(form.target, (_name(form.target), form.role))
    _sweep_empty(sweep, targets)
    _sweep_forms(sweep, forms)
    report = _report(sweep, forms)
    print(report)
    assert len(sweep.post_views) >= REACHED_POST_VIEWS, report
    assert len(forms) >= REACHED_FORMS, report
    assert sweep.posts >= REACHED_POSTS, report
    assert not sweep.failures, report
