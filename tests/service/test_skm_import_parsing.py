"""SKM import: unsur columns by code, name or meaning (never by position), answers as numbers,
letters or labels, the regulation form's own profile labels. Pure: no database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kompeten.service.imports_skm import (
    AnswerError,
    match_services,
    parse_age,
    parse_answer,
    parse_education,
    parse_legend,
    parse_occupation,
    parse_sex,
    parse_suggestion,
    recognise_unsur,
    recognise_unsur_columns,
    unit_named_in_title,
    unsur_code,
)
from kompeten.standards.ikm import SKM_2017, custom_version
from kompeten.standards.ikm import Unsur as UnsurDef

U = {u.slug: u for u in SKM_2017.unsur}

# The Google Form sample asks Sarana 8th and Pengaduan 9th.
GOOGLE_FORM_QUESTIONS = [
    (
        "1. Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis "
        "pelayanannya?",
        "persyaratan",
    ),
    (
        "2. Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
        "sistem_mekanisme_prosedur",
    ),
    (
        "3. Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
        "waktu_penyelesaian",
    ),
    (
        "4. Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
        "biaya_tarif",
    ),
    (
        "5. Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang "
        "tercantum dalam standar pelayanan dengan hasil yang diberikan?",
        "produk_spesifikasi_jenis_pelayanan",
    ),
    (
        "6. Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
        "kompetensi_pelaksana",
    ),
    (
        "7. Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait "
        "kesopanan dan keramahan?",
        "perilaku_pelaksana",
    ),
    (
        "8. Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
        "sarana_prasarana",
    ),
    (
        "9. Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
        "penanganan_pengaduan",
    ),
]


@pytest.mark.parametrize(("header", "slug"), GOOGLE_FORM_QUESTIONS)
def test_a_question_is_recognised_by_its_meaning_not_its_number(header: str, slug: str) -> None:
    assert recognise_unsur(header, SKM_2017).slug == slug  # type: ignore[union-attr]


def test_the_questions_in_any_order_map_to_the_same_unsur() -> None:
    headers = [h for h, _ in reversed(GOOGLE_FORM_QUESTIONS)]
    found = recognise_unsur_columns(headers, SKM_2017)
    assert [found[i] for i in range(9)] == [s for _, s in reversed(GOOGLE_FORM_QUESTIONS)]


@pytest.mark.parametrize(
    "header", ["U1", "u1", "U-1", "U 1", "Unsur 1", "UNSUR-01", "U1.", "P1", "Q1", "q01"]
)
def test_codes_are_read_in_every_spelling(header: str) -> None:
    assert unsur_code(header) == 1
    assert recognise_unsur(header, SKM_2017) == U["persyaratan"]


def test_a_bare_code_follows_the_regulation_and_a_legend_overrides_it() -> None:
    assert recognise_unsur("U8", SKM_2017) == U["penanganan_pengaduan"]
    assert recognise_unsur("U9", SKM_2017) == U["sarana_prasarana"]
    legend = parse_legend(
        [["", "Keterangan: U1 Persyaratan; U8 Sarana dan Prasarana; U9 Penanganan Pengaduan"]],
        SKM_2017,
    )
    assert legend == {1: "persyaratan", 8: "sarana_prasarana", 9: "penanganan_pengaduan"}
    assert recognise_unsur("U8", SKM_2017, legend) == U["sarana_prasarana"]
    assert recognise_unsur("U10", SKM_2017) is None


def test_a_name_wins_over_its_position_code() -> None:
    assert recognise_unsur("U8. Sarana & Prasarana", SKM_2017) == U["sarana_prasarana"]
    assert recognise_unsur("U9. Penanganan Pengaduan", SKM_2017) == U["penanganan_pengaduan"]


@pytest.mark.parametrize(
    "header",
    [
        "Saran / Masukan",
        "Saran dan Masukan",
        "Jenis Layanan yang Diterima",
        "Timestamp",
        "Tanggal Survei",
        "Pendidikan Terakhir",
        "Pekerjaan Utama",
        "Usia (tahun)",
        "Kecepatan penyelesaian pengaduan",  # two unsur fit as well: the user decides
        "",
    ],
)
def test_other_columns_and_ambiguous_questions_are_not_taken_for_an_unsur(header: str) -> None:
    assert recognise_unsur(header, SKM_2017) is None


def test_a_units_own_item_is_recognised_by_its_words() -> None:
    extra = UnsurDef(
        "kebersihan_toilet",
        "Kebersihan Toilet",
        ("Kotor", "Kurang bersih", "Bersih", "Sangat bersih"),
    )
    version = custom_version(
        "Q1", (*SKM_2017.unsur, extra), {u.slug: "0.1" for u in (*SKM_2017.unsur, extra)}
    )
    assert recognise_unsur("Kebersihan Toilet", version) == extra
    assert recognise_unsur("10. Bagaimana kebersihan toilet di kantor ini?", version) == extra
    assert parse_answer("Sangat bersih", extra) == 4


@pytest.mark.parametrize(
    ("value", "slug", "score"),
    [
        (3, "persyaratan", 3),
        (3.0, "persyaratan", 3),
        ("4", "persyaratan", 4),
        ("c. Sesuai", "persyaratan", 3),
        ("d. Sangat sesuai", "persyaratan", 4),
        ("b. Kurang mudah", "sistem_mekanisme_prosedur", 2),
        ("C", "waktu_penyelesaian", 3),
        ("a)", "waktu_penyelesaian", 1),
        ("Gratis", "biaya_tarif", 4),
        ("d. Gratis", "biaya_tarif", 4),
        ("Berfungsi kurang maksimal", "penanganan_pengaduan", 3),
        ("c. Berfungsi kurang maksimal", "penanganan_pengaduan", 3),
        ("SANGAT SOPAN DAN RAMAH", "perilaku_pelaksana", 4),
        ("Cukup", "sarana_prasarana", 2),
        ("b. Cukup", "sarana_prasarana", 2),
        ("3 - Sesuai", "persyaratan", 3),
        # the letter decides when present, whatever the label says
        ("a. Sangat sesuai", "persyaratan", 1),
        # the generic wordings e-SKM applications put on every unsur
        ("Kurang Baik", "persyaratan", 2),
        ("Sangat Baik", "waktu_penyelesaian", 4),
        ("sangat puas", "biaya_tarif", 4),
        # typed as decimals, with the Indonesian comma or a point
        ("3,0", "persyaratan", 3),
        ("4.00", "persyaratan", 4),
    ],
)
def test_answers_are_read_as_numbers_letters_or_labels(value, slug: str, score: int) -> None:
    assert parse_answer(value, U[slug]) == score


@pytest.mark.parametrize("value", [None, "", "   "])
def test_a_blank_answer_is_unanswered(value) -> None:
    assert parse_answer(value, U["persyaratan"]) is None


@pytest.mark.parametrize(
    "value", [5, 0, "e. Luar biasa", "Gratis", 2.5, "2,5", "3.5", "5,0", "Sesuai sekali"]
)
def test_an_unreadable_answer_is_refused_with_the_accepted_values(value) -> None:
    with pytest.raises(AnswerError) as exc:
        parse_answer(value, U["persyaratan"])
    assert "Persyaratan" in exc.value.message
    assert "3 / c. Sesuai" in exc.value.accepted


@given(st.integers(min_value=1, max_value=4), st.sampled_from(SKM_2017.unsur))
def test_every_official_label_reads_back_as_its_score(score: int, unsur) -> None:
    assert parse_answer(unsur.label_for(score), unsur) == score
    assert parse_answer(f"{'abcd'[score - 1]}. {unsur.label_for(score)}", unsur) == score


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Laki-laki", "L"), ("Perempuan", "P"), ("L", "L"), ("p", "P"), ("LAKI LAKI", "L")],
)
def test_sex_in_the_forms_spellings(value: str, expected: str) -> None:
    assert parse_sex(value) == expected


def test_an_unknown_sex_lists_the_accepted_values() -> None:
    with pytest.raises(AnswerError) as exc:
        parse_sex("X")
    assert "Laki-laki" in exc.value.accepted


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (55, "50+"),
        (20.0, "20-29"),
        ("18", "<20"),
        ("34 tahun", "30-39"),
        ("20-29", "20-29"),
        ("20 - 29 tahun", "20-29"),
        ("< 20", "<20"),
        ("Di bawah 20 tahun", "<20"),
        ("50 tahun ke atas", "50+"),
        ("> 50", "50+"),
        ("50+", "50+"),
        ("40–49", "40-49"),
        ("30 s.d 39", "30-39"),
        ("di bawah 18", "<20"),
        ("> 55", "50+"),
        ("≥ 50", "50+"),
    ],
)
def test_age_as_a_number_or_a_band(value, expected: str) -> None:
    assert parse_age(value) == expected


@pytest.mark.parametrize(
    "value", ["17-25", "26-35", "36-45", "46-55", "25 - 34", "18 s.d 25", "< 25", "> 45", "45+"]
)
def test_a_band_drawn_across_the_groups_leaves_the_age_unknown(value: str) -> None:
    """Another tool's bands (Kemenkes' 17-25, 26-35 …): a 26-35 respondent may be 20-29 or
    30-39, so no group is guessed from the band's middle."""
    assert parse_age(value) == ""


@pytest.mark.parametrize("value", ["tua", 7, 130, "lima puluh"])
def test_an_unreadable_age_is_refused(value) -> None:
    with pytest.raises(AnswerError):
        parse_age(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("SD", "SD"),
        ("SMP", "SMP"),
        ("SMA/SMK", "SMA"),
        ("SLTA", "SMA"),
        ("D1-D3-D4", "D1-D3"),
        ("D3", "D1-D3"),
        ("D-III", "D1-D3"),
        ("S1", "D4-S1"),
        ("S-1", "D4-S1"),
        ("D4", "D4-S1"),
        ("S2", "S2+"),
        ("S3", "S2+"),
        ("Sarjana", "D4-S1"),
    ],
)
def test_education_in_the_forms_categories(value: str, expected: str) -> None:
    assert parse_education(value) == expected


def test_an_unknown_education_lists_the_forms_categories() -> None:
    with pytest.raises(AnswerError) as exc:
        parse_education("Pesantren kilat")
    assert "D1-D3-D4" in exc.value.accepted


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("PNS", "asn"),
        ("TNI", "asn"),
        ("POLRI", "asn"),
        ("SWASTA", "swasta"),
        ("WIRAUSAHA", "wiraswasta"),
        ("Wiraswasta/Usahawan", "wiraswasta"),  # the PermenPANRB 14/2017 form's label
        ("PNS/TNI/Polri", "asn"),
        ("Pegawai Swasta", "swasta"),
        ("Pelajar/Mahasiswa", "pelajar"),
        ("Lainnya", "lainnya"),
        ("Guru ngaji", "lainnya"),  # a Google Form's "Other" answer is free text
    ],
)
def test_occupation_in_the_forms_categories(value: str, expected: str) -> None:
    assert parse_occupation(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [("-", ""), ("", ""), (None, ""), ("Tidak ada", "")]
)
def test_a_dash_is_no_suggestion(value, expected: str) -> None:
    assert parse_suggestion(value) == expected
    assert parse_suggestion("Antrian terlalu lama") == "Antrian terlalu lama"


def test_the_unit_is_read_from_an_eskm_title() -> None:
    rows = [
        ["REKAP DATA SURVEI KEPUASAN MASYARAKAT", ""],
        ["Unit Layanan : Dinas Penanaman Modal dan PTSP Kota Sawahlunto", ""],
        ["Periode : 01-01-2025 s/d 31-12-2025", ""],
    ]
    assert unit_named_in_title(rows) == "Dinas Penanaman Modal dan PTSP Kota Sawahlunto"
    assert unit_named_in_title([["No", "Tanggal"]]) is None


def test_services_match_by_name_or_code_and_the_rest_are_new() -> None:
    found = match_services(
        ["KTP-el", "ktp el", "Akta Kelahiran", "kk", "Akta Kelahiran", ""],
        [(1, "ktp", "KTP-el"), (2, "kk", "Kartu Keluarga")],
    )
    assert found.known == {"ktp el": 1, "kk": 2}
    assert found.new == ["Akta Kelahiran"]
