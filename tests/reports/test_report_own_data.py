"""The programme report a BKPSDM reads after importing its own exports.

The seven files of tests/fixtures/bkpsdm-2025/ go in through the CLI as the source systems wrote
them; the report page is then read as a user reads it: the before/after section stands alone
when there is no comparison unit, sample adequacy is per before/after window, the L1 items are
shown with n and mean on their own scales, the facilitator items give the trainer rating, a held
training has participants (not invitations), and the report is reached by the programme's code.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from kompeten.core.models import ImportRun, User
from kompeten.evaluation.levels.results import ItemReaction, L1Result
from kompeten.reports.assemble import Section, _enrolled_sentence, _trainer_rating
from kompeten.reports.collect import Funnel
from kompeten.reports.evidence import Evidence, OpdParticipation
from kompeten.reports.impact_section import NO_COMPARISON
from kompeten.reports.rules import recommend
from tests.participation.builders import make_programme
from tests.samples import import_the_seven_files

WINDOWS = {
    "sebelum_dari": "2025-01-01",
    "sebelum_sampai": "2025-06-26",
    "sesudah_dari": "2025-06-27",
    "sesudah_sampai": "2025-12-31",
}


def table(html: str, slug: str) -> list[list[str]]:
    """The body rows of the report table ``tab-<slug>`` as cell texts ([] when absent)."""
    found = re.search(rf'<table[^>]*id="tab-{slug}".*?</table>', html, re.S)
    if found is None:
        return []
    body = found.group(0).split("<tbody>", 1)[1]
    return [
        [
            unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def section(html: str, key: str) -> str:
    found = re.search(
        rf'<section class="report-section" id="sec-{key}">(.*?)</section>', html, re.S
    )
    assert found is not None, key
    return unescape(found.group(1))


def _assert_reliability_and_roi_read_as_measured(html: str, hasil: str) -> None:
    # the headline scale is the organiser items 1-6 (materi, sarana, pelayanan): index 79,1 and
    # alpha -0,0165 over those six columns of the file (numpy, k/(k-1)·(1 - Σvar_i/var_total)),
    # named as that scale, not as the whole questionnaire
    assert "Penyelenggaraan mendapat indeks 79,1" in hasil
    assert "α Cronbach skala Penyelenggaraan (6 butir): α negatif (-0,02)" in hasil
    assert "seluruh kuesioner" not in hasil
    # no cost or benefit recorded: unknown, not Rp 0
    roi = {row[0]: row[1] for row in table(html, "roi")}
    assert roi["Total biaya (Rp)"] == "–" and roi["Manfaat tahun pertama terisolasi (Rp)"] == "–"
    assert "ROI belum dapat dihitung: biaya program belum dicatat." in hasil
    # relevance is read from the questionnaire's own relevance section (81,25, above 80), not
    # from its Materi section (78,49): no "low relevance" recommendation
    assert "Relevansi materi rendah" not in html and "indeks relevansi" not in html
    # the Materi aspect's four items: alpha 0,0048, read with the low-alpha caveat
    assert "α Cronbach aspek Materi: α rendah (0,00, di bawah 0,70" in hasil


def _assert_the_evaluation_page_gives_the_same_caveats(client, report_url: str) -> None:  # type: ignore[no-untyped-def]
    pk = report_url.rstrip("/").rsplit("/", 1)[1]
    page = unescape(client.get(f"/evaluasi/program/{pk}/?tab=l1").content.decode())
    notes = re.findall(r'data-testid="alpha-note">([^<]*)<', page)
    assert notes[0].startswith("α Cronbach skala Penyelenggaraan (6 butir): α negatif (-0,02)")
    assert notes[1].startswith("α Cronbach aspek Materi: α rendah (0,00")
    # the share agreeing in percent, as the report writes it (the page printed 0,868)
    assert "bagian jawaban setuju (dua tingkat teratas): 86,8%." in page
    assert '<td class="num">84,6%</td>' in page  # item 1: 44 of the 52
    # the facilitator items name no trainer: the trainer table says so and where they are
    assert 'data-testid="no-trainer-answers"' in page
    # L4 on last year's training: the window holds the months around it (Jan-Dec 2025), not
    # the twelve months before today, which held no figure ("belum ada unit … terlatih")
    l4 = unescape(client.get(f"/evaluasi/program/{pk}/?tab=l4").content.decode())
    assert "IKM unit yang pegawainya dilatih: estimasi dampak +5," in l4
    assert "belum ada unit layanan dengan pegawai terlatih" not in l4
    # imported answers have no invitation: the response table says what there is instead
    assert (
        "dicatat tanpa undangan (misalnya diimpor dari Google Forms): 52 jawaban dari 60 peserta"
        in page
    )


def _assert_the_dashboard_speaks_of_participants_registered_not_invited(client) -> None:  # type: ignore[no-untyped-def]
    from kompeten.core.models import Instansi
    from kompeten.reports.tasks import refresh_dashboard_now

    refresh_dashboard_now(Instansi.objects.get(code="sawahlunto"), 2025)
    page = unescape(client.get("/laporan/dasbor/?year=2025").content.decode())
    assert (
        "44 dari 60 peserta terdaftar (dari daftar hadir pelatihan yang sudah terlaksana)" in page
    )
    assert "undangan pelatihan diselesaikan" not in page
    assert "sudah memenuhi hak 20 JP tahun 2025." in page
    funnel = unescape(client.get("/laporan/dasbor/bukti/corong/?year=2025").content.decode())
    assert "Terdaftar" in funnel and "Diundang" not in funnel and "Menolak" not in funnel


@pytest.mark.django_db(transaction=True)
@pytest.mark.xdist_group("byod")
def test_the_report_of_the_seven_exports_reads_as_what_happened(  # type: ignore[no-untyped-def]
    tmp_path: Path, settings, client, django_assert_max_num_queries
) -> None:
    settings.VAR_DIR = tmp_path
    import_the_seven_files(tmp_path)
    client.force_login(User.objects.get(username="admin.bkpsdm"))

    # 6. the last import's result page sends the user to the programme's own report, by code
    complaints = ImportRun.objects.filter(declaration="complaints").latest("created")
    result = client.get(f"/impor/hasil/{complaints.pk}/").content.decode()
    assert 'href="/laporan/program/kode/PP-2025/" data-testid="report-link"' in result
    moved = client.get("/laporan/program/kode/PP-2025/")
    assert moved.status_code == 302
    assert re.fullmatch(r"/laporan/program/\d+/", moved["Location"])
    assert client.get("/laporan/program/kode/PP-2024/").status_code == 404
    assert client.get("/laporan/program/kode/pp-2025/").status_code == 302  # as people type it

    # 70 measured: the whole report, L1–L5 and the before/after section, whatever the data size
    with django_assert_max_num_queries(75):
        page = client.get(moved["Location"], WINDOWS)
    assert page.status_code == 200
    html = unescape(page.content.decode())
    hasil = section(html, "hasil")

    # 1. no comparison unit: the before/after design sentence once, no "no comparison" twice,
    #    no empty trained-vs-comparison tables
    assert html.count(NO_COMPARISON) == 1
    assert "belum ada unit pembanding" not in html
    assert 'id="tab-layanan_terlatih"' not in html and 'id="tab-dampak"' not in html
    assert "Data IKM unit terlatih dan pembanding belum cukup" not in html
    ikm = table(html, "dampak_ikm")
    assert [row[3] for row in ikm] == ["412", "398", "386", "421"]

    # 2. no monthly sample table beside the windows' respondents; adequacy said per window, and
    #    why the minimum cannot be computed here (no population entered)
    assert 'id="tab-sampel_skm"' not in html and "Kecukupan sampel SKM" not in html
    assert "sampel minimum SKM (Krejcie–Morgan) per jendela belum dapat dihitung" in hasil
    assert {row[6] for row in ikm} == {"populasi belum diisi"}

    # 3. the L1 items with n and mean, each on its own scale (expected.md: 4,13 4,08 …)
    items = table(html, "reaksi_butir")
    assert [row[4] for row in items[:8]] == [
        "4,13", "4,08", "4,13", "4,21", "4,31", "4,12", "4,25", "4,10",
    ]  # fmt: skip
    assert all(row[2] == "1–5" and row[3] == "52" for row in items[:8])
    facilitator = {row[1]: row for row in items[8:]}
    mastery = facilitator["Penilaian terhadap narasumber/fasilitator: Penguasaan materi"]
    assert mastery[2] == "1–5 (Sangat Kurang … Sangat Baik)" and mastery[3] == "52"
    assert "rata-rata butir pada skala 1–5: 4,17; 86,8% jawaban setuju (4–5)" in hasil
    # the items' share agreeing in percent too, as the sentence above (it printed 0,846)
    assert items[0][5] == "84,62" and mastery[5] == "82,69"  # 44 and 43 of the 52
    _assert_reliability_and_roi_read_as_measured(html, hasil)
    _assert_the_evaluation_page_gives_the_same_caveats(client, moved["Location"])
    _assert_the_dashboard_speaks_of_participants_registered_not_invited(client)

    # 4. the trainer rating comes from the three facilitator items
    trainers = table(html, "pengajar")
    assert [row[0] for row in trainers][:3] == [
        "Penilaian terhadap narasumber/fasilitator: Penguasaan materi",
        "Penilaian terhadap narasumber/fasilitator: Cara penyajian",
        "Penilaian terhadap narasumber/fasilitator: Pemberian motivasi kepada peserta",
    ]
    assert trainers[-1][0] == "Semua butir tentang narasumber/fasilitator"
    assert all(row[3] == "52" for row in trainers)
    assert "Tidak ada data" not in hasil

    # 5. a held training: participants enrolled from the attendance list, not invitations
    pendahuluan = section(html, "pendahuluan")
    assert "Sebanyak 60 peserta terdaftar dan 44 menyelesaikannya." in pendahuluan
    assert "diundang" not in pendahuluan
    funnel = table(html, "corong_partisipasi")
    assert [row[0] for row in funnel] == ["Terdaftar", "Hadir (minimal satu sesi)", "Menyelesaikan"]
    assert "undangan" not in section(html, "kesimpulan")
    assert "Dari 60 undangan" not in html and 'id="tab-alasan_menolak"' not in html


def test_the_report_by_code_is_scoped_like_the_report_page(client, world) -> None:  # type: ignore[no-untyped-def]
    programme = make_programme(world.instansi, "Pelayanan Prima", code="PP-25")
    elsewhere = make_programme(world.mallory.instansi, "Lain", code="LAIN-1")
    client.force_login(world.pia)
    response = client.get("/laporan/program/kode/PP-25/")
    assert response.status_code == 302
    assert response["Location"] == f"/laporan/program/{programme.pk}/"
    assert client.get(f"/laporan/program/kode/{elsewhere.code}/").status_code == 404
    client.force_login(world.dave)
    assert client.get("/laporan/program/kode/PP-25/").status_code == 403


def _item(text: str, index: float | None, n: int = 10) -> ItemReaction:
    return ItemReaction(
        key=hash(text) % 1000, order=1, text=text, section="umum", scale_max=5,
        labels=("Sangat Kurang", "Kurang", "Cukup", "Baik", "Sangat Baik"), n=n,
        mean=None if index is None else 1 + index / 25, index=index, share_agree=None,
        counts=(), on_main_scale=False,
    )  # fmt: skip


def _l1(n: int, *items: ItemReaction) -> L1Result:
    return L1Result(
        n_responses=n, n_participants=n, overall=None, sections=(), trainers=(), by_batch=(),
        comments=(), sentence="", items=items,
    )  # fmt: skip


def test_the_trainer_rating_names_the_missing_data_instead_of_no_data() -> None:
    s = Section("hasil", "Hasil")
    _trainer_rating(s, _l1(12, _item("Materi sesuai kebutuhan", 75.0)))
    assert not s.tables
    assert s.gaps == [
        "Penilaian pengajar belum ada: 12 jawaban kuesioner reaksi tidak memuat butir penilaian "
        "pengajar untuk pengajar modul, dan tidak ada butir tentang narasumber, fasilitator, "
        "pengajar atau widyaiswara."
    ]
    s = Section("hasil", "Hasil")
    _trainer_rating(s, _l1(0))
    assert s.gaps == ["Penilaian pengajar belum ada: belum ada jawaban kuesioner reaksi."]


def test_the_trainer_rating_of_widyaiswara_items_is_weighted_by_answers() -> None:
    s = Section("hasil", "Hasil")
    _trainer_rating(
        s,
        _l1(
            10,
            _item("Widyaiswara menguasai materi", 100.0, n=10),
            _item("Pengajar tepat waktu", 50.0, n=30),
            _item("Ruang kelas nyaman", 0.0, n=40),
        ),
    )
    (t,) = s.tables
    assert t["headers"][0] == "Butir tentang pengajar"  # items, not trainers, a row each
    assert [r[0] for r in t["rows"]] == [
        "Widyaiswara menguasai materi",
        "Pengajar tepat waktu",
        "Semua butir tentang narasumber/fasilitator",
    ]
    assert t["rows"][-1][1] == pytest.approx(62.5)  # (100 × 10 + 50 × 30) / 40
    assert not s.gaps


def test_participants_are_invited_registered_or_both() -> None:
    assert _enrolled_sentence(Funnel(invited=20, completed=15)) == (
        "Sebanyak 20 pegawai diundang dan 15 menyelesaikannya."
    )
    assert _enrolled_sentence(Funnel(invited=60, held=60, completed=44)) == (
        "Sebanyak 60 peserta terdaftar dan 44 menyelesaikannya."
    )
    assert _enrolled_sentence(Funnel(invited=25, held=5, completed=21)) == (
        "Sebanyak 20 pegawai diundang dan 5 peserta dicatat dari pelatihan yang sudah "
        "terlaksana (25 peserta terdaftar); 21 menyelesaikannya."
    )


def test_the_opd_completion_rule_speaks_of_registered_participants_for_a_held_training() -> None:
    opd = (OpdParticipation(7, "Kec. Lembah Segar", 10, 5, 0),)
    (held,) = [
        h
        for h in recommend(Evidence(scope="programme:1", invited=10, held=10, opd=opd))
        if h.rule_id == "low_opd_participation"
    ]
    assert "hanya 5 dari 10 peserta terdaftar menyelesaikan" in held.text
    (invited,) = [
        h
        for h in recommend(Evidence(scope="programme:1", invited=10, opd=opd))
        if h.rule_id == "low_opd_participation"
    ]
    assert "hanya 5 dari 10 pegawai yang diundang menyelesaikan" in invited.text
