"""The employee list: filters, search, exports of exactly the filtered rows, constant queries."""

from __future__ import annotations

import csv
import io
from datetime import date

from django.urls import reverse
from python_calamine import CalamineWorkbook

from tests import factories

LIST = reverse("people:employee_list")


def nips_on_page(response) -> set[str]:
    return {e.nip for e in response.context["page"]}


def test_admin_sees_every_active_employee(world, client) -> None:
    client.force_login(world.alice)
    response = client.get(LIST)
    assert response.status_code == 200
    assert nips_on_page(response) == {
        e.nip for e in (world.bob_emp, world.carol_emp, world.dave_emp, world.erin_emp)
    }


def test_filters_narrow_the_list(world, client) -> None:
    client.force_login(world.alice)
    assert nips_on_page(client.get(LIST, {"unit": world.alfa.pk})) == {
        world.bob_emp.nip,
        world.carol_emp.nip,
        world.dave_emp.nip,
    }
    assert nips_on_page(client.get(LIST, {"sex": "P"})) == {world.carol_emp.nip, world.erin_emp.nip}
    assert nips_on_page(client.get(LIST, {"jabatan_kind": "pengawas"})) == {world.carol_emp.nip}
    assert nips_on_page(client.get(LIST, {"unit": world.beta.pk, "sex": "L"})) == set()


def test_the_filter_form_keeps_the_chosen_values_escaped(world, client) -> None:
    from kompeten.people.actions import do_create_unit

    do_create_unit(instansi=world.instansi, code="XSS", name="<b>Bagian</b>", kind="bagian")
    client.force_login(world.alice)
    html = client.get(LIST, {"unit": world.alfa.pk, "sex": "P"}).content.decode()
    assert f'<option value="{world.alfa.pk}" selected>' in html
    assert '<option value="P" selected>' in html
    assert "&lt;b&gt;Bagian&lt;/b&gt;" in html and "<b>Bagian</b>" not in html


def test_search_by_name_or_nip_with_spaces(world, client) -> None:
    client.force_login(world.alice)
    assert nips_on_page(client.get(LIST, {"q": "lestari"})) == {world.erin_emp.nip}
    assert nips_on_page(client.get(LIST, {"q": world.dave_emp.nip_display})) == {world.dave_emp.nip}
    # A prefix finds everyone whose NIP starts with it (bob and dave share birth date and TMT).
    prefix = f"{world.dave_emp.nip[:8]} {world.dave_emp.nip[8:14]}"
    assert nips_on_page(client.get(LIST, {"q": prefix})) == {world.bob_emp.nip, world.dave_emp.nip}


def test_inactive_employees_only_on_request(world, client) -> None:
    from kompeten.people.actions import do_deactivate_employee

    do_deactivate_employee(employee=world.erin_emp, reason="pensiun", on=date(2026, 1, 1))
    client.force_login(world.alice)
    assert world.erin_emp.nip not in nips_on_page(client.get(LIST))
    assert nips_on_page(client.get(LIST, {"active": "0"})) == {world.erin_emp.nip}
    assert len(nips_on_page(client.get(LIST, {"active": "all"}))) == 4


def test_the_xlsx_export_holds_exactly_the_filtered_rows(world, client) -> None:
    client.force_login(world.alice)
    response = client.get(
        reverse("people:employee_export", args=["xlsx"]), {"unit": world.alfa.pk, "sex": "L"}
    )
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        .get_sheet_by_index(0)
        .to_python()
    )
    assert rows[0][0] == "NIP"
    assert {r[0] for r in rows[1:]} == {world.bob_emp.nip, world.dave_emp.nip}
    dave = next(r for r in rows[1:] if r[0] == world.dave_emp.nip)
    assert dave[12] == "ALFA-LAY" and dave[14] == world.carol_emp.nip


def test_the_csv_export_holds_exactly_the_filtered_rows(world, client) -> None:
    client.force_login(world.bob)
    response = client.get(reverse("people:employee_export", args=["csv"]), {"q": "a"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert {r[0] for r in rows[1:]} == {world.bob_emp.nip, world.carol_emp.nip, world.dave_emp.nip}


def test_the_export_is_scoped_like_the_list(world, client) -> None:
    client.force_login(world.dave)
    response = client.get(reverse("people:employee_export", args=["csv"]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert {r[0] for r in list(csv.reader(io.StringIO(text)))[1:]} == {world.dave_emp.nip}


def test_the_htmx_request_gets_only_the_table(world, client) -> None:
    client.force_login(world.alice)
    response = client.get(LIST, {"q": "Dave"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and 'data-testid="employee-table"' in html


def _add_employees(world, n: int) -> None:
    for i in range(n):
        factories.make_employee(world.layanan, f"Pegawai {i}", birth_date=date(1990, 1, 1 + i % 28))


def _queries_for_list(world, client, django_assert_max_num_queries, n: int) -> None:
    _add_employees(world, n)
    client.force_login(world.alice)
    with django_assert_max_num_queries(
        12, info="the employee list must not query per row (N+1); see STYLE.md"
    ) as captured:
        response = client.get(LIST, {"unit": world.alfa.pk})
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_list_runs_a_constant_number_of_queries(
    world, client, django_assert_max_num_queries
) -> None:
    small = _queries_for_list(world, client, django_assert_max_num_queries, 1)
    _add_employees(world, 199)
    client.force_login(world.alice)
    with django_assert_max_num_queries(small, info="query count grew with the rows") as captured:
        client.get(LIST, {"unit": world.alfa.pk})
    assert len(captured.captured_queries) == small


def test_employee_detail_shows_the_record(world, client) -> None:
    client.force_login(world.carol)
    response = client.get(reverse("people:employee_detail", args=[world.dave_emp.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert world.dave_emp.nip_display in html and "Carolina Putri" in html
    mine = client.get(reverse("people:employee_detail", args=[world.carol_emp.pk])).content.decode()
    assert "Bawahan langsung" in mine and "Dave Saputra" in mine
