"""Reaction exports shaped as forms are really made: profile questions beside the ratings, a
four-level agreement scale written in words (an anonymous form: test_reaction_anonymous.py). Each is the bkpsdm-2025 sample
rewritten, so the figures to keep are expected.md's."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest

from kompeten.core import importing as imp
from kompeten.evaluation.models import Instrument, InstrumentKind
from kompeten.evaluation.queries import evaluate_programme
from tests.evaluation.results_files import REACTION, held_training
from tests.evaluation.test_reaction_import import _plan as plan_reaction


def _plan(world, data: bytes, filename: str = "reaksi.csv"):  # type: ignore[no-untyped-def]
    return plan_reaction(world, data, filename)


def _sample_rows() -> list[list[str]]:
    return list(csv.reader(io.StringIO(REACTION.read_text(encoding="utf-8"))))


def _written(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


PROFILE = (
    ("No", lambda n: str(n + 1)),
    ("Angkatan", lambda n: str(1 + n % 2)),
    ("Golongan", lambda n: str(2 + n % 3)),
    ("Golongan/Ruang", lambda n: ("II", "III", "IV")[n % 3]),
    ("Eselon", lambda n: str(3 + n % 2)),
    ("Kelas", lambda n: str(1 + n % 3)),
    ("Jenis Kelamin", lambda n: "Laki-laki" if n % 2 else "Perempuan"),
    ("Usia", lambda n: str(25 + n % 30)),
)


def _with_profile(columns: tuple[tuple[str, Callable[[int], str]], ...]) -> bytes:
    rows = _sample_rows()
    rows[0] = rows[0][:4] + [h for h, _value in columns] + rows[0][4:]
    for n, row in enumerate(rows[1:]):
        row[4:4] = [value(n) for _h, value in columns]
    return _written(rows)


def test_profile_columns_of_small_numbers_are_not_rated_items(world) -> None:
    """A form that also asked the respondent's batch (1/2), rank (2/3/4), echelon, class, sex
    and age: none of them is a reaction item, so the overall item mean and the share agreeing
    stay expected.md's 4.166 and 86.8 %, as the index does."""
    programme, _batch, _people = held_training(world)
    plan = _plan(world, _with_profile(PROFILE))
    assert plan.is_clean, [imp.describe_problem(p) for p in plan.problems]
    assert {h: plan.mapping[h] for h, _value in PROFILE} == dict.fromkeys(
        (h for h, _value in PROFILE), "profile"
    )
    assert plan.ctx is not None
    assert plan.ctx.notes == [
        "Kuesioner baru dibuat dari kolom berkas: 8 butir skala angka 1–5, 3 butir skala "
        "berlabel, 1 isian (Saran dan masukan untuk perbaikan pelatihan berikutnya). Butir skala "
        "angka dan berlabel masuk ke hasil L1; isian menjadi komentar."
    ]
    imp.commit(plan)

    questionnaire = Instrument.objects.get(programme=programme, kind=InstrumentKind.REACTION)
    assert questionnaire.items.count() == 12
    l1 = evaluate_programme(programme).l1
    assert l1.n_responses == 52
    assert l1.item_mean == pytest.approx(4.166, abs=0.0005)
    assert l1.share_agree == pytest.approx(0.868, abs=0.0005)
    assert not {"Perempuan", "Laki-laki", "II", "III"} & set(l1.comments)


def test_a_rank_question_the_mapping_keeps_as_an_answer_is_no_rating(world) -> None:
    """Headed in a way the profile columns do not know ("Golongan Anda"), a rank question
    is still no 1–5 item: free text, and its bare numbers are no comments."""
    programme, _batch, _people = held_training(world)
    plan = _plan(world, _with_profile((("Golongan Anda saat ini", lambda n: str(2 + n % 3)),)))
    assert plan.mapping["Golongan Anda saat ini"] == "answers"
    imp.commit(plan)
    l1 = evaluate_programme(programme).l1
    assert l1.item_mean == pytest.approx(4.166, abs=0.0005)
    assert l1.share_agree == pytest.approx(0.868, abs=0.0005)


FOUR = {"5": "Sangat Setuju", "4": "Setuju", "3": "Tidak Setuju", "2": "Sangat Tidak Setuju"}


def _items_in_words(words: dict[str, str]) -> bytes:
    rows = _sample_rows()
    for row in rows[1:]:
        row[4:12] = [words[v] for v in row[4:12]]
    return _written(rows)


def test_a_four_level_agreement_scale_in_words_is_read_on_four_levels_and_said(world) -> None:
    """Sangat Tidak Setuju / Tidak Setuju / Setuju / Sangat Setuju, all four answered and no
    neutral answer anywhere: the form had four levels, so "Setuju" is 3 of 4, not 4 of 5. The
    sample's 5/4/3/2 written so are 4/3/2/1: overall item mean 4.166 − 1 = 3.166, and the
    share in the top two levels stays 86.8 %; the trainer grid keeps its own five levels."""
    programme, _batch, _people = held_training(world)
    plan = _plan(world, _items_in_words(FOUR), "reaksi-4.csv")
    assert plan.is_clean, [imp.describe_problem(p) for p in plan.problems]
    assert plan.ctx is not None
    assert (
        "8 butir berlabel dibaca pada skala empat tingkat (Sangat Setuju / Setuju / Tidak "
        "Setuju / Sangat Tidak Setuju)" in " ".join(plan.ctx.notes)
    )
    imp.commit(plan)
    l1 = evaluate_programme(programme).l1
    first = l1.items[0]
    assert first.labels == ("Sangat Tidak Setuju", "Tidak Setuju", "Setuju", "Sangat Setuju")
    assert first.on_main_scale and not l1.items[8].on_main_scale
    assert len(l1.items[8].labels) == 5
    assert l1.item_mean == pytest.approx(3.166, abs=0.0005)
    assert l1.share_agree == pytest.approx(0.868, abs=0.0005)


def test_a_neutral_answer_anywhere_keeps_the_five_level_scale(world) -> None:
    """One "Ragu-ragu" in the file shows a five-level form whose respondents seldom chose the
    middle: every item stays on five levels, and nothing is said."""
    programme, _batch, _people = held_training(world)
    rows = list(csv.reader(io.StringIO(_items_in_words(FOUR).decode())))
    rows[3][11] = "Ragu-ragu"
    plan = _plan(world, _written(rows), "reaksi-5.csv")
    assert plan.ctx is not None
    assert not any("empat tingkat" in n for n in plan.ctx.notes)
    imp.commit(plan)
    assert len(evaluate_programme(programme).l1.items[0].labels) == 5
