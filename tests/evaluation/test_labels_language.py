"""The L1–L3 labels and sentences are read in the reader's language when a result is built
(not frozen at import), and results stay plain strings, so they serialise to JSON."""

from __future__ import annotations

import dataclasses
import io
import json

import numpy as np
import pytest
from django.conf import settings
from django.utils import translation
from openpyxl import load_workbook

from kompeten.evaluation.actions.instruments import TRAINER_ASPECTS
from kompeten.evaluation.levels import l1, l2, l3
from kompeten.evaluation.levels.results import L1Result
from kompeten.evaluation.models import BankItem, ItemKind
from tests.evaluation import builders
from tests.evaluation.reactions import answer_reaction

# item id → (section, aspect, column key)
ITEMS = {
    1: ("sarana", "", 1),
    2: ("sarana", "", 2),
    3: ("relevansi", "", 3),
    4: ("pengajar", "penguasaan_materi", 4),
    5: ("pengajar", "sistematika", 5),
}


def _l1() -> L1Result:
    """Six respondents answering every item, one trainer without a known name."""
    rng = np.random.default_rng(7)
    resp, item, val = [], [], []
    for r in range(1, 7):
        for i in ITEMS:
            resp.append(r)
            item.append(i)
            val.append(float(rng.integers(3, 6)))
    n = len(resp)
    return l1.compute_l1(
        response_ids=np.array(resp, dtype=np.int64),
        item_ids=np.array(item, dtype=np.int64),
        trainer_ids=np.array([7 if ITEMS[i][0] == "pengajar" else 0 for i in item], dtype=np.int64),
        values=np.array(val, dtype=np.float64),
        batch_ids=np.ones(n, dtype=np.int64),
        items=ITEMS,
        trainer_names={},
        batch_labels={1: "Angkatan I"},
        comments=(),
        n_participants=8,
    )


def test_l1_labels_are_indonesian_in_indonesian():
    with translation.override("id"):
        res = _l1()
    assert [s.label for s in res.sections] == [
        "Sarana dan prasarana",
        "Pengajar",
        "Relevansi dengan pekerjaan",
    ]
    assert res.overall is not None and res.overall.label == "Penyelenggaraan"
    (trainer,) = res.trainers
    assert trainer.name == "Pengajar #7"
    assert [a.label for a in trainer.aspects] == ["Penguasaan materi", "Sistematika penyajian"]
    assert "Tingkat respons 75%." in res.sentence
    json.dumps(dataclasses.asdict(res), default=str)  # no lazy proxy left in the result
    assert all(type(s.label) is str for s in res.sections)


def test_the_aspect_labels_are_the_default_questionnaires_aspects():
    with translation.override("id"):
        assert {k: str(v) for k, v in l1.ASPECT_LABELS.items()} == dict(TRAINER_ASPECTS)


def test_l1_labels_follow_the_language_of_the_call_not_of_the_import():
    with translation.override("id"):
        id_labels = [s.label for s in _l1().sections]
    with translation.override("en"):
        en_labels = [s.label for s in _l1().sections]
    # "Sarana dan prasarana" was already in the English catalogue before this change
    assert en_labels[0] == "Facilities and infrastructure"
    assert id_labels[0] == "Sarana dan prasarana"


def test_l2_sentences_and_item_bands_in_indonesian():
    pre = np.array([50.0, 60.0, 70.0, 55.0, 65.0])
    with translation.override("id"):
        same = l2._change_sentence(pre, pre + 10, None, None)
        few = l2._change_sentence(pre[:2], pre[:2] + np.array([3.0, 5.0]), None, None)
        items = l2.item_analysis(
            instrument_label="Pre-test",
            rows=[(1, 1, "Soal", 1.0, 20, 0.2, 0.45, 0.1), (2, 2, "Soal", 1.0, 20, 0.9, 1.0, 0.9)],
        )
    assert same == (
        "Semua peserta berubah sama persis (10,0 poin); uji statistik tidak dapat dihitung. n = 5."
    )
    assert few.startswith("Rata-rata nilai: n = 2")
    assert [(i.difficulty_label, i.discrimination_label) for i in items] == [
        ("sukar", "baik"),
        ("mudah", "jelek"),
    ]
    assert all(type(i.difficulty_label) is str for i in items)
    json.dumps([dataclasses.asdict(i) for i in items])


def test_l3_role_labels_and_sentences_in_indonesian():
    subjects = np.array([1, 2, 3, 4, 5, 6] * 2, dtype=np.int64)
    phases = np.array(["sebelum"] * 6 + ["3bulan"] * 6, dtype=object)
    roles = np.array(["atasan"] * 12, dtype=object)
    means = np.array([3.0, 3.2, 2.8, 3.5, 3.1, 2.9, 3.6, 3.9, 3.1, 4.2, 3.8, 3.3])
    with translation.override("id"):
        change, self_rating = l3.behaviour_changes(subjects, phases, roles, means)
        empty = l3.compute_l3([], None)
    assert change.label == "Penilaian atasan (3 bulan setelah)"
    assert change.sentence.startswith("Penilaian atasan (3 bulan setelah): rata-rata skor perilaku")
    assert "poin skala 1–5" in change.sentence
    assert self_rating.label == "Penilaian diri (3 bulan setelah)"
    assert empty.sentence == "Belum ada penilaian perilaku atasan sebelum dan sesudah."
    assert empty.skp_sentence == (
        "Belum ada peserta dengan predikat SKP tahun sebelum dan sesudah pelatihan."
    )
    json.dumps(dataclasses.asdict(empty))


@pytest.fixture
def answered(world):
    s = builders.build(world, n=4)
    answer_reaction(s)
    return s


def test_the_xlsx_sheets_and_row_labels_in_indonesian(world, client, answered):
    client.force_login(world.alice)
    with translation.override("id"):
        r = client.get(f"/evaluasi/program/{answered.programme.pk}/?export=xlsx")
    book = load_workbook(io.BytesIO(r.content), read_only=True)
    names = book.sheetnames
    assert len(set(names)) == len(names) and max(len(n) for n in names) <= 31
    assert names[:4] == ["L1 bagian", "L1 pengajar", "L1 per butir", "L2 ringkasan"]
    assert "Tingkat respons" in names
    header = next(book["L1 pengajar"].iter_rows(max_row=1, values_only=True))
    assert header[:2] == ("pengajar", "aspek")
    aspects = [row[1] for row in book["L1 pengajar"].iter_rows(min_row=2, values_only=True)]
    assert "Penguasaan materi" in aspects
    summary = [row[0] for row in book["L2 ringkasan"].iter_rows(min_row=2, values_only=True)]
    assert summary[:2] == ["n pre-test", "rata-rata pre semua peserta (%)"]


def test_a_true_false_key_is_shown_as_a_word_of_the_language(world, client):
    s = builders.build(world, n=1)
    BankItem.objects.create(
        programme=s.programme, kind=ItemKind.TRUE_FALSE, text="Pernyataan uji", correct="salah"
    )
    client.force_login(world.alice)
    with translation.override("id"):
        page = client.get(f"/evaluasi/program/{s.programme.pk}/instrumen/").content.decode()
    assert "Pernyataan uji" in page
    assert "kunci: salah)" in page
    # needs the English catalogue with this change's entries
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/evaluasi/program/{s.programme.pk}/instrumen/").content.decode()
    assert "key: false)" in page


def test_l1_aspects_and_trainer_fallback_in_english():
    # needs the English catalogue with this change's entries
    with translation.override("en"):
        res = _l1()
    assert res.overall is not None and res.overall.label == "Organisation"
    (trainer,) = res.trainers
    assert trainer.name == "Trainer #7"
    assert [a.label for a in trainer.aspects] == [
        "Subject mastery",
        "Structure of the presentation",
    ]
