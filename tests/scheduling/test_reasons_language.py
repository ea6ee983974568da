"""The planner's reasons are stored as codes and parameters and written in the reader's language.

The engine stores an Indonesian sentence beside language-free parameters (names, counts, ISO
times); the web layer writes the sentence again at display time. In Indonesian it must read
exactly as the engine wrote it; in English the dates follow the English format (the sentences
themselves follow once the lead merges the catalogue); a run stored before the parameters keeps
its stored text.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from kompeten.scheduling.planner import plan_to_json
from kompeten.scheduling.reasons import (
    blocker_text,
    infeasible_text,
    skipped_text,
    unassigned_text,
)
from tests.scheduling.test_planner import (
    batch,
    employee,
    plan_for,
    rule,
    rule_that_cannot_hold,
    span,
)
from tests.scheduling.test_planning import _run

MONDAY_LEAVE = span(0, 0, 0, end_day=1)

SCENARIOS: dict[str, dict[str, Any]] = {
    "unavailable": {
        "batches": [batch("PP-1", "PP", 5, (0, 8, 12)), batch("PP-2", "PP", 5, (2, 8, 12))],
        "employees": [
            employee("ani", "loket", {"PP": 3}, MONDAY_LEAVE),
            employee("budi", "loket", {"PP": 3}, span(0, 0, 0, end_day=5)),
        ],
    },
    "capacity": {
        "batches": [batch("PP-1", "PP", 1, (0, 8, 12))],
        "employees": [employee("ani", "loket", {"PP": 1}), employee("budi", "loket", {"PP": 5})],
    },
    "clash": {
        "batches": [batch("PP-1", "PP", 5, (0, 8, 12)), batch("LD-1", "LD", 5, (0, 10, 14))],
        "employees": [employee("ani", "loket", {"PP": 3, "LD": 2})],
    },
    "staffing": {
        "batches": [batch("PP-1", "PP", 5, (0, 11, 13))],
        "employees": [employee(n, "loket", {"PP": 3}) for n in ("ani", "budi", "citra")],
        "staffing": [rule("loket", 0, 8, 12, 2, label="Loket pagi")],
    },
    "rule_cannot_hold": rule_that_cannot_hold(),
}


def _stored(name: str) -> dict[str, Any]:
    _, plan = plan_for(SCENARIOS[name])
    return json.loads(json.dumps(plan_to_json(plan)))


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_in_indonesian_every_reason_reads_exactly_as_the_engine_wrote_it(name):
    stored = _stored(name)
    assert stored["unassigned"], "the scenario must leave a need unmet"
    assert name in {u["reason"] for u in stored["unassigned"]}
    with translation.override("id"):
        for need in stored["unassigned"]:
            assert need["params"]["kind"]
            assert unassigned_text(need) == need["message"]
            for detail in need["details"]:
                assert detail["params"]
                assert blocker_text(detail) == detail["message"]
        for failing in stored["infeasible_rules"]:
            assert failing["away"] == 2
            assert infeasible_text(failing) == failing["message"]


def test_a_clash_with_unavailability_is_stored_as_a_code_with_language_free_parameters():
    stored = _stored("unavailable")
    (need,) = stored["unassigned"]
    assert need["reason"] == "unavailable"
    assert need["params"] == {"kind": "none_open", "batches": 2}
    detail = need["details"][0]
    assert detail["code"] == "unavailable"
    assert detail["params"] == {
        "batch": "PP-1",
        "batch_start": "2026-03-02T08:00:00+07:00",
        "batch_end": "2026-03-02T12:00:00+07:00",
        "start": "2026-03-02T00:00:00+07:00",
        "end": "2026-03-07T00:00:00+07:00",
    }
    params = json.dumps([need["params"], [d["params"] for d in need["details"]]])
    for word in ("Maret", "angkatan", "bentrok", "tersedia"):
        assert word not in params
    with translation.override("id"):
        text = unassigned_text(need)
    assert text.startswith("Tidak tersedia pada setiap angkatan program PP (2 angkatan): ")
    assert (
        "angkatan PP-1 (2 Maret 2026 08.00–12.00) bentrok dengan jadwal tidak tersedia "
        "2 Maret 2026 00.00 s.d. 7 Maret 2026 00.00"
    ) in text


def test_in_english_the_dates_follow_the_reader():
    (need,) = _stored("unavailable")["unassigned"]
    with translation.override("en"):
        text = blocker_text(need["details"][0])
        whole = unassigned_text(need)
    assert "2 March 2026" in text and "Maret" not in text
    assert "7 March 2026" in whole and "Maret" not in whole


def test_reasons_stored_before_the_parameters_keep_their_stored_text():
    old_detail = {"batch": "9", "code": "unavailable", "message": "teks lama angkatan"}
    old_need = {
        "nip": "1",
        "programme": "PP",
        "priority": 1,
        "reason": "unavailable",
        "message": "Alasan lama yang tersimpan.",
        "details": [old_detail],
    }
    old_rule = {"unit": "LOKET", "start": "2026-03-02T08:00", "end": "2026-03-02T12:00"}
    with translation.override("en"):
        assert unassigned_text(old_need) == "Alasan lama yang tersimpan."
        assert blocker_text(old_detail) == "teks lama angkatan"
        assert infeasible_text({**old_rule, "message": "Aturan lama."}) == "Aturan lama."
        assert skipped_text({"batch": "A", "reason": "Alasan lama."}) == "Alasan lama."


def test_skipped_batches_are_written_in_the_reader_language():
    holiday = {"batch": "A", "reason": "x", "code": "holiday", "params": {"date": "2026-08-17"}}
    trainer = {
        "batch": "B",
        "reason": "x",
        "code": "trainer_unavailable",
        "params": {"start": "2026-03-02T08:00:00+07:00"},
    }
    with translation.override("id"):
        assert (
            skipped_text(holiday)
            == "Ada sesi pada hari libur nasional/cuti bersama (17 Agustus 2026)."
        )
        assert skipped_text(trainer) == "Fasilitator tidak tersedia pada sesi 2 Maret 2026 08.00."
        assert skipped_text({"batch": "C", "reason": "x", "code": "no_session"}) == (
            "Angkatan belum memiliki sesi."
        )
    with translation.override("en"):
        assert "17 August 2026" in skipped_text(holiday)
        assert "2 March 2026" in skipped_text(trainer)


@pytest.mark.django_db
def test_the_run_page_writes_the_stored_reasons_in_the_reader_language(
    client, world, counter, django_assert_max_num_queries
):
    run = _run(world, counter)
    run.plan = _stored("unavailable")
    run.skipped = [
        {
            "batch": "Angkatan Libur",
            "reason": "x",
            "code": "holiday",
            "params": {"date": "2026-08-17"},
        }
    ]
    run.save(update_fields=["plan", "skipped"])
    client.force_login(world.alice)
    url = reverse("scheduling:plan_detail", args=[run.pk])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    assert "angkatan PP-1 (2 Maret 2026 08.00–12.00) bentrok dengan jadwal tidak tersedia" in page
    assert "(17 Agustus 2026)" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    assert "2 March 2026" in page and "2 Maret 2026" not in page
    assert "17 August 2026" in page
