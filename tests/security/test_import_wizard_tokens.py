"""Hostile walks of the import wizard's token pages (/impor/<key>/<token>/…), which the
foreign-object matrix leaves to this file: the token is bound to its uploader, so every other
user (same instansi or not, admin or not) gets 404, an uploader who may no longer run the
import is refused, an anonymous client goes to the login page, and a token is spent once
(cancelled or committed). Also the result and pending pages with another instansi's objects.

Every refusal is followed by a control: the uploader (or the instansi's admin) does the same
thing and it works, so a refusal cannot pass for a broken probe."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client

from kompeten.core.importing import uploads
from kompeten.core.models import AuditLog, ImportMapping, ImportRun, PendingRow, Role, User
from kompeten.service.models import Complaint
from tests import factories
from tests.core.importing.lapor import lapor_csv, lapor_line, signed_in

pytestmark = pytest.mark.django_db

# a valid mapping form for HEADER that differs from the one recognised (the status column is
# ignored), so that a mapping POST that got through would show in the token's meta
HOSTILE_MAPPING = {
    "col_0": "tracking_number",
    "col_1": "received_at",
    "col_2": "unit",
    "col_3": "",
    "col_4": "closed_at",
    "col_5": "",
}


def _upload(client: Client, f: io.BytesIO) -> str:
    """The preview URL (/impor/complaints/<token>/) of a real upload through the view."""
    response = client.post("/impor/complaints/", {"file": f})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"].endswith("/kolom/")
    return response["Location"].removesuffix("kolom/")


def _token(preview_url: str) -> str:
    return preview_url.rstrip("/").rsplit("/", 1)[1]


def _clean_file() -> io.BytesIO:
    return lapor_csv(lapor_line(1), lapor_line(2, status="Proses"))


def _mixed_file() -> io.BytesIO:
    # one clean row, one row kept pending (unit unknown): the preview offers "partial"
    return lapor_csv(lapor_line(1), lapor_line(2, unit="Dinas Gamma"))


def _counts() -> dict[str, int]:
    return {
        "complaints": Complaint.objects.count(),
        "runs": ImportRun.objects.count(),
        "pending": PendingRow.objects.count(),
        "resolved": PendingRow.objects.filter(resolved_at__isnull=False).count(),
        "mappings": ImportMapping.objects.count(),
        "audit": AuditLog.objects.filter(action__startswith="import.").count(),
    }


def _meta(preview_url: str, user: User) -> dict[str, Any]:
    return uploads.load(_token(preview_url), user.pk, "complaints")[1]


def _request(client: Client, method: str, path: str, data: dict[str, str] | None) -> Any:
    if method == "get":
        return client.get(path)
    return client.post(path, data or {})


def _form_on_preview(client: Client, preview_url: str) -> dict[str, str]:
    """The commit form the preview page really renders for this token."""
    page = client.get(preview_url)
    assert page.status_code == 200
    html = page.content.decode()
    if 'data-testid="import-all"' in html:
        return {}
    assert 'data-testid="import-partial"' in html
    assert '<input type="hidden" name="partial" value="1">' in html
    return {"partial": "1"}


# (id, method, suffix after the preview URL, form, file) for every token route
TOKEN_ROUTES = [
    ("mapping-get", "get", "kolom/", None, _clean_file),
    ("mapping-post", "post", "kolom/", HOSTILE_MAPPING, _clean_file),
    ("preview", "get", "", None, _clean_file),
    ("problems-xlsx", "get", "masalah.xlsx", None, _mixed_file),
    ("commit-all", "post", "simpan/", "rendered", _clean_file),
    ("commit-partial", "post", "simpan/", "rendered", _mixed_file),
    ("cancel", "post", "batal/", {}, _clean_file),
]


def _probe(world, route, intruder: User | None, expected_status: int) -> None:
    """Upload as alice, send ``route`` as ``intruder`` (None: anonymous), expect the status,
    then check nothing changed and that the token still works for alice."""
    _name, method, suffix, form, make_file = route
    owner = signed_in(world.alice)
    preview_url = _upload(owner, make_file())
    if form == "rendered":
        form = _form_on_preview(owner, preview_url)
    before = _counts()
    client = Client() if intruder is None else signed_in(intruder)
    response = _request(client, method, preview_url + suffix, form)
    assert response.status_code == expected_status, response.content.decode()[:500]
    if intruder is None:
        assert response["Location"] == f"/masuk/?next={preview_url + suffix}"
    else:
        assert response.get("Content-Disposition") is None  # no workbook served
    assert _counts() == before
    assert Complaint.objects.count() == 0
    # the token is untouched: still there, mapping not replaced, usable by its owner
    assert _meta(preview_url, world.alice)["mapping"] is None
    assert owner.get(preview_url).status_code == 200
    # control: the same request by the owner does what the intruder could not
    control = _request(owner, method, preview_url + suffix, form)
    if suffix == "simpan/":
        assert control.status_code == 302 and "/impor/hasil/" in control["Location"]
        assert Complaint.objects.count() == (2 if not form else 1)
        assert ImportRun.objects.count() == before["runs"] + 1
    elif suffix == "batal/":
        assert control.status_code == 302 and control["Location"] == "/impor/"
        assert owner.get(preview_url).status_code == 404
    elif method == "post":
        assert control.status_code == 302 and control["Location"] == preview_url
        assert _meta(preview_url, world.alice)["mapping"]["Status"] == ""
    else:
        assert control.status_code == 200


# --- 1. another user of the same instansi, even an admin -----------------------------------


@pytest.mark.parametrize("route", TOKEN_ROUTES, ids=[r[0] for r in TOKEN_ROUTES])
def test_another_admin_of_the_same_instansi_gets_404(world, route) -> None:
    other_admin = factories.make_user(world.instansi, "alice2", Role.ADMIN)
    _probe(world, route, other_admin, 404)


@pytest.mark.parametrize("route", TOKEN_ROUTES, ids=[r[0] for r in TOKEN_ROUTES])
def test_a_pengelola_of_the_same_instansi_is_refused(world, route) -> None:
    # complaints is an admin-only import: the declaration's permission says 403 first
    _probe(world, route, world.bob, 403)


# --- 2. a user of another instansi ---------------------------------------------------------


@pytest.mark.parametrize("route", TOKEN_ROUTES, ids=[r[0] for r in TOKEN_ROUTES])
def test_the_admin_of_another_instansi_gets_404(world, route) -> None:
    _probe(world, route, world.mallory, 404)


# --- 4. anonymous --------------------------------------------------------------------------


@pytest.mark.parametrize("route", TOKEN_ROUTES, ids=[r[0] for r in TOKEN_ROUTES])
def test_an_anonymous_client_is_sent_to_the_login_page(world, route) -> None:
    _probe(world, route, None, 302)


# --- a token under another import's key, or not a token at all ----------------------------


@pytest.mark.parametrize("route", TOKEN_ROUTES, ids=[r[0] for r in TOKEN_ROUTES])
def test_the_uploaders_token_under_another_imports_key_is_not_found(world, route) -> None:
    _name, method, suffix, form, make_file = route
    owner = signed_in(world.alice)
    preview_url = _upload(owner, make_file())
    if form == "rendered":
        form = _form_on_preview(owner, preview_url)
    before = _counts()
    # skm is an import alice may run too: only the token's own key opens it
    path = preview_url.replace("/impor/complaints/", "/impor/skm/") + suffix
    assert _request(owner, method, path, form).status_code == 404
    assert _counts() == before
    assert _meta(preview_url, world.alice)["mapping"] is None
    assert owner.get(preview_url).status_code == 200


@pytest.mark.parametrize("token", ["..", ".", "a.b", "x" * 64, "%2e%2e"])
def test_a_token_that_is_not_one_is_not_found(world, token) -> None:
    owner = signed_in(world.alice)
    _upload(owner, _clean_file())
    before = _counts()
    for suffix in ("", "kolom/", "masalah.xlsx", "simpan/", "batal/"):
        path = f"/impor/complaints/{token}/{suffix}"
        method = "post" if suffix in ("simpan/", "batal/") else "get"
        assert _request(owner, method, path, {"partial": "1"}).status_code == 404, path
    assert _counts() == before


# --- 3. the uploader who may no longer run the import -------------------------------------


@pytest.mark.parametrize("role", [Role.PEGAWAI, Role.PIMPINAN, Role.PENGELOLA, Role.FASILITATOR])
@pytest.mark.parametrize("make_file", [_clean_file, _mixed_file], ids=["all", "partial"])
def test_a_demoted_uploader_is_refused_at_commit(world, role, make_file) -> None:
    owner = signed_in(world.alice)
    preview_url = _upload(owner, make_file())
    form = _form_on_preview(owner, preview_url)
    User.objects.filter(pk=world.alice.pk).update(role=role, managed_unit=world.alfa)
    before = _counts()
    response = owner.post(preview_url + "simpan/", form)
    assert response.status_code == 403
    assert _counts() == before
    assert Complaint.objects.count() == 0
    # nor may they look at it, change its mapping or fetch its problems any more
    assert owner.get(preview_url).status_code == 403
    assert owner.post(preview_url + "kolom/", HOSTILE_MAPPING).status_code == 403
    assert owner.get(preview_url + "masalah.xlsx").status_code == 403
    assert _meta(preview_url, world.alice)["mapping"] is None
    # control: promoted back, the very same form goes through
    User.objects.filter(pk=world.alice.pk).update(role=Role.ADMIN, managed_unit=None)
    response = owner.post(preview_url + "simpan/", form)
    assert response.status_code == 302 and "/impor/hasil/" in response["Location"]
    assert ImportRun.objects.count() == before["runs"] + 1


def test_a_deactivated_uploader_is_signed_out_and_writes_nothing(world) -> None:
    owner = signed_in(world.alice)
    preview_url = _upload(owner, _clean_file())
    User.objects.filter(pk=world.alice.pk).update(is_active=False)
    before = _counts()
    response = owner.post(preview_url + "simpan/")
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")
    assert _counts() == before


def test_an_uploader_moved_to_another_instansi_cannot_commit_into_the_old_one(world) -> None:
    owner = signed_in(world.alice)
    preview_url = _upload(owner, _clean_file())
    other = world.mallory.instansi
    User.objects.filter(pk=world.alice.pk).update(instansi=other)
    # the file's units are Kota Uji's, unknown in Kabupaten Lain: "all" is refused as not clean
    response = owner.post(preview_url + "simpan/")
    assert response.status_code == 302 and response["Location"] == preview_url
    assert ImportRun.objects.count() == 0
    # nothing of it lands in Kota Uji, whichever mode
    owner.post(preview_url + "simpan/", {"partial": "1"})
    assert not Complaint.objects.filter(instansi=world.instansi).exists()
    assert not ImportRun.objects.filter(instansi=world.instansi).exists()


# --- 5. a cancelled token, 6. a committed token ---------------------------------------------


@pytest.mark.parametrize("make_file", [_clean_file, _mixed_file], ids=["all", "partial"])
def test_a_cancelled_token_cannot_be_committed(world, make_file) -> None:
    owner = signed_in(world.alice)
    preview_url = _upload(owner, make_file())
    form = _form_on_preview(owner, preview_url)
    response = owner.post(preview_url + "batal/")
    assert response.status_code == 302 and response["Location"] == "/impor/"
    before = _counts()
    assert owner.post(preview_url + "simpan/", form).status_code == 404
    assert owner.post(preview_url + "simpan/", {"partial": "1"}).status_code == 404
    assert owner.post(preview_url + "kolom/", HOSTILE_MAPPING).status_code == 404
    assert owner.get(preview_url).status_code == 404
    assert owner.get(preview_url + "masalah.xlsx").status_code == 404
    assert owner.post(preview_url + "batal/").status_code == 404
    assert _counts() == before
    assert before == dict.fromkeys(before, 0)  # nothing at all was ever written


@pytest.mark.parametrize("make_file", [_clean_file, _mixed_file], ids=["all", "partial"])
def test_a_token_is_committed_once(world, make_file) -> None:
    owner = signed_in(world.alice)
    preview_url = _upload(owner, make_file())
    form = _form_on_preview(owner, preview_url)
    response = owner.post(preview_url + "simpan/", form)
    assert response.status_code == 302 and "/impor/hasil/" in response["Location"]
    after_first = _counts()
    assert after_first["runs"] == 1 and after_first["audit"] == 1
    assert after_first["complaints"] == (1 if form else 2)
    assert after_first["pending"] == (1 if form else 0)
    # the second POST (a double click, a replay), in either mode, writes nothing more
    assert owner.post(preview_url + "simpan/", form).status_code == 404
    assert owner.post(preview_url + "simpan/", {"partial": "1"}).status_code == 404
    assert owner.post(preview_url + "batal/").status_code == 404
    assert _counts() == after_first


def test_a_commit_refused_as_not_clean_leaves_the_token_for_one_partial_commit(world) -> None:
    owner = signed_in(world.alice)
    preview_url = _upload(owner, _mixed_file())
    response = owner.post(preview_url + "simpan/")  # "all" on a file that is not clean
    assert response.status_code == 302 and response["Location"] == preview_url
    assert _counts()["runs"] == 0 and Complaint.objects.count() == 0
    assert owner.post(preview_url + "simpan/", {"partial": "1"}).status_code == 302
    once = _counts()
    assert once["runs"] == 1 and once["complaints"] == 1 and once["pending"] == 1
    assert owner.post(preview_url + "simpan/", {"partial": "1"}).status_code == 404
    assert _counts() == once


def test_a_commit_already_under_way_is_not_run_twice(world) -> None:
    """Two POSTs of one token at once (a double click served by two processes): the one that
    claims the token commits, the other gets 404 and writes nothing."""
    owner = signed_in(world.alice)
    preview_url = _upload(owner, lapor_csv(lapor_line(1), lapor_line(2)))
    token = preview_url.rstrip("/").rsplit("/", 1)[1]
    before = _counts()
    assert uploads.claim(token)  # the first request, mid-commit
    assert not uploads.claim(token)
    assert owner.post(preview_url + "simpan/").status_code == 404
    assert _counts() == before
    uploads.release(token)  # had it written nothing, the file is there to commit
    assert owner.post(preview_url + "simpan/").status_code == 302
    assert _counts()["complaints"] == 2


def test_a_commit_that_crashes_leaves_the_file_to_commit(world, monkeypatch) -> None:
    from kompeten.core.importing import engine

    owner = signed_in(world.alice)
    preview_url = _upload(owner, lapor_csv(lapor_line(1)))

    def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("database went away")

    with monkeypatch.context() as patched:
        patched.setattr(engine, "commit", crash)
        with pytest.raises(RuntimeError):
            owner.post(preview_url + "simpan/")
    assert Complaint.objects.count() == 0
    assert owner.post(preview_url + "simpan/").status_code == 302
    assert Complaint.objects.count() == 1


# --- the result and pending pages with another instansi's objects --------------------------


def _partial_run(world) -> tuple[ImportRun, PendingRow]:
    """A committed complaints run of Kota Uji with one pending row (unit Dinas Gamma)."""
    owner = signed_in(world.alice)
    preview_url = _upload(owner, _mixed_file())
    response = owner.post(preview_url + "simpan/", {"partial": "1"})
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert response["Location"] == f"/impor/hasil/{run.pk}/"
    return run, PendingRow.objects.get()


@pytest.mark.parametrize(
    ("who", "status"),
    [("mallory", 404), ("bob", 404), ("pia", 404), ("dave", 404), (None, 302)],
)
def test_the_result_page_of_another_instansi_or_import_is_refused(world, who, status) -> None:
    run, _pending = _partial_run(world)
    client = Client() if who is None else signed_in(getattr(world, who))
    response = client.get(f"/impor/hasil/{run.pk}/")
    assert response.status_code == status
    if who is None:
        assert response["Location"] == f"/masuk/?next=/impor/hasil/{run.pk}/"
    else:
        assert "lapor.csv" not in response.content.decode()
    assert signed_in(world.alice).get(f"/impor/hasil/{run.pk}/").status_code == 200  # control


@pytest.mark.parametrize(
    ("who", "status"),
    [("mallory", 404), ("bob", 404), ("pia", 403), ("dave", 403), (None, 302)],
)
def test_another_instansis_pending_row_cannot_be_read_or_edited(world, who, status) -> None:
    _run, pending = _partial_run(world)
    client = Client() if who is None else signed_in(getattr(world, who))
    path = f"/impor/tertunda/{pending.pk}/"
    response = client.get(path)
    assert response.status_code == status
    if who is None:
        assert response["Location"] == f"/masuk/?next={path}"
    else:
        assert "Dinas Gamma" not in response.content.decode()
    # a POST that names an existing unit would complete the row
    mapped = [h for h in pending.run.headers if pending.run.mapping.get(h)]
    values = {f"cell_{i}": str(pending.values.get(h, "")) for i, h in enumerate(mapped)}
    values[f"cell_{mapped.index('Instansi Terdisposisi')}"] = "Dinas Beta"
    before = _counts()
    response = client.post(path, values)
    assert response.status_code == status
    assert _counts() == before
    pending.refresh_from_db()
    assert pending.resolved_at is None and pending.values["Instansi Terdisposisi"] == "Dinas Gamma"
    assert not Complaint.objects.filter(tracking_number="#2").exists()
    # control: alice's very same POST completes it
    response = signed_in(world.alice).post(path, values)
    assert response.status_code == 302 and response["Location"] == "/impor/tertunda/"
    assert Complaint.objects.get(tracking_number="#2").unit == world.beta


@pytest.mark.parametrize(
    ("who", "status"),
    [("mallory", 302), ("bob", 302), ("pia", 403), ("dave", 403), (None, 302)],
)
def test_another_instansis_pending_rows_are_not_retried(world, who, status) -> None:
    run, pending = _partial_run(world)
    # the unit now exists: any retry of the row would complete it
    factories.make_unit(world.instansi, "Dinas Gamma", code="GAMMA")
    client = Client() if who is None else signed_in(getattr(world, who))
    before = _counts()
    for form in ({"ids": [str(pending.pk)]}, {"run": str(run.pk)}, {"key": "complaints"}, {}):
        response = client.post("/impor/tertunda/coba-lagi/", form)
        assert response.status_code == status
        if who is None:
            assert response["Location"] == "/masuk/?next=/impor/tertunda/coba-lagi/"
        elif status == 302:
            assert response["Location"] == "/impor/tertunda/"
    assert _counts() == before
    pending.refresh_from_db()
    assert pending.resolved_at is None
    assert not Complaint.objects.filter(tracking_number="#2").exists()
    # control: alice's retry completes it
    signed_in(world.alice).post("/impor/tertunda/coba-lagi/", {"ids": [str(pending.pk)]})
    pending.refresh_from_db()
    assert pending.resolved_at is not None
    assert Complaint.objects.get(tracking_number="#2").unit.code == "GAMMA"
