"""Building the OPD tree from the SIASN export's unit columns (UNOR ID / NAMA / INDUK NAMA)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from python_calamine import CalamineWorkbook

from kompeten.core.models import AuditLog
from kompeten.people.actions import do_close_unit
from kompeten.people.models import Unit, UnitKind
from kompeten.people.unit_tree import (
    UnitPlan,
    UnitRow,
    do_apply_unit_plan,
    guess_kind,
    guess_short_name,
    name_keys,
    plan_units,
    row_ref,
)
from tests import factories

SIASN = (
    Path(__file__).parent.parent
    / "fixtures"
    / "bkpsdm-2025"
    / "Data_PNS_Kota_Sawahlunto_SIASN_02122026.xlsx"
)


def siasn_unit_rows() -> list[UnitRow]:
    """The unit columns of the sample SIASN export (title rows above the header on row 4)."""
    sheet = CalamineWorkbook.from_path(str(SIASN)).get_sheet_by_index(0).to_python()
    header = [str(h).strip() for h in sheet[3]]
    col = {
        name: header.index(name)
        for name in ("UNOR ID", "UNOR NAMA", "UNOR INDUK NAMA", "INSTANSI KERJA NAMA")
    }
    return [
        UnitRow(
            unit_id=str(r[col["UNOR ID"]]),
            unit_name=str(r[col["UNOR NAMA"]]),
            parent_name=str(r[col["UNOR INDUK NAMA"]]),
            top_name=str(r[col["INSTANSI KERJA NAMA"]]),
        )
        for r in sheet[4:]
        if any(str(v).strip() for v in r)
    ]


@pytest.fixture
def sawahlunto(db):
    return factories.make_instansi("Pemerintah Kota Sawahlunto", "kota-sawahlunto")


# --- pure helpers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind", "short"),
    [
        ("DINAS KESEHATAN", "dinas", "Dinkes"),
        ("DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL", "dinas", "Disdukcapil"),
        ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "dinas", "DPMPTSP"),
        ("BADAN KEPEGAWAIAN DAN PENGEMBANGAN SUMBER DAYA MANUSIA", "badan", "BKPSDM"),
        ("BADAN PERENCANAAN PEMBANGUNAN DAERAH", "badan", "Bappeda"),
        ("KECAMATAN TALAWI", "kecamatan", "Kec. Talawi"),
        ("KECAMATAN LEMBAH SEGAR", "kecamatan", "Kec. Lembah Segar"),
        ("KELURAHAN DURIAN II", "kelurahan", ""),
        ("BIDANG PENANAMAN MODAL", "bagian", ""),
        ("SEKSI PEMERINTAHAN", "bagian", ""),
        ("Sub Bagian Umum dan Kepegawaian", "bagian", ""),
        ("UPTD PUSKESMAS SILUNGKANG", "puskesmas", "Puskesmas Silungkang"),
        ("UPTD Pengelolaan Sampah", "upt", ""),
        ("SEKRETARIAT KECAMATAN", "sekretariat", ""),
        ("RUMAH SAKIT UMUM DAERAH SAWAHLUNTO", "rsud", "RSUD Sawahlunto"),
        ("SATUAN POLISI PAMONG PRAJA", "satpol", "Satpol PP"),
        ("INSPEKTORAT", "inspektorat", ""),
        ("Mal Pelayanan Publik", "lainnya", "MPP"),
        # a school is a UPTD satuan pendidikan (Permendagri 12/2017)
        ("SD Negeri 01 Koto Baru", "upt", ""),
        ("SMP NEGERI 2 SAWAHLUNTO", "upt", ""),
        ("Nagari Koto Baru", "lainnya", ""),
    ],
)
def test_the_kind_and_the_usual_abbreviation_are_guessed_from_the_name(
    name: str, kind: str, short: str
) -> None:
    assert (guess_kind(name), guess_short_name(name)) == (kind, short)


def test_names_match_as_people_write_them() -> None:
    full = name_keys("DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL", "KOTA SAWAHLUNTO")
    for written in (
        "Disdukcapil",
        "Dinas Kependudukan dan Pencatatan Sipil Kota Sawahlunto",
        "  dinas kependudukan dan pencatatan  sipil ",
    ):
        assert full & name_keys(written, "KOTA SAWAHLUNTO"), written
    assert not full & name_keys("Dinas Kesehatan", "KOTA SAWAHLUNTO")
    # the import engine's expansions count too: "Kec." is Kecamatan, "RSUD" a rumah sakit
    talawi = name_keys("KECAMATAN TALAWI", "KOTA SAWAHLUNTO")
    assert talawi & name_keys("Kec. Talawi", "KOTA SAWAHLUNTO")
    assert not talawi & name_keys("Kec. Barangin", "KOTA SAWAHLUNTO")
    rsud = name_keys("RUMAH SAKIT UMUM DAERAH SAWAHLUNTO", "KOTA SAWAHLUNTO")
    assert rsud & name_keys("RSUD Sawahlunto", "KOTA SAWAHLUNTO")


def test_a_row_without_unor_id_is_keyed_by_its_names() -> None:
    assert row_ref(UnitRow(" 8AE1 ", "X")) == "8AE1"
    assert row_ref(UnitRow("", "Seksi  Umum", "Kecamatan Talawi")) == "~KECAMATAN TALAWI/SEKSI UMUM"


# --- the sample export -----------------------------------------------------------------------


def test_the_sample_export_plans_the_whole_tree_from_an_empty_install(
    sawahlunto, django_assert_max_num_queries
) -> None:
    rows = siasn_unit_rows()
    assert len(rows) == 300
    with django_assert_max_num_queries(1):
        plan = plan_units(rows, sawahlunto)
    assert plan.problems == [] and plan.matched == []
    by_name = {}
    for u in plan.to_create:
        by_name.setdefault(u.name, []).append(u)
    # 57 distinct UNOR IDs; the trailing-space spellings of one id are one unit.
    assert len(plan.to_create) == 57
    assert sum(1 for u in plan.to_create if u.parent_ref is None) == 10
    dukcapil = by_name["DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL"][0]
    assert (dukcapil.code, dukcapil.short_name, dukcapil.kind, dukcapil.parent_id) == (
        "8AE481136084263",
        "Disdukcapil",
        "dinas",
        None,
    )
    assert "Pemda" in dukcapil.reason
    # "SEKRETARIAT" appears under five OPDs: each goes under its own parent.
    sekretariat = by_name["SEKRETARIAT"]
    assert len(sekretariat) == 5
    parents = {u.parent_ref for u in sekretariat}
    assert len(parents) == 5 and dukcapil.ref in parents
    # parents come before their children
    order = [u.ref for u in plan.to_create]
    assert all(
        order.index(u.parent_ref) < order.index(u.ref) for u in plan.to_create if u.parent_ref
    )
    puskesmas = by_name["UPTD PUSKESMAS SILUNGKANG"][0]
    assert (puskesmas.kind, puskesmas.short_name) == ("puskesmas", "Puskesmas Silungkang")
    assert "Ejaan lain" not in puskesmas.reason  # a trailing space is no other spelling


def test_applying_the_sample_plan_builds_the_tree_in_one_transaction(
    sawahlunto, django_assert_max_num_queries
) -> None:
    rows = siasn_unit_rows()
    plan = plan_units(rows, sawahlunto)
    with django_assert_max_num_queries(12):
        ids = do_apply_unit_plan(plan, actor=None)
    assert Unit.objects.filter(instansi=sawahlunto).count() == 57
    # every row's unit is known by its ref
    assert {row_ref(r) for r in rows} <= set(ids)
    seksi = Unit.objects.get(pk=ids["8AE483429611849"])  # SEKSI PEMERINTAHAN, Kec. Talawi
    assert seksi.parent is not None and seksi.parent.name == "KECAMATAN TALAWI"
    assert seksi.path == f"{seksi.parent.code}/{seksi.code}/" and seksi.depth == 1
    assert seksi.name == "SEKSI PEMERINTAHAN"  # the trailing space is not stored
    assert AuditLog.objects.filter(action="unit.import", summary__startswith="57 unit").exists()
    # planned again, everything is matched by code and nothing is left to create
    again = plan_units(rows, sawahlunto)
    assert again.to_create == [] and len(again.matched) == 57 and again.problems == []
    assert again.unit_ids == ids


def test_existing_units_are_matched_by_name_and_abbreviation(sawahlunto) -> None:
    pemkot = factories.make_unit(
        sawahlunto, "Pemerintah Kota Sawahlunto", kind=UnitKind.OTHER, code="PEMKOT"
    )
    dukcapil = factories.make_unit(sawahlunto, "Disdukcapil", parent=pemkot, code="DUKCAPIL")
    sek = factories.make_unit(
        sawahlunto, "Sekretariat", parent=dukcapil, kind=UnitKind.SEKRETARIAT, code="DUK-SEK"
    )
    dinkes = factories.make_unit(
        sawahlunto, "Dinas Kesehatan Kota Sawahlunto", parent=pemkot, code="DINKES"
    )
    plan = plan_units(siasn_unit_rows(), sawahlunto)
    ids = plan.unit_ids
    assert ids["8AE481136084263"] == dukcapil.pk  # by abbreviation
    assert ids["8AE484275217251"] == sek.pk  # SEKRETARIAT under its parent's name
    assert ids["8AE482058018141"] == dinkes.pk  # the region suffix does not count
    new = {u.ref: u for u in plan.to_create}
    # Dinkes' SEKRETARIAT is not Disdukcapil's: it is created under the existing Dinkes
    assert new["8AE483272030079"].parent_id == dinkes.pk
    # a new OPD goes under the unit named after the Pemda
    assert new["8AE480166921661"].parent_id == pemkot.pk
    ids = do_apply_unit_plan(plan)
    bkpsdm = Unit.objects.get(pk=ids["8AE480166921661"])
    assert bkpsdm.path == "PEMKOT/8AE480166921661/" and bkpsdm.short_name == "BKPSDM"


def test_a_parent_named_but_never_listed_is_created_as_an_opd(sawahlunto) -> None:
    rows = [
        UnitRow(
            "X1",
            "BIDANG ANGGARAN",
            "BADAN PENGELOLAAN KEUANGAN DAN ASET DAERAH",
            "Pemerintah Kota Sawahlunto",
        ),
        UnitRow("X2", "BIDANG ASET", "Badan Pengelolaan Keuangan dan Aset Daerah", ""),
    ]
    plan = plan_units(rows, sawahlunto)
    parents = [u for u in plan.to_create if u.parent_ref is None]
    assert len(parents) == 1
    assert (parents[0].code, parents[0].short_name, parents[0].kind) == ("BPKAD", "BPKAD", "badan")
    assert "tidak punya baris sendiri" in parents[0].reason
    assert {u.parent_ref for u in plan.to_create if u.parent_ref} == {parents[0].ref}
    ids = do_apply_unit_plan(plan)
    assert Unit.objects.get(pk=ids["X2"]).path == "BPKAD/X2/"


def test_an_ambiguous_parent_is_a_problem_and_its_children_wait(sawahlunto) -> None:
    rows = [
        UnitRow("A", "DINAS A", "PEMERINTAH KOTA SAWAHLUNTO"),
        UnitRow("A1", "BIDANG UMUM", "DINAS A"),
        UnitRow("B", "DINAS B", "PEMERINTAH KOTA SAWAHLUNTO"),
        UnitRow("B1", "BIDANG UMUM", "DINAS B"),
        UnitRow("S", "SEKSI ARSIP", "BIDANG UMUM"),
    ]
    plan = plan_units(rows, sawahlunto)
    assert [p.ref for p in plan.problems] == ["S"]
    assert "cocok dengan 2 unit" in plan.problems[0].message
    assert {u.ref for u in plan.to_create} == {"A", "A1", "B", "B1"}


def test_a_closed_parent_is_a_problem(sawahlunto) -> None:
    dinas = factories.make_unit(sawahlunto, "Dinas Sosial", code="DINSOS")
    do_close_unit(unit=dinas)
    plan = plan_units([UnitRow("Z", "BIDANG REHABILITASI", "Dinas Sosial")], sawahlunto)
    assert plan.to_create == [] and "ditutup" in plan.problems[0].message


def test_a_plan_survives_a_round_trip_through_plain_data(sawahlunto) -> None:
    plan = plan_units(siasn_unit_rows(), sawahlunto)
    assert UnitPlan.from_dict(plan.to_dict()) == plan


def test_applying_a_stale_plan_writes_nothing(sawahlunto) -> None:
    plan = plan_units(siasn_unit_rows(), sawahlunto)
    factories.make_unit(sawahlunto, "Dinas Lain", code="8AE482058018141")  # Dinkes' UNOR ID
    with pytest.raises(ValidationError, match="8AE482058018141"):
        do_apply_unit_plan(plan)
    assert Unit.objects.filter(instansi=sawahlunto).count() == 1
