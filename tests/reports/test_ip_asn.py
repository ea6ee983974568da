"""IP ASN from the registry and the JP ledger: the DOMAIN.md worked example through the engine
and the employee's page; the change over a training year; who may see it."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from kompeten.participation.models import JpEntry
from kompeten.people.models import Employee
from kompeten.records.actions import do_add_discipline_record, do_set_skp_rating
from kompeten.records.models import SkpRating
from kompeten.reports.assemble import Section, _ip_asn
from kompeten.reports.dashboard import collect_figures, present
from kompeten.reports.ipasn import ip_for_employees, summarise


def ledger(world, employee, form: str, jp: int, day: date) -> None:  # type: ignore[no-untyped-def]
    JpEntry.objects.create(
        instansi=world.instansi,
        employee=employee,
        year=day.year,
        date=day,
        minutes=Decimal(jp * 45),
        group="klasikal",
        form=form,
        title=f"{form} {jp} JP",
        source="penyelesaian",
    )


def worked_example(world):  # type: ignore[no-untyped-def]
    """A pelaksana with S-1, a 24-JP technical course and a workshop last year, SKP 85."""
    dave = world.dave_emp
    Employee.objects.filter(pk=dave.pk).update(education="S-1", jabatan_kind="pelaksana")
    ledger(world, dave, "pelatihan", 24, date(2025, 9, 10))
    ledger(world, dave, "workshop", 8, date(2025, 11, 5))
    do_set_skp_rating(actor=None, employee=dave, year=2025, score=85)
    return dave


def test_the_domain_worked_example_scores_85_tinggi(world) -> None:  # type: ignore[no-untyped-def]
    dave = worked_example(world)
    [ip] = ip_for_employees(Employee.objects.filter(pk=dave.pk), 2025)
    r = ip.result
    assert (r.kualifikasi, r.kompetensi, r.kinerja, r.disiplin) == (15, 40, 25, 5)
    assert r.total == 85.0 and r.category == "Tinggi"


def test_the_year_before_the_training_scores_lower(world) -> None:  # type: ignore[no-untyped-def]
    dave = worked_example(world)
    do_set_skp_rating(actor=None, employee=dave, year=2024, score=85)
    [before] = ip_for_employees(Employee.objects.filter(pk=dave.pk), 2024)
    assert before.result.kompetensi == 0 and before.result.total == 45.0


def test_a_sanction_lowers_disiplin(world) -> None:  # type: ignore[no-untyped-def]
    dave = worked_example(world)
    do_add_discipline_record(actor=None, employee=dave, day=date(2023, 5, 1), level="sedang")
    [ip] = ip_for_employees(Employee.objects.filter(pk=dave.pk), 2025)
    assert ip.result.disiplin == 2 and ip.result.total == 82.0


def test_the_employees_page_shows_the_breakdown_and_what_would_raise_it(client, world) -> None:  # type: ignore[no-untyped-def]
    dave = worked_example(world)
    JpEntry.objects.filter(employee=dave, form="workshop").delete()
    client.force_login(world.dave)
    page = client.get("/laporan/ip-asn/saya/?year=2025").content.decode()
    assert 'data-testid="ip-total">67,50<' in page
    assert 'data-testid="ip-category">Rendah<' in page
    assert "+17,50" in page  # a seminar/workshop in the last two years would add 17,5


def test_a_pegawai_sees_only_their_own_ip(client, world) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.erin)
    assert client.get(f"/laporan/ip-asn/pegawai/{world.dave_emp.pk}/").status_code == 404
    assert client.get(f"/laporan/ip-asn/opd/{world.alfa.pk}/").status_code == 403
    assert client.get("/laporan/ip-asn/").status_code == 403
    assert client.get("/laporan/ip-asn/saya/").status_code == 200


def test_a_pengelola_sees_their_opd_but_not_another(client, world) -> None:  # type: ignore[no-untyped-def]
    worked_example(world)
    client.force_login(world.bob)
    page = client.get(f"/laporan/ip-asn/opd/{world.alfa.pk}/?year=2025")
    assert page.status_code == 200 and "Dave Saputra" in page.content.decode()
    assert client.get(f"/laporan/ip-asn/opd/{world.beta.pk}/").status_code == 404
    assert client.get("/laporan/ip-asn/").status_code == 403


def test_the_city_page_shows_the_change_per_opd(client, world) -> None:  # type: ignore[no-untyped-def]
    worked_example(world)
    client.force_login(world.pia)
    page = client.get("/laporan/ip-asn/?year=2025").content.decode()
    assert "Dinas Alfa" in page and "Dinas Beta" in page


def test_the_city_page_shows_each_dimension_and_who_has_no_skp(
    client, world, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    worked_example(world)
    client.force_login(world.pia)
    with_skp = SkpRating.objects.filter(year__in=(2024, 2025)).values("employee_id").distinct()
    active = Employee.objects.filter(instansi=world.instansi, is_active=True)
    without = active.exclude(pk__in=with_skp).count()
    assert without == active.count() - 1  # only Dave has an SKP
    # session and user, the tree, each year's employees, ledger, SKP and sanctions, the table:
    # a fixed number whatever the number of employees (15 measured)
    with django_assert_max_num_queries(15):
        page = client.get("/laporan/ip-asn/?year=2025").content.decode()
    dims = page.split('data-testid="ip-dimensions"', 1)[1].split("</table>", 1)[0]
    # the maxima of the table (PermenPANRB 38/2018): 25, 40, 30, 5, always with two decimals
    for label, top in (("Kualifikasi", "25,00"), ("Kompetensi", "40,00"), ("Kinerja", "30,00")):
        assert re.search(rf"{label}</td>.*?>{top}</td>", dims), label
    assert f"{without} dari {active.count()} pegawai belum punya SKP tahun 2024 atau 2025" in page
    assert 'bernilai 0,00 (nilai "tanpa SKP" tabel IP ASN)' in page


def test_an_employee_without_education_is_left_out_and_counted(world) -> None:  # type: ignore[no-untyped-def]
    """Kualifikasi needs the education: an employee imported without it is not scored as any
    level (it was SLTA before), and the summary says how many were left out."""
    dave = worked_example(world)
    Employee.objects.filter(pk=dave.pk).update(education="")
    active = Employee.objects.filter(instansi=world.instansi, is_active=True)
    rows = ip_for_employees(active, 2025)
    assert dave.pk not in {r.employee_id for r in rows}
    assert len(rows) == active.count() - 1 and rows.without_education == 1
    summary = summarise(rows)
    assert (summary.n, summary.without_education) == (active.count() - 1, 1)
    assert summarise(list(rows)).without_education == 0  # a plain list cannot say


def test_the_pages_say_who_is_left_out_for_want_of_education(
    client, world, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    dave = worked_example(world)
    Employee.objects.filter(pk=dave.pk).update(education="")
    client.force_login(world.pia)
    with django_assert_max_num_queries(15):  # as many as with every education known
        page = client.get("/laporan/ip-asn/?year=2025").content.decode()
    assert 'data-testid="ip-without-education"' in page
    assert "1 pegawai belum tercatat pendidikannya dan tidak dihitung di sini" in page
    opd = client.get(f"/laporan/ip-asn/opd/{world.alfa.pk}/?year=2025").content.decode()
    assert "1 pegawai belum tercatat pendidikannya" in opd and "Dave Saputra" not in opd
    client.force_login(world.dave)
    mine = client.get("/laporan/ip-asn/saya/?year=2025")
    assert mine.status_code == 200
    text = mine.content.decode()
    assert 'data-testid="ip-no-education"' in text and 'data-testid="ip-total"' not in text


def test_the_report_and_the_dashboard_say_who_is_left_out(world) -> None:  # type: ignore[no-untyped-def]
    dave = worked_example(world)
    Employee.objects.filter(pk=dave.pk).update(education="")
    active = Employee.objects.filter(instansi=world.instansi, is_active=True)
    section = Section("ip", "IP ASN")
    _ip_asn(section, active, 2025)
    [table] = section.tables
    assert table["rows"][1][1] == active.count() - 1  # the Pegawai column: those scored
    assert (
        "1 pegawai belum tercatat pendidikannya dan tidak dihitung dalam IP ASN: dimensi "
        "kualifikasi bergantung padanya."
    ) in section.paragraphs
    numbers = collect_figures(world.instansi, 2025, date(2026, 1, 15))
    assert (numbers["ip_employees"], numbers["ip_without_education"]) == (active.count() - 1, 1)
    [card] = [c for c in present(numbers, 2025)["cards"] if c["slug"] == "ip_asn"]
    assert card["note"].endswith("; 1 tanpa data pendidikan tidak dihitung")


def test_the_admin_saves_an_edited_table_that_then_applies(client, world) -> None:  # type: ignore[no-untyped-def]
    import json

    from kompeten.standards.ip_asn import IP_ASN_2019

    dave = worked_example(world)
    data = IP_ASN_2019.to_dict()
    data["effective_from"] = "2025-01-01"
    data["disiplin"]["none"] = 4
    data["kualifikasi"]["S1"] = 16
    data["max_kualifikasi"] = 26
    data["max_disiplin"] = 4
    client.force_login(world.alice)
    client.post("/laporan/ip-asn/tabel/", {"data": json.dumps(data), "note": "uji"})
    [ip] = ip_for_employees(Employee.objects.filter(pk=dave.pk), 2025)
    assert (ip.result.kualifikasi, ip.result.disiplin, ip.result.total) == (16, 4, 85.0)
    page = client.post("/laporan/ip-asn/tabel/", {"data": '{"regulation": 1}'}, follow=True)
    assert "tidak sah" in page.content.decode()
    client.force_login(world.pia)
    assert client.get("/laporan/ip-asn/tabel/").status_code == 403


def test_an_overlong_change_note_is_refused_and_nothing_saved(client, world) -> None:  # type: ignore[no-untyped-def]
    """The note is kept in 300 characters: a longer one is named, not a database error (it was
    a 500 on PostgreSQL, found by the hostile-input walk)."""
    import json

    from kompeten.records.models import IpAsnTableVersion
    from kompeten.standards.ip_asn import IP_ASN_2019

    client.force_login(world.alice)
    data = json.dumps(IP_ASN_2019.to_dict())
    page = client.post("/laporan/ip-asn/tabel/", {"data": data, "note": "x" * 301}, follow=True)
    assert page.status_code == 200
    assert "paling panjang 300 karakter (tertulis 301)" in page.content.decode()
    assert not IpAsnTableVersion.objects.exists()
    client.post("/laporan/ip-asn/tabel/", {"data": data, "note": "x" * 300})
    assert IpAsnTableVersion.objects.get().note == "x" * 300


def test_jp_compliance_counts_pns_reaching_twenty_jp(world) -> None:  # type: ignore[no-untyped-def]
    from kompeten.reports.collect import jp_compliance

    ledger(world, world.dave_emp, "pelatihan", 20, date(2026, 3, 1))
    ledger(world, world.erin_emp, "pelatihan", 19, date(2026, 3, 1))
    ledger(world, world.erin_emp, "seminar", 5, date(2025, 3, 1))  # another year does not count
    employees = Employee.objects.filter(instansi=world.instansi)
    n_pns = employees.filter(status="PNS").count()
    assert jp_compliance(employees, 2026) == (n_pns, 1)
