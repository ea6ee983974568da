"""The audit log page shows stored states as words: no Python values, braces or field codes."""

from __future__ import annotations

from kompeten.core import audit


def test_the_audit_page_shows_changes_as_words(world, client, django_assert_max_num_queries):
    audit.record(
        actor=world.alice,
        instansi=world.instansi,
        action="skp.import",
        object_type="records.skprating",
        object_id="1",
        before=None,
        after={"year": 2026, "hasil_kerja": "di_atas", "score": None, "final": True},
    )
    client.force_login(world.alice)
    with django_assert_max_num_queries(8):
        response = client.get("/audit/")
    html = response.content.decode()
    assert response.status_code == 200
    # the model's own field labels, in the reader's language; stored codes as words
    # (PostgreSQL's jsonb keeps no key order: each pair on its own)
    # a choice field's code is its label: "di_atas" is "Di Atas Ekspektasi"
    for pair in (
        "tahun: 2026",
        "hasil kerja: Di Atas Ekspektasi",
        "nilai SKP lama: —",
        "final: ya",
    ):
        assert pair in html
    table = html.split("<table", 1)[1]
    for code in ("None", "True", "{", "hasil_kerja", "di_atas", "year:", "score:"):
        assert code not in table
    client.cookies["django_language"] = "en"
    english = client.get("/audit/").content.decode().split("<table", 1)[1]
    assert "year: 2026" in english and "tahun:" not in english
    assert "Above Expectations" in english and "Di Atas Ekspektasi" not in english


def test_only_an_admin_reads_the_audit_log(world, client):
    for user in (world.bob, world.dave):
        client.force_login(user)
        assert client.get("/audit/").status_code == 403
