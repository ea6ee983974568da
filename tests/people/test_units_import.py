"""The OPD tree import on the engine: the simple template and SIASN's unit columns; a re-import
renames and moves instead of duplicating; every problem in one pass; pending parents."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from kompeten.core import importing as imp
from kompeten.core.models import AuditLog
from kompeten.people.models import Unit
from tests.workbooks import xlsx_rows

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
TEMPLATE = ["Kode", "Nama", "Singkatan", "Jenis", "Kode Induk"]


def xlsx(rows: list[list[object]], title: str | None = None) -> bytes:
    """``rows`` from A1, or from A3 under a ``title`` in A1."""
    return xlsx_rows([[title], [], *rows] if title else rows)


def plan(world, data: bytes, user=None) -> imp.Plan:  # type: ignore[no-untyped-def]
    return imp.plan(
        "units", data, "opd.xlsx", instansi=world.instansi, user=user or world.alice, options={}
    )


def unit_paths(world) -> dict[tuple[str, ...], Unit]:  # type: ignore[no-untyped-def]
    """Each unit of the tree by the names on its path below the Pemda's root unit."""
    tree = list(Unit.objects.filter(instansi=world.instansi))
    name_of = {u.code: u.name for u in tree}
    return {tuple(name_of[c] for c in u.path.strip("/").split("/"))[1:]: u for u in tree}


def units(world) -> dict[str, Unit]:  # type: ignore[no-untyped-def]
    return {u.code: u for u in Unit.objects.filter(instansi=world.instansi)}


def test_the_template_builds_the_tree_parents_first(world) -> None:  # type: ignore[no-untyped-def]
    data = xlsx(
        [
            TEMPLATE,
            ["DUKCAPIL-PDD", "Bidang Pelayanan Pendaftaran Penduduk", "", "Bidang", "DUKCAPIL"],
            ["DUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil", "dinas", ""],
            ["ALFA-UPT", "UPT Alfa Satu", "", "", "ALFA"],
        ],
        title="DAFTAR UNIT KERJA PEMERINTAH KOTA UJI",
    )
    the_plan = plan(world, data)
    assert the_plan.is_clean, [p.message for p in the_plan.problems]
    assert the_plan.source is not None and the_plan.source.key == "kompeten"
    outcome = imp.commit(the_plan)
    assert outcome.written["unit baru"] == 3
    tree = units(world)
    assert tree["DUKCAPIL"].parent == tree["KOTA"]  # under the Pemda's own root unit
    assert tree["DUKCAPIL"].short_name == "Disdukcapil" and tree["DUKCAPIL"].kind == "dinas"
    assert tree["DUKCAPIL-PDD"].parent == tree["DUKCAPIL"]
    assert tree["DUKCAPIL-PDD"].path == "KOTA/DUKCAPIL/DUKCAPIL-PDD/"
    assert tree["DUKCAPIL-PDD"].kind == "bagian"
    assert tree["ALFA-UPT"].parent == world.alfa and tree["ALFA-UPT"].kind == "upt"  # guessed
    assert AuditLog.objects.filter(action="unit.import").exists()


def test_a_reimport_renames_and_moves_instead_of_duplicating(world) -> None:  # type: ignore[no-untyped-def]
    first = xlsx([TEMPLATE, ["BETA-SEK", "Sekretariat", "", "sekretariat", "BETA"]])
    imp.commit(plan(world, first))
    count = Unit.objects.count()
    again = xlsx(
        [
            TEMPLATE,
            ["BETA-SEK", "Sekretariat Dinas", "Sekre", "sekretariat", "ALFA"],
            ["BETA", "Dinas Beta Baru", "DB", "", ""],
        ]
    )
    the_plan = plan(world, again)
    assert the_plan.is_clean, [p.message for p in the_plan.problems]
    assert any("dipindahkan" in w for _n, w in the_plan.warnings)
    outcome = imp.commit(the_plan)
    assert outcome.written == {"unit baru": 0, "unit diganti nama": 2, "unit dipindahkan": 1}
    assert Unit.objects.count() == count
    tree = units(world)
    assert tree["BETA-SEK"].name == "Sekretariat Dinas" and tree["BETA-SEK"].short_name == "Sekre"
    assert tree["BETA-SEK"].parent == world.alfa and tree["BETA-SEK"].path == "KOTA/ALFA/BETA-SEK/"
    assert tree["BETA"].name == "Dinas Beta Baru" and tree["BETA"].parent.code == "KOTA"
    assert AuditLog.objects.filter(action="unit.move").count() == 1
    # the same file once more changes nothing
    outcome = imp.commit(plan(world, again))
    assert outcome.written == {"unit baru": 0, "unit diganti nama": 0, "unit dipindahkan": 0}


def test_a_unit_without_code_matches_its_name_and_keeps_its_code(world) -> None:  # type: ignore[no-untyped-def]
    data = xlsx(
        [
            ["Nama", "Nama Induk"],
            ["Dinas Alfa Kota Uji", ""],  # the OPD, as people write it
            ["Dinas Beta", "Dinas Alfa"],  # an OPD named once in the tree: moved, not doubled
            ["Bidang Layanan", "Dinas Alfa"],  # a sub-unit under its own parent: itself
            ["Sekretariat", "Dinas Alfa"],  # a new sub-unit
        ]
    )
    the_plan = plan(world, data)
    assert the_plan.is_clean, [p.message for p in the_plan.problems]
    outcome = imp.commit(the_plan)
    assert outcome.written["unit baru"] == 1 and outcome.written["unit dipindahkan"] == 1
    world.beta.refresh_from_db()
    assert world.beta.parent == world.alfa and world.beta.code == "BETA"
    assert world.alfa.children.filter(name="Bidang Layanan").count() == 1
    # without codes, a sub-unit named under another parent is a new unit there, never moved
    again = plan(world, xlsx([["Nama", "Nama Induk"], ["Bidang Layanan", "Dinas Beta"]]))
    assert again.is_clean
    imp.commit(again)
    world.layanan.refresh_from_db()
    assert world.layanan.parent == world.alfa
    assert Unit.objects.filter(name="Bidang Layanan", parent=world.beta).exists()


def test_every_problem_in_one_pass_and_nothing_written(world) -> None:  # type: ignore[no-untyped-def]
    before = Unit.objects.count()
    data = xlsx(
        [
            TEMPLATE,
            ["A/B", "Unit Miring", "", "", ""],
            ["X1", "", "", "dinas", ""],
            ["X2", "Dinas Kedua", "", "kementerian", ""],
            ["X3", "Dinas Ketiga", "", "dinas", ""],
            ["X3", "Dinas Lain", "", "dinas", ""],
            ["ALFA", "Dinas Alfa", "", "", "ALFA-LAY"],
            ["X4", "Bidang Tanpa Induk", "", "", "TIDAK-ADA"],
        ]
    )
    the_plan = plan(world, data)
    found = {(p.row, p.field) for p in the_plan.problems}
    assert found == {
        (2, "code"),
        (3, "name"),
        (4, "kind"),
        (6, "code"),
        (7, "parent_name"),
    }, [(p.row, p.field, p.message) for p in the_plan.problems]
    kind = next(p for p in the_plan.problems if p.field == "kind")
    assert "dinas / Dinas" in kind.accepted
    loop = next(p for p in the_plan.problems if p.row == 7)
    assert "dirinya sendiri" in loop.message
    assert [(r.number, r.pending_reason) for r in the_plan.pending_rows if not r.problems] == [
        (8, "parent_unknown")
    ]
    with pytest.raises(imp.PlanNotClean):
        imp.commit(the_plan)
    assert Unit.objects.count() == before


def test_a_unit_whose_parent_is_missing_waits_for_it(world) -> None:  # type: ignore[no-untyped-def]
    data = xlsx(
        [
            TEMPLATE,
            ["GAMMA-SEK", "Sekretariat Gamma", "", "", "GAMMA"],
            ["GAMMA-SEK-1", "Subbagian Umum", "", "", "GAMMA-SEK"],
            ["DELTA", "Dinas Delta", "", "dinas", ""],
        ]
    )
    the_plan = plan(world, data)
    assert [r.number for r in the_plan.pending_rows] == [2, 3]  # the child waits with its parent
    outcome = imp.commit(the_plan, partial=True)
    assert (outcome.imported, outcome.pending) == (1, 2)
    assert not Unit.objects.filter(code__startswith="GAMMA").exists()
    imp.commit(plan(world, xlsx([TEMPLATE, ["GAMMA", "Dinas Gamma", "", "dinas", ""]])))
    tree = units(world)  # the commit retried the pending rows
    assert tree["GAMMA-SEK"].parent == tree["GAMMA"]
    assert tree["GAMMA-SEK-1"].path == "KOTA/GAMMA/GAMMA-SEK/GAMMA-SEK-1/"


def test_the_siasn_employee_export_builds_the_tree_once(world) -> None:  # type: ignore[no-untyped-def]
    data = (FIXTURES / "bkpsdm-2025" / "Data_PNS_Kota_Sawahlunto_SIASN_02122026.xlsx").read_bytes()
    the_plan = imp.plan(
        "units", data, "siasn.xlsx", instansi=world.instansi, user=world.alice, options={}
    )
    assert the_plan.source is not None and the_plan.source.key == "siasn"
    assert the_plan.mapping["UNOR NAMA"] == "name" and the_plan.mapping["NAMA"] == ""
    assert the_plan.is_clean, [p.message for p in the_plan.problems][:5]
    outcome = imp.commit(the_plan)
    created = outcome.written["unit baru"]
    assert created > 10
    dukcapil = Unit.objects.get(
        instansi=world.instansi, name="DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL"
    )
    assert dukcapil.short_name == "Disdukcapil" and dukcapil.parent.code == "KOTA"
    assert dukcapil.children.filter(name="SEKRETARIAT").count() == 1
    count = Unit.objects.count()
    again = imp.commit(
        imp.plan("units", data, "siasn.xlsx", instansi=world.instansi, user=world.alice, options={})
    )
    assert again.written["unit baru"] == 0 and Unit.objects.count() == count


def test_only_the_admin_imports_units_and_the_cli_works(client, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.bob)
    assert client.get(reverse("imports:upload", args=["units"])).status_code == 403
    index = client.get(reverse("imports:index")).content.decode()
    assert "/impor/units/" not in index
    client.force_login(world.alice)
    assert "/impor/units/" in client.get(reverse("imports:index")).content.decode()
    path = tmp_path / "opd.xlsx"
    path.write_bytes(xlsx([TEMPLATE, ["EPS", "Dinas Epsilon", "", "dinas", ""]]))
    with pytest.raises(CommandError, match="tidak berwenang"):
        call_command("import_units", str(path), instansi=world.instansi.code, user="bob")
    out = io.StringIO()
    call_command("import_units", str(path), instansi=world.instansi.code, stdout=out)
    assert "1 baris diimpor" in out.getvalue() and "unit baru: 1" in out.getvalue()
    assert Unit.objects.filter(code="EPS", instansi=world.instansi).exists()


def test_the_browser_walk_previews_with_bounded_queries_and_commits(  # type: ignore[no-untyped-def]
    client, world, django_assert_max_num_queries
) -> None:
    client.force_login(world.alice)
    data = xlsx(
        [TEMPLATE, *[[f"U{i}", f"Bidang Uji {i}", "", "bagian", "ALFA"] for i in range(30)]]
    )
    upload = io.BytesIO(data)
    upload.name = "opd.xlsx"
    response = client.post(reverse("imports:upload", args=["units"]), {"file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    preview_url = response["Location"].replace("kolom/", "")
    with django_assert_max_num_queries(25):
        preview = client.get(preview_url)
    assert preview.status_code == 200 and "Bidang Uji 29" in preview.content.decode()
    token = preview_url.rstrip("/").rsplit("/", 1)[1]
    response = client.post(reverse("imports:commit", args=["units", token]), {"partial": "0"})
    assert response.status_code == 302 and "/impor/hasil/" in response["Location"]
    assert world.alfa.children.count() == 31  # Bidang Layanan and the 30 new ones


def test_a_parent_named_in_a_unit_atasan_column_builds_the_tree(world) -> None:  # type: ignore[no-untyped-def]
    """A hand-made list: 'Unit Atasan' names the parent; three Sekretariat stay three units."""
    data = xlsx(
        [
            ["No", "Nama Unit", "Singkatan", "Unit Atasan"],
            [1, "Dinas Kesehatan", "Dinkes", ""],
            [2, "Sekretariat", "", "Dinas Kesehatan"],
            [3, "Dinas Sosial", "Dinsos", ""],
            [4, "Sekretariat", "", "Dinas Sosial"],
        ]
    )
    the_plan = plan(world, data)
    assert the_plan.mapping["Unit Atasan"] == "parent_name"
    imp.commit(the_plan)
    sekretariat = Unit.objects.filter(instansi=world.instansi, name="Sekretariat")
    assert sorted(s.parent.name for s in sekretariat) == ["Dinas Kesehatan", "Dinas Sosial"]


def test_a_list_without_a_parent_column_says_so_and_the_cli_lists_the_units_it_makes(
    world, tmp_path, capsys
) -> None:  # type: ignore[no-untyped-def]
    rows = [["Kode", "Nama", "Atas"], ["SOS", "Dinas Sosial", "KOTA"], ["SOS-SEK", "Sekretariat",
            "SOS"]]  # fmt: skip
    the_plan = plan(world, xlsx(rows))
    assert the_plan.ctx.notes == [
        "Berkas tidak memuat kolom unit induk (Kode Induk atau Nama Induk): setiap unit "
        "ditempatkan di tingkat teratas, dan baris dengan nama yang sama menjadi satu unit. Bila "
        "ada kolom induk dengan judul lain, pilih kolomnya di langkah pemetaan."
    ]
    path = tmp_path / "opd.xlsx"
    path.write_bytes(xlsx(rows))
    call_command("import_units", str(path), "--instansi", world.instansi.code, "--dry-run")
    out = capsys.readouterr().out
    assert 'dengan judul lain, sebutkan kolomnya dengan --map "Judul Kolom=parent_name".' in out
    assert "Unit yang dibuat (2):\n  Dinas Sosial (SOS) di bawah Pemerintah Kota Uji\n" in out
    call_command(
        "import_units", str(path), "--instansi", world.instansi.code, "--dry-run",
        "--map", "Atas=parent_code",
    )  # fmt: skip
    out = capsys.readouterr().out
    assert "Catatan" not in out and "  Sekretariat (SOS-SEK) di bawah Dinas Sosial" in out
    assert not Unit.objects.filter(code="SOS").exists()


def test_kode_induk_places_a_unit_under_one_of_several_parents_of_the_same_name(world) -> None:  # type: ignore[no-untyped-def]
    """The template's Kode Induk names the parent exactly: a Subbagian under the second of
    two Sekretariat (both in the file), and one under a Sekretariat already in the tree."""
    from tests import factories

    existing = factories.make_unit(
        world.instansi, "Sekretariat", parent=world.alfa, kind="bagian", code="ALFA-SEK"
    )
    data = xlsx(
        [
            TEMPLATE,
            ["1.02", "Dinas Kesehatan", "Dinkes", "dinas", ""],
            ["1.02.01", "Sekretariat", "", "", "1.02"],
            ["2.01", "Dinas Sosial", "Dinsos", "dinas", ""],
            ["2.01.01", "Sekretariat", "", "", "2.01"],
            ["2.01.01.01", "Subbagian Umum", "", "", "2.01.01"],
            ["ALFA-SEK-01", "Subbagian Umum", "", "", "ALFA-SEK"],
        ]
    )
    the_plan = plan(world, data)
    assert the_plan.is_clean, [imp.describe_problem(p) for p in the_plan.problems]
    imp.commit(the_plan)
    tree = units(world)
    assert tree["2.01.01.01"].parent == tree["2.01.01"]
    assert tree["2.01.01"].parent == tree["2.01"]
    assert tree["ALFA-SEK-01"].parent == existing
    again = imp.commit(plan(world, data))
    assert again.written["unit baru"] == 0 and again.written["unit dipindahkan"] == 0


def test_two_new_units_under_each_other_are_named_as_a_loop(world) -> None:  # type: ignore[no-untyped-def]
    data = xlsx([TEMPLATE, ["X1", "Bidang A", "", "", "X2"], ["X2", "Bidang B", "", "", "X1"]])
    messages = {p.row: p.message for p in plan(world, data).problems}
    assert messages == {
        2: "Unit ini berada di bawah dirinya sendiri lewat induknya (Bidang A → Bidang B → "
        "Bidang A); perbaiki kolom induk salah satunya.",
        3: "Unit ini berada di bawah dirinya sendiri lewat induknya (Bidang B → Bidang A → "
        "Bidang B); perbaiki kolom induk salah satunya.",
    }


def test_codes_written_in_levels_give_the_parents_of_a_list_without_a_parent_column(world) -> None:  # type: ignore[no-untyped-def]
    data = xlsx(
        [
            ["Kode", "Nama"],
            ["1.02", "Dinas Kesehatan"],
            ["1.02.01", "Sekretariat"],
            ["1.02.01.01", "Subbagian Umum"],
            ["2.01", "Dinas Sosial"],
            ["2.01.01", "Sekretariat"],
            ["9.99.01", "Bidang Lain"],  # no 9.99 anywhere: at the top
        ]
    )
    the_plan = plan(world, data)
    assert the_plan.ctx.notes == [
        "Berkas tidak memuat kolom unit induk; induk 3 unit dibaca dari kodenya yang bertingkat "
        "(mis. 1.02.01 di bawah 1.02). Unit lain ditempatkan di tingkat teratas."
    ]
    imp.commit(the_plan)
    tree = units(world)
    assert tree["1.02.01.01"].parent == tree["1.02.01"]
    assert tree["1.02.01"].parent == tree["1.02"]
    assert tree["2.01.01"].parent == tree["2.01"]
    assert tree["9.99.01"].parent == tree["2.01"].parent  # the top (the Pemda's root unit)


def test_a_parent_only_named_becomes_an_opd_with_a_warning_that_suggests_a_near_name(world) -> None:  # type: ignore[no-untyped-def]
    data = xlsx(
        [
            ["Kode", "Nama", "Nama Induk"],
            ["D1", "Dinas Sosial", ""],
            ["D2", "Bidang Rehabilitasi Sosial", "Dinas Sosial"],
            ["D3", "Bidang Perlindungan", "Dinas Sosal"],
            ["D4", "UPT Panti", "Dinas Pariwisata"],
        ]
    )
    warnings = dict(plan(world, data).warnings)
    assert warnings == {
        4: "Unit induk Dinas Sosal tidak ada di pohon OPD maupun di berkas; dibuat sebagai OPD "
        "baru. Periksa ejaannya: mungkin maksudnya Dinas Sosial?",
        5: "Unit induk Dinas Pariwisata tidak ada di pohon OPD maupun di berkas; dibuat sebagai "
        "OPD baru.",
    }


def test_a_list_numbered_as_an_outline_gives_the_tree_and_a_re_import_matches_it(world) -> None:  # type: ignore[no-untyped-def]
    rows = [
        ["Nama Unit"],
        ["I. Dinas Kesehatan"],
        ["A. Sekretariat"],
        ["1. Subbagian Umum dan Kepegawaian"],
        ["B. Bidang Pelayanan Kesehatan"],
        ["II. Dinas Sosial"],
        ["A. Sekretariat"],
        ["1. Subbagian Umum dan Kepegawaian"],
        ["III. Dinas Alfa"],  # exists: matched, not made twice
        ["A. Bidang Layanan"],  # exists under Dinas Alfa
        ["B. Bidang Baru"],
    ]
    data = xlsx(rows, title="SUSUNAN PERANGKAT DAERAH")
    the_plan = plan(world, data)
    assert the_plan.is_clean, [imp.describe_problem(p) for p in the_plan.problems]
    assert the_plan.ctx.notes == [
        "Berkas tidak memuat kolom unit induk; induk 7 unit dibaca dari penomoran bertingkat di "
        "depan namanya (mis. 2.1 di bawah 2., atau A. di bawah I.), dan nomornya dibuang dari "
        "nama."
    ]
    before = Unit.objects.count()
    outcome = imp.commit(the_plan)
    assert outcome.written["unit baru"] == 8 and Unit.objects.count() == before + 8
    by_path = {("Pemerintah Kota Uji", *path): u for path, u in unit_paths(world).items()}
    kota = "Pemerintah Kota Uji"
    for health_or_social in ("Dinas Kesehatan", "Dinas Sosial"):
        # each OPD's own Sekretariat and Subbagian, the repeated names kept apart
        assert (kota, health_or_social, "Sekretariat", "Subbagian Umum dan Kepegawaian") in by_path
    assert (kota, "Dinas Kesehatan", "Bidang Pelayanan Kesehatan") in by_path
    assert by_path[(kota, "Dinas Alfa", "Bidang Baru")].parent == world.alfa
    assert not any("I. " in u.name or "A. " in u.name for u in by_path.values())
    # the same file again: every unit is found under the one above it, nothing is created
    again = imp.commit(plan(world, data))
    assert again.written["unit baru"] == 0 and Unit.objects.count() == before + 8


def test_an_outline_list_on_the_wizard_in_english_says_what_it_read(client, world) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    upload = io.BytesIO(
        xlsx([["Nama"], ["1. Dinas Beta"], ["1.1 Sekretariat"], ["2. Dinas Gamma"]])
    )
    upload.name = "sotk.xlsx"
    response = client.post(reverse("imports:upload", args=["units"]), {"file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(response["Location"].replace("kolom/", "")).content.decode()
    assert "the parent of 1 unit was read from the outline numbering" in page
    assert re.search(r'data-testid="count-rows">3</div><div class="label">rows</div>', page)
    token = response["Location"].rstrip("/").rsplit("/", 2)[-2]
    client.post(reverse("imports:commit", args=["units", token]), {"partial": "0"})
    beta = Unit.objects.get(instansi=world.instansi, name="Dinas Beta")
    assert [u.name for u in beta.children.all()] == ["Sekretariat"]


def test_a_parent_column_holding_the_parents_codes_is_read_as_kode_induk(world) -> None:  # type: ignore[no-untyped-def]
    """ "Kode, Nama Unit, Induk" with Induk = "1", "4-1": codes of the file, not names (each
    became an OPD named "4-1")."""
    rows = [
        ["Kode", "Nama Unit", "Induk"],
        ["1", "Sekretariat Daerah", None],
        ["1-1", "Asisten Pemerintahan", "1"],
        ["4", "Dinas Pendidikan", None],
        ["4-1", "Sekretariat", "4"],
        ["4-1-1", "Subbagian Umum", "4-1"],
    ]
    the_plan = plan(world, xlsx(rows))
    assert any("Kolom Induk berisi kode unit induk" in n for n in the_plan.notes)
    imp.commit(the_plan)
    tree = units(world)
    assert tree["4-1-1"].parent == tree["4-1"] and tree["4-1"].parent == tree["4"]
    assert tree["1-1"].parent == tree["1"] and not Unit.objects.filter(name="4-1").exists()


def test_a_perbup_attachment_headed_nama_perangkat_daerah_under_its_title_is_read(world) -> None:  # type: ignore[no-untyped-def]
    rows = [["Nama Perangkat Daerah"], ["1. Sekretariat Daerah"], ["a. Bagian Hukum"],
            ["2. Dinas Kesehatan"], ["a. Sekretariat"]]  # fmt: skip
    the_plan = plan(world, xlsx(rows, title="LAMPIRAN PERATURAN BUPATI CONTOH NOMOR 12 TAHUN 2024"))
    assert the_plan.mapping["Nama Perangkat Daerah"] == "name"
    imp.commit(the_plan)
    hukum = Unit.objects.get(name="Bagian Hukum")
    assert hukum.parent is not None and hukum.parent.name == "Sekretariat Daerah"


def test_codes_excel_kept_as_numbers_are_read_as_their_sub_units_name_them(world) -> None:  # type: ignore[no-untyped-def]
    """1.10 typed into a number cell is 1.1 to the file; its sub-units 1.10.01 … say it was
    1.10, so it is read so, said in a note, and they stand under it."""
    data = xlsx(
        [
            ["Kode", "Nama"],
            [1.02, "Dinas Kesehatan"],
            [1.1, "Dinas Komunikasi dan Informatika"],  # shown as 1.10
            ["1.10.01", "Sekretariat"],
            ["1.10.02", "Bidang Aplikasi Informatika"],
            [1.2, "Dinas Perpustakaan dan Kearsipan"],  # shown as 1.20
            ["1.20.01", "Sekretariat"],
        ]
    )
    the_plan = plan(world, data)
    assert the_plan.ctx.notes[0] == (
        "Kode yang tersimpan sebagai angka kehilangan nol di belakangnya; dibaca sebagai kode "
        "sub-unitnya menyebutnya: 1.1 → 1.10, 1.2 → 1.20. Format kolom kode sebagai Teks."
    )
    imp.commit(the_plan)
    tree = units(world)
    assert tree["1.10.01"].parent == tree["1.10.02"].parent == tree["1.10"]
    assert tree["1.20.01"].parent == tree["1.20"]
    assert "1.1" not in tree and tree["1.02"].name == "Dinas Kesehatan"


def test_a_leaf_code_kept_as_a_number_is_named_in_a_note(world) -> None:  # type: ignore[no-untyped-def]
    the_plan = plan(world, xlsx([["Kode", "Nama"], [1.1, "Dinas Kominfo"], [1.2, "Dinas Arsip"]]))
    assert the_plan.ctx.notes[0] == (
        "Sebagian kode tersimpan sebagai angka (1.1): angka nol di belakangnya (1.10) dapat "
        "hilang. Periksa kodenya, atau format kolom kode sebagai Teks."
    )


def test_outline_numbers_in_their_own_no_column_give_the_tree(world) -> None:  # type: ignore[no-untyped-def]
    data = xlsx(
        [
            ["No", "Unit Kerja"],
            ["1.", "Dinas Kesehatan"],
            ["1.1", "Sekretariat"],
            ["1.1.1", "Subbagian Umum dan Kepegawaian"],
            ["1.2", "Bidang Pelayanan Kesehatan"],
            ["2.", "Dinas Sosial"],
            ["2.1", "Sekretariat"],
            ["2.1.1", "Subbagian Umum dan Kepegawaian"],
        ]
    )
    the_plan = plan(world, data)
    assert the_plan.is_clean, [imp.describe_problem(p) for p in the_plan.problems]
    assert "dibaca dari penomoran bertingkat" in the_plan.ctx.notes[0]
    assert imp.commit(the_plan).written["unit baru"] == 7
    paths = set(unit_paths(world))
    for opd in ("Dinas Kesehatan", "Dinas Sosial"):
        assert (opd, "Sekretariat", "Subbagian Umum dan Kepegawaian") in paths
    assert ("Dinas Kesehatan", "Bidang Pelayanan Kesehatan") in paths


def test_a_running_number_column_leaves_a_flat_list_flat(world) -> None:  # type: ignore[no-untyped-def]
    data = xlsx([["No", "Unit Kerja"], [1, "Dinas Beta"], [2, "Dinas Gamma"], [3, "Dinas Delta"]])
    the_plan = plan(world, data)
    assert the_plan.is_clean
    assert not any("Nomor urut" in note for note in the_plan.ctx.notes)
    imp.commit(the_plan)
    names = set(Unit.objects.filter(instansi=world.instansi).values_list("name", flat=True))
    assert {"Dinas Beta", "Dinas Gamma", "Dinas Delta"} <= names


def test_a_list_of_three_levels_places_each_sub_unit_under_its_own_unit_kerja(world) -> None:  # type: ignore[no-untyped-def]
    """SKPD › Unit Kerja › Sub Unit Kerja, filled down as a SIMPEG list writes it: each OPD's
    Sekretariat gets its own Subbagian, the OPDs come from SKPD."""
    data = xlsx(
        [
            ["SKPD", "Unit Kerja", "Sub Unit Kerja"],
            ["Dinas Kesehatan", "Sekretariat", ""],
            ["Dinas Kesehatan", "Sekretariat", "Subbagian Umum dan Kepegawaian"],
            ["Dinas Kesehatan", "Bidang Kesehatan Masyarakat", ""],
            ["Dinas Sosial", "Sekretariat", ""],
            ["Dinas Sosial", "Sekretariat", "Subbagian Umum dan Kepegawaian"],
        ]
    )
    the_plan = plan(world, data)
    assert the_plan.is_clean, [imp.describe_problem(p) for p in the_plan.problems]
    assert (
        "Kolom Sub Unit Kerja dibaca: 2 sub unit ditempatkan di bawah baris unit kerjanya."
        in the_plan.ctx.notes
    )
    imp.commit(the_plan)
    paths = set(unit_paths(world))
    for opd in ("Dinas Kesehatan", "Dinas Sosial"):
        assert (opd, "Sekretariat", "Subbagian Umum dan Kepegawaian") in paths
    assert ("Dinas Kesehatan", "Bidang Kesehatan Masyarakat") in paths
    assert Unit.objects.filter(instansi=world.instansi, name="Sekretariat").count() == 2


def test_a_list_of_sub_units_alone_implies_each_unit_kerja_under_its_own_opd(world) -> None:  # type: ignore[no-untyped-def]
    """Every row a sub unit, no row for its unit kerja: each OPD's Sekretariat is still its
    own, under its OPD, and the two Subbagian Umum are not one unit. Again, nothing new."""
    data = xlsx(
        [
            ["SKPD", "Unit Kerja", "Sub Unit Kerja"],
            ["Dinas Kesehatan", "Sekretariat", "Subbagian Umum dan Kepegawaian"],
            ["Dinas Kesehatan", "Sekretariat", "Subbagian Keuangan"],
            ["Dinas Kesehatan", "Bidang Pelayanan", "Seksi Pelayanan Primer"],
            ["Dinas Sosial", "Sekretariat", "Subbagian Umum dan Kepegawaian"],
        ]
    )
    the_plan = plan(world, data)
    assert the_plan.is_clean, [imp.describe_problem(p) for p in the_plan.problems]
    assert [r.number for r in the_plan.rows] == [2, 3, 4, 5]
    assert (
        "Kolom Sub Unit Kerja dibaca: 4 sub unit ditempatkan di bawah baris unit kerjanya. "
        "3 unit kerja tanpa baris sendiri ditempatkan di bawah SKPD-nya: Sekretariat (Dinas "
        "Kesehatan), Bidang Pelayanan (Dinas Kesehatan), Sekretariat (Dinas Sosial)."
    ) in the_plan.ctx.notes
    assert imp.commit(the_plan).written["unit baru"] == 9
    paths = set(unit_paths(world))
    assert {
        ("Dinas Kesehatan", "Sekretariat", "Subbagian Umum dan Kepegawaian"),
        ("Dinas Kesehatan", "Sekretariat", "Subbagian Keuangan"),
        ("Dinas Kesehatan", "Bidang Pelayanan", "Seksi Pelayanan Primer"),
        ("Dinas Sosial", "Sekretariat", "Subbagian Umum dan Kepegawaian"),
    } <= paths
    again = plan(world, data)
    assert again.is_clean
    assert imp.commit(again).written["unit baru"] == 0


def test_what_is_said_of_an_implied_unit_kerja_is_said_on_its_first_sub_units_row(world) -> None:  # type: ignore[no-untyped-def]
    data = xlsx(
        [
            ["SKPD", "Unit Kerja", "Sub Unit Kerja"],
            ["Dinas Baru", "Sekretariat", "Subbagian Umum"],
            ["Dinas Baru", "Sekretariat", "Subbagian Keuangan"],
        ]
    )
    the_plan = plan(world, data)
    assert [(r.number, r.warnings) for r in the_plan.rows] == [
        (
            2,
            [
                "Sekretariat: Unit induk Dinas Baru tidak ada di pohon OPD maupun di berkas; "
                "dibuat sebagai OPD baru."
            ],
        ),
        (3, []),
    ]


@pytest.mark.parametrize("coded", [False, True])
def test_an_opds_own_row_in_a_list_of_levels_is_that_opd(world, coded: bool) -> None:  # type: ignore[no-untyped-def]
    """SKPD filled, Unit Kerja and Sub Unit Kerja blank: the OPD's own row (alone in its row,
    or with its code), not a note and not a unit without a name."""
    rows = [
        ["1.02", "Dinas Kesehatan", "", ""],
        ["1.02.01", "Dinas Kesehatan", "Sekretariat", ""],
        ["1.02.01.01", "Dinas Kesehatan", "Sekretariat", "Subbagian Keuangan"],
        ["1.02.02", "Dinas Kesehatan", "Bidang Pelayanan", ""],
        ["1.01", "Dinas Sosial", "", ""],
        ["1.01.01", "Dinas Sosial", "Sekretariat", ""],
    ]
    header = ["Kode Unit", "SKPD", "Unit Kerja", "Sub Unit Kerja"]
    if not coded:
        header, rows = header[1:], [r[1:] for r in rows]
    the_plan = plan(world, xlsx([header, *rows]))
    assert the_plan.is_clean, [imp.describe_problem(p) for p in the_plan.problems]
    assert [r.number for r in the_plan.rows] == [2, 3, 4, 5, 6, 7]
    assert not the_plan.skipped_rows
    assert not [w for r in the_plan.rows for w in r.warnings]
    imp.commit(the_plan)
    tree = Unit.objects.filter(instansi=world.instansi)
    by_name = {u.name: u for u in tree if u.name != "Sekretariat"}
    assert by_name["Dinas Kesehatan"].parent.parent is None  # under the Pemda itself
    assert by_name["Bidang Pelayanan"].parent == by_name["Dinas Kesehatan"]
    assert by_name["Subbagian Keuangan"].parent.parent == by_name["Dinas Kesehatan"]
    assert tree.filter(name="Sekretariat", parent=by_name["Dinas Sosial"]).count() == 1
    if coded:
        assert (by_name["Dinas Kesehatan"].code, by_name["Dinas Sosial"].code) == ("1.02", "1.01")


def test_a_lone_cell_under_the_table_is_still_a_note(world) -> None:  # type: ignore[no-untyped-def]
    data = xlsx(
        [
            ["SKPD", "Unit Kerja", "Sub Unit Kerja"],
            ["Dinas Kesehatan", "Sekretariat", ""],
            ["Dinas Kesehatan", "Sekretariat", "Subbagian Keuangan"],
            [None, None, None],
            ["Sumber: Bagian Organisasi", None, None],
        ]
    )
    the_plan = plan(world, data)
    assert the_plan.is_clean
    assert [r.number for r in the_plan.rows] == [2, 3]
    assert [n for n, _why in the_plan.skipped_rows] == [5]


@pytest.mark.parametrize(
    ("written", "kind"),
    [
        ("Sekretariat Daerah", "sekretariat"),
        ("Setwan", "sekretariat"),
        ("Desa", "lainnya"),
        ("Nagari", "lainnya"),
        ("Kantor", "lainnya"),
        ("UPTD", "upt"),
    ],
)
def test_a_kind_as_a_pemdas_list_writes_it(world, written: str, kind: str) -> None:  # type: ignore[no-untyped-def]
    the_plan = plan(world, xlsx([TEMPLATE, ["X-1", "Unit Uji", "", written, ""]]))
    assert the_plan.is_clean, [imp.describe_problem(p) for p in the_plan.problems]
    assert the_plan.rows[0].values["kind"] == kind


def test_a_unit_kerja_code_written_down_its_sub_units_rows_stays_the_unit_kerjas(world) -> None:  # type: ignore[no-untyped-def]
    data = xlsx(
        [
            ["Kode Unit", "SKPD", "Unit Kerja", "Sub Unit Kerja"],
            ["DK-01", "Dinas Kesehatan", "Sekretariat", ""],
            ["DK-01", "Dinas Kesehatan", "Sekretariat", "Subbagian Keuangan"],
        ]
    )
    the_plan = plan(world, data)
    assert the_plan.is_clean, [imp.describe_problem(p) for p in the_plan.problems]
    imp.commit(the_plan)
    tree = units(world)
    assert tree["DK-01"].name == "Sekretariat"
    assert (
        Unit.objects.get(instansi=world.instansi, name="Subbagian Keuangan").parent == tree["DK-01"]
    )
