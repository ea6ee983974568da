"""The 20-JP right on the JP dashboard and its export, and 'JP & sertifikat saya' for an
account without an employee record.

PP 11/2017 (as amended) gives every PNS at least 20 JP a year; PP 49/2018 gives PPPK at most
24 JP and no minimum (DOMAIN.md, kompeten/standards/jp.py). So a PPPK is never shown as
'memenuhi' a minimum they do not have: with 0 JP they are 'belum ada JP', otherwise
'tanpa minimal · batas 24 JP' (or over the ceiling)."""

from __future__ import annotations

import io
from datetime import date

from django.urls import reverse
from openpyxl import load_workbook

from tests import factories


def _row_of(html: str, name: str) -> str:
    start = html.index(name)
    return html[start : html.index("</tr>", start)]


def test_a_pppk_with_no_jp_is_not_shown_as_meeting_the_right(
    client, world, django_assert_max_num_queries
):
    factories.make_employee(world.layanan, "Putri PPPK", status="PPPK", birth_date=date(1995, 5, 5))
    client.force_login(world.alice)
    with django_assert_max_num_queries(14):
        html = client.get(reverse("participation:jp_dashboard")).content.decode()
    pppk = _row_of(html, "Putri PPPK")
    assert "memenuhi" not in pppk
    assert "belum ada JP" in pppk and "lihat undangan" in pppk
    pns = _row_of(html, "Dave Saputra")  # a PNS with no JP either
    assert "memenuhi" not in pns and "lihat undangan" in pns


def test_the_export_says_the_minimum_does_not_apply_to_a_pppk(client, world):
    factories.make_employee(world.layanan, "Putri PPPK", status="PPPK", birth_date=date(1995, 5, 5))
    client.force_login(world.alice)
    response = client.get(reverse("participation:jp_export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {r[1]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Putri PPPK"][-1] == "Tidak berlaku (tanpa minimal)"
    assert rows["Dave Saputra"][-1] == "Tidak"


def test_my_jp_without_an_employee_record_is_a_friendly_page(
    client, world, django_assert_max_num_queries
):
    for user in (world.alice, world.pia):  # admin and pimpinan accounts have no NIP here
        client.force_login(user)
        with django_assert_max_num_queries(6):
            response = client.get(reverse("participation:my_jp"))
        assert response.status_code == 200
        html = response.content.decode()
        assert 'data-testid="no-employee"' in html
        assert "tidak terhubung dengan data pegawai" in html
        assert reverse("participation:jp_dashboard") in html
    client.force_login(world.dave)
    page = client.get(reverse("participation:my_jp")).content.decode()
    assert 'data-testid="total-jp"' in page and 'data-testid="no-employee"' not in page
