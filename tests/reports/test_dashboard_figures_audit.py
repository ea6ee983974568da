"""An independent audit of every figure the leadership dashboard (/laporan/dasbor/) prints.

A small city is built through the product's own actions: five OPD, PNS and PPPK, JP ledgers
on both sides of the 20-JP line, four programmes with every enrolment status (one held training
recorded from its attendance list, one not yet started), attendance, tests, reaction and
behaviour ratings, SKM answers of four service units, complaints resolved on time, late, still
open and archived, SKP and discipline records, recommendations. The dashboard is refreshed as
the admin's button does (``refresh_dashboard_now``) and read as the pimpinan reads it, with its
evidence pages. Every figure the page prints is then compared with the same figure computed
here from the raw rows in plain Python, following its label, docs/leadership.md and DOMAIN.md,
at the page's rounding (Indonesian: 1.234,5 and 81,2%).

Where the page and the rows disagree, the assertion states the value the label promises, and
its message names the reading of the rows that gives what the page prints instead (e.g. an
accepted participant who never came counted as trained). Building the city takes a while: it is
built once per run, and what the page printed and what the rows say are kept as plain values
(:data:`_AUDIT`) for every test of the module.
"""

from __future__ import annotations

import base64
import html as htmllib
import random
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import unquote

import pytest
import time_machine

from kompeten.evaluation.actions.followups import do_schedule_follow_ups
from kompeten.evaluation.actions.instruments import (
    do_create_default_instruments,
    do_set_instrument_status,
)
from kompeten.evaluation.actions.responses import ResponseInput, do_submit_responses
from kompeten.evaluation.actions.scores import ScoreInput, do_record_test_scores
from kompeten.evaluation.models import (
    Answer,
    FollowUp,
    Instrument,
    InstrumentStatus,
    Response,
)
from kompeten.learning.actions.programmes import do_set_programme_competencies
from kompeten.learning.models import Batch, Competency, Programme
from kompeten.participation.actions.attendance import do_mark_attendance
from kompeten.participation.actions.enrolment import (
    do_accept,
    do_cancel,
    do_decline,
    do_invite,
)
from kompeten.participation.actions.held import do_enrol_held, do_record_day_attendance
from kompeten.participation.actions.jp import ExternalInput, do_record_approved_history
from kompeten.participation.models import Attendance, Enrolment, JpEntry
from kompeten.people.actions import do_deactivate_employee
from kompeten.people.models import Employee, Unit
from kompeten.records.actions import do_add_discipline_record, do_set_skp_rating
from kompeten.records.models import DisciplineRecord, SkpRating
from kompeten.reports.actions import do_update_recommendation
from kompeten.reports.models import Recommendation
from kompeten.reports.tasks import refresh_dashboard_now
from kompeten.service.actions.complaints import ComplaintInput, do_bulk_add_complaints
from kompeten.service.actions.skm import (
    SkmRecord,
    do_bulk_add_skm_responses,
    do_create_service_unit,
)
from kompeten.service.models import Complaint, ServiceUnit, SkmResponse
from kompeten.standards.ikm import SKM_2017
from kompeten.standards.local_time import JAKARTA
from tests import factories
from tests.conftest import World
from tests.evaluation import builders as ev_builders
from tests.participation.builders import make_batch, make_programme
from tests.service.helpers import km_median_by_hand

YEAR = 2025
TODAY = date(2025, 11, 20)  # a Thursday: the dashboard read during the year
NOW = datetime.combine(TODAY, time(10), tzinfo=JAKARTA)
JP_MINUTES = Decimal(20 * 45)  # PP 11/2017 jo. PP 17/2020 Ps. 203(4): 20 JP; 1 JP = 45 minutes
UNSUR = [u.slug for u in SKM_2017.unsur]  # the nine unsur of PermenPANRB 14/2017 (names only)
SLA_DAYS = {"informasi": 5, "tanpa_pemeriksaan_lapangan": 14}  # DOMAIN.md, SP4N-LAPOR!
# National holidays (Keppres) and cuti bersama of the years the data covers, written out here
# from the decrees rather than read from the application (DOMAIN.md: working days exclude both).
HOLIDAY_TEXT = (
    "2024-09-16 2024-11-27 2024-12-25 2024-12-26 2025-01-01 2025-01-27 2025-01-28 "
    "2025-01-29 2025-03-28 2025-03-31 2025-04-01 2025-04-02 2025-04-03 2025-04-04 "
    "2025-04-07 2025-04-18 2025-05-01 2025-05-12 2025-05-13 2025-05-29 2025-05-30 "
    "2025-06-06 2025-06-09 2025-06-27 2025-08-18 2025-09-05 2025-12-25 2025-12-26"
)
HOLIDAYS = {date.fromisoformat(d) for d in HOLIDAY_TEXT.split()}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def jkt(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=JAKARTA)


# --- the reader's number format (Indonesian, half up on the shortest decimal) ---------------


def num(value: float | int | Decimal | None, decimals: int) -> str:
    """1.234,5: what floatformat, formatting.number and the percent filter print."""
    if value is None:
        return "–"
    exact = Decimal(value) if isinstance(value, int | Decimal) else Decimal(repr(float(value)))
    q = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    sign = "-" if q < 0 else ""
    whole, _, frac = f"{abs(q):f}".partition(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = ".".join(groups) or "0"
    return sign + text + ("," + frac if frac else "")


def pct(share: float | None) -> str:
    return "–" if share is None else num(Decimal(repr(float(share))) * 100, 1) + "%"


def cell(value: Any) -> str:
    """An evidence-table cell as the page writes one (whole numbers plain, shares below 1 with
    three decimals, other decimals with two)."""
    if value is None:
        return "–"
    if isinstance(value, int):
        return num(value, 0)
    if 0 < abs(value) < 1:
        return num(value, 3)
    return num(value, 2)


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def mean(values: Iterable[float]) -> float | None:
    vals = list(values)
    return sum(vals) / len(vals) if vals else None


# --- working days, Kaplan–Meier, IKM: written out from their definitions ---------------------


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in HOLIDAYS


def working_days(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (received Friday, answered
    Monday = 1; DOMAIN.md, SP4N-LAPOR! limits in working days)."""
    n, day = 0, start
    while day < end:
        day += timedelta(days=1)
        n += is_working_day(day)
    return n


def add_working_days(start: date, n: int) -> date:
    day = start
    while n:
        day += timedelta(days=1)
        n -= is_working_day(day)
    return day


def ikm(answers: Sequence[dict[str, int]]) -> float | None:
    """IKM unit (25–100) of PermenPANRB 14/2017: NRR per unsur = sum of its scores / number of
    responses that answered it; IKM = Σ NRR × 1/9; × 25. None when an unsur has no answer."""
    nrr = []
    for slug in UNSUR:
        scores = [a[slug] for a in answers if slug in a]
        if not scores:
            return None
        nrr.append(sum(scores) / len(scores))
    return sum(nrr) / len(UNSUR) * 25


# --- the city --------------------------------------------------------------------------------


@dataclass
class City:
    world: World
    units: dict[str, Unit] = field(default_factory=dict)
    people: dict[str, Employee] = field(default_factory=dict)
    programmes: dict[str, Programme] = field(default_factory=dict)
    batches: dict[str, Batch] = field(default_factory=dict)
    service_units: dict[str, ServiceUnit] = field(default_factory=dict)


def _org(world: World) -> City:
    """Dinas Alfa (with Bidang Layanan) and Dinas Beta of the personas, plus Dinas Gamma and
    Dinas Delta; PNS and PPPK in each."""
    city = City(world)
    root = world.alfa.parent
    assert root is not None
    city.units = {"root": root, "alfa": world.alfa, "layanan": world.layanan, "beta": world.beta}
    city.units["gamma"] = factories.make_unit(world.instansi, "Dinas Gamma", parent=root)
    city.units["delta"] = factories.make_unit(world.instansi, "Dinas Delta", parent=root)
    u = city.units
    w = world
    city.people.update(bob=w.bob_emp, carol=w.carol_emp, dave=w.dave_emp, erin=w.erin_emp)
    add = city.people.__setitem__
    add("a1", factories.make_employee(u["alfa"], "Ahmad Fauzi", supervisor=w.bob_emp))
    add(
        "a2",
        factories.make_employee(u["alfa"], "Ayu Lestari", supervisor=w.bob_emp, education="S-2"),
    )
    add("a3", factories.make_employee(u["alfa"], "Andi Saputra"))
    add(
        "p1",
        factories.make_employee(u["alfa"], "Putri Amelia", status="PPPK", supervisor=w.bob_emp),
    )
    add("b1", factories.make_employee(u["beta"], "Budi Hartono", supervisor=w.erin_emp))
    add("b2", factories.make_employee(u["beta"], "Bunga Citra", education="D-III"))
    add("b3", factories.make_employee(u["beta"], "Bayu Pratama", status="PPPK"))
    add("g1", factories.make_employee(u["gamma"], "Gilang Ramadhan", education="SLTA"))
    add("g2", factories.make_employee(u["gamma"], "Gita Savitri"))
    add("g3", factories.make_employee(u["gamma"], "Galih Permana", status="PPPK"))
    add("g4", factories.make_employee(u["gamma"], "Gusti Ayu"))
    add("d1", factories.make_employee(u["delta"], "Dewi Kartika"))
    return city


def _attend(batch: Batch, who: dict[Employee, int], actor: Any) -> None:
    """Roll call: each person present at their first ``n`` sessions, absent at the others."""
    sessions = list(batch.sessions.order_by("start"))
    for employee, n in who.items():
        enrolment = Enrolment.objects.get(batch=batch, employee=employee)
        for i, session in enumerate(sessions):
            do_mark_attendance(session=session, enrolment=enrolment, present=i < n, actor=actor)


def _rate(
    instrument: Instrument, ratings: dict[tuple[Employee, Employee], int], when: datetime
) -> None:
    """Behaviour or reaction answers: (subject, rater) → the score given on every item."""
    by_rater: dict[bool, list[ResponseInput]] = defaultdict(list)
    trainers = list(
        Batch.trainers.through.objects.filter(batch__programme=instrument.programme).values_list(
            "trainer_id", flat=True
        )
    )
    for (subject, rater), value in ratings.items():
        answers = ev_builders.likert_answers(instrument, value, trainer_ids=trainers)
        by_rater[subject.pk == rater.pk].append(
            ResponseInput(subject.pk, rater.pk, answers, submitted_at=when)
        )
    for entries in by_rater.values():
        do_submit_responses(instrument, entries=entries)


def _escalate(programme: Programme, phase: str, subject: Employee) -> None:
    """The follow-up worker has escalated the atasan's late rating (its reminders ran out)."""
    fu = FollowUp.objects.get(
        instrument__programme=programme,
        instrument__phase=phase,
        subject=subject,
        rater_role="atasan",
    )
    FollowUp.objects.filter(pk=fu.pk).update(escalated_at=fu.due_at + timedelta(days=7))


def _programme_one(city: City) -> None:
    """Pelayanan Prima, 3–4 March 2025: Dave and three colleagues of Bidang Layanan (their
    atasan Carol rates them); one misses the second day. Tests, reaction, behaviour ratings."""
    w = city.world
    s = ev_builders.build(w, n=4, start=date(2025, 3, 3))
    city.programmes["P1"], city.batches["P1"] = s.programme, s.batch
    dave, p0, p1, p2 = s.participants
    assert s.trainer.employee is not None
    city.people.update(pes0=p0, pes1=p1, pes2=p2, tono=s.trainer.employee)
    _attend(s.batch, {dave: 2, p0: 2, p1: 2, p2: 1}, w.alice)
    scores = [(dave, 40, 88), (p0, 50, 90), (p1, 60, 84), (p2, 30, 72)]
    do_record_test_scores(
        s.programme, entries=[ScoreInput(e.pk, a, b) for e, a, b in scores], actor=w.alice
    )
    _rate(
        s.instruments["reaksi"],
        {(dave, dave): 4, (p0, p0): 5, (p1, p1): 2},
        jkt(date(2025, 3, 4), 16),
    )
    carol = w.carol_emp
    before = {(dave, carol): 2, (p0, carol): 2, (p1, carol): 3, (dave, dave): 4, (p0, p0): 4}
    _rate(s.instruments["perilaku:sebelum"], before, jkt(date(2025, 2, 26)))
    three = {(dave, carol): 4, (p0, carol): 3, (p1, carol): 4, (dave, dave): 5, (p0, p0): 5}
    _rate(s.instruments["perilaku:3bulan"], three, jkt(date(2025, 6, 10)))
    _rate(s.instruments["perilaku:6bulan"], {(dave, carol): 4, (p1, p1): 5}, jkt(date(2025, 9, 10)))
    _escalate(s.programme, "6bulan", p2)


def _programme_two_enrolments(city: City, batch: Batch) -> None:
    """Five seats: two Alfa staff, a Beta colleague and an Alfa PPPK accept; a third Alfa
    colleague declines (clashing duty), a Gamma one too (workload); Bobby is cancelled; a Beta
    PPPK never answers; the last one invited waits on the list."""
    w, p = city.world, city.people
    early = jkt(date(2025, 6, 2), 9)

    def invite(key: str) -> Enrolment:
        return do_invite(
            batch=batch, employee=p[key], actor=w.alice, notify=False, check_clash=False, now=early
        )

    made = {k: invite(k) for k in ("a1", "a2", "a3", "b1", "p1")}
    do_decline(enrolment=made["a3"], reason="bentrok_tugas", actor=None, notify=False, now=early)
    made["g1"] = invite("g1")
    do_decline(enrolment=made["g1"], reason="beban_kerja", actor=None, notify=False, now=early)
    made["bob"] = invite("bob")
    do_cancel(enrolment=made["bob"], actor=w.alice, notify=False)
    made["b3"] = invite("b3")
    made["g2"] = invite("g2")
    assert made["g2"].status == "daftar_tunggu"
    for key in ("a1", "a2", "b1", "p1"):
        do_accept(enrolment=made[key], actor=None, now=jkt(date(2025, 6, 3), 9))


def _programme_two(city: City) -> None:
    """Orientasi Digital (24 JP), 24–26 June 2025, with its own reaction and behaviour forms.
    Budi (Dinas Beta) accepted and never came."""
    w, p = city.world, city.people
    programme = make_programme(w.instansi, "Orientasi Digital", jp="24", code="OD-25")
    days = [(date(2025, 6, d), 8, 16) for d in (24, 25, 26)]
    batch = make_batch(programme, days, capacity=5)
    city.programmes["P2"], city.batches["P2"] = programme, batch
    _programme_two_enrolments(city, batch)
    competency = Competency.objects.get(instansi=w.instansi, code="M-PP")
    do_set_programme_competencies(programme, [(competency, 3)])
    instruments = {}
    for inst in do_create_default_instruments(programme, actor=w.alice):
        do_set_instrument_status(inst, status=InstrumentStatus.OPEN, actor=w.alice)
        instruments[inst.kind + (f":{inst.phase}" if inst.phase else "")] = inst
    do_schedule_follow_ups(batch)
    _attend(batch, {p["a1"]: 3, p["a2"]: 3, p["p1"]: 3, p["b1"]: 0}, w.alice)
    scores = [(p["a1"], 20, 44), (p["a2"], 40, 52), (p["p1"], 50, 70)]
    do_record_test_scores(
        programme, entries=[ScoreInput(e.pk, a, b) for e, a, b in scores], actor=w.alice
    )
    reaction = {(p[k], p[k]): v for k, v in (("a1", 5), ("a2", 4))}
    _rate(instruments["reaksi"], reaction, jkt(date(2025, 6, 26), 16))
    bob = w.bob_emp
    three = {(p["a1"], bob): 4, (p["a2"], p["a2"]): 5}
    _rate(instruments["perilaku:3bulan"], three, jkt(date(2025, 10, 1)))
    # the 6-month rating of Ayu, due 26 December, answered early by her atasan
    _rate(instruments["perilaku:6bulan"], {(p["a2"], bob): 3}, jkt(date(2025, 11, 10)))
    _escalate(programme, "3bulan", p["b1"])


def _programme_three(city: City) -> None:
    """Penanganan Pengaduan (12 JP), 12–13 August 2025: a held training recorded afterwards
    from its attendance list (Erin and Bunga of Beta, Galih of Gamma); Bunga missed day 2."""
    w, p = city.world, city.people
    programme = make_programme(w.instansi, "Penanganan Pengaduan", jp="12", code="PP-HELD")
    d1, d2 = date(2025, 8, 12), date(2025, 8, 13)
    batch = make_batch(programme, [(d1, 8, 16), (d2, 8, 16)], capacity=3)
    city.programmes["P3"], city.batches["P3"] = programme, batch
    people = [p["erin"], p["g3"], p["b2"]]
    do_enrol_held(batch, people, actor=w.alice)
    marks = {
        p["erin"]: {d1: "hadir", d2: "hadir"},
        p["g3"]: {d1: "hadir", d2: "hadir"},
        p["b2"]: {d1: "hadir", d2: "alpa"},
    }
    do_record_day_attendance(batch, marks, actor=w.alice)
    scores = [(p["erin"], 50, 75), (p["g3"], 60, 88), (p["b2"], 40, 58)]
    do_record_test_scores(
        programme, entries=[ScoreInput(e.pk, a, b) for e, a, b in scores], actor=w.alice
    )


def _programme_four(city: City) -> None:
    """Rencana Desember, 9–10 December 2025 (not yet held): Ahmad invited, Gilang declines
    (not relevant), Bobby accepts."""
    w, p = city.world, city.people
    programme = make_programme(w.instansi, "Rencana Desember", jp="16", code="RD-25")
    batch = make_batch(programme, [(date(2025, 12, 9), 8, 16), (date(2025, 12, 10), 8, 16)])
    city.programmes["P4"], city.batches["P4"] = programme, batch
    when = jkt(date(2025, 11, 3), 9)
    made = {
        k: do_invite(batch=batch, employee=p[k], actor=w.alice, notify=False, now=when)
        for k in ("a1", "g1", "bob")
    }
    do_decline(enrolment=made["g1"], reason="tidak_relevan", actor=None, notify=False, now=when)
    do_accept(enrolment=made["bob"], actor=None, now=when)


def _certificate(form: str, amount: int, unit: str, end: date) -> ExternalInput:
    start = end - timedelta(days=1) if unit == "day" and amount > 1 else end
    return ExternalInput(
        title=f"{form} {amount} {unit}",
        organiser="BPSDM Provinsi",
        form=form,
        start_date=start,
        end_date=end,
        amount=Decimal(amount),
        unit=unit,
    )


def _jp_history(city: City) -> None:
    """Certificates from outside, approved: some land exactly on 20 JP, some a minute short or
    over, one in the year before; Gusti (who then leaves service) had 1.000 minutes."""
    p, w = city.people, city.world
    may = date(2025, 5, 21)
    history = [
        (p["dave"], _certificate("kursus", 540, "minute", may)),  # + 8 JP of P1 = 20 JP
        (p["pes0"], _certificate("kursus", 495, "minute", may)),  # + 8 JP of P1 = 19 JP
        (p["pes2"], _certificate("seminar", 2, "day", may)),  # 8 JP
        (p["carol"], _certificate("e_learning", 1200, "minute", date(2025, 9, 30))),
        (p["erin"], _certificate("seminar", 2, "day", date(2025, 10, 8))),  # + 12 JP of P3
        (p["g1"], _certificate("kursus", 900, "minute", date(2024, 10, 10))),  # last year
        (p["g1"], _certificate("kursus", 899, "minute", date(2025, 7, 10))),
        (p["g2"], _certificate("kursus", 901, "minute", date(2025, 7, 10))),
        (p["d1"], _certificate("workshop", 1, "day", date(2025, 2, 12))),  # 5 JP
        (p["d1"], _certificate("kursus", 720, "minute", date(2025, 10, 15))),
        (p["g4"], _certificate("kursus", 1000, "minute", date(2025, 4, 16))),
    ]
    do_record_approved_history(
        instansi=w.instansi, history=history, scan=PDF, scan_name="riwayat.pdf", actor=w.alice
    )
    do_deactivate_employee(employee=p["g4"], reason="pensiun", on=date(2025, 10, 1))


def _records(city: City) -> None:
    """SKP ratings (new predikat, an old numeric score, last year's only, one from 2023) and
    sanctions (recent, old) for the IP ASN."""
    p, alice = city.people, city.world.alice
    do_set_skp_rating(
        actor=alice, employee=p["a1"], year=2025, hasil_kerja="di_atas", perilaku="di_atas"
    )
    do_set_skp_rating(
        actor=alice, employee=p["a2"], year=2024, hasil_kerja="sesuai", perilaku="sesuai"
    )
    do_set_skp_rating(actor=alice, employee=p["dave"], year=2025, score="72")
    do_set_skp_rating(
        actor=alice, employee=p["carol"], year=2025, hasil_kerja="di_bawah", perilaku="sesuai"
    )
    do_set_skp_rating(
        actor=alice, employee=p["erin"], year=2023, hasil_kerja="sesuai", perilaku="sesuai"
    )
    do_set_skp_rating(actor=alice, employee=p["g2"], year=2025, score="95")
    do_add_discipline_record(actor=alice, employee=p["bob"], day=date(2022, 5, 10), level="ringan")
    do_add_discipline_record(actor=alice, employee=p["g2"], day=date(2019, 3, 1), level="berat")
    do_add_discipline_record(actor=alice, employee=p["b1"], day=date(2025, 2, 3), level="sedang")


def _months(first: date, last: date) -> list[date]:
    out, m = [], first
    while m <= last:
        out.append(m)
        m = date(m.year + m.month // 12, m.month % 12 + 1, 1)
    return out


SKM_BIAS = {  # (before the unit's training, after it); Delta is never trained
    "alfa": (2.6, 3.3, date(2025, 3, 5)),
    "beta": (2.9, 3.0, date(2025, 8, 14)),
    "gamma": (2.4, 3.1, date(2025, 8, 14)),
    "delta": (2.7, 2.8, date(2099, 1, 1)),
}


def _skm_answers(key: str, month: date) -> list[SkmRecord]:
    """Two answers a month (the 3rd and the 18th), scores spread around the unit's level; every
    third month the second respondent skips Biaya/Tarif."""
    low, high, since = SKM_BIAS[key]
    out = []
    for i, day in enumerate((3, 18)):
        when = jkt(month.replace(day=day))
        level = high if when.date() >= since else low
        rng = random.Random(f"{key}-{month.isoformat()}-{i}")
        scores = {s: min(4, max(1, round(level + rng.gauss(0, 0.8)))) for s in UNSUR}
        if i == 1 and month.month % 3 == 0:
            del scores[UNSUR[3]]
        out.append(SkmRecord(submitted=when, scores=scores))
    return out


def _skm(city: City) -> None:
    """Four service units with SKM answers from September 2024 to November 2025, and Kantor
    Alfa (the dinas itself) without a survey."""
    u = city.units
    places = {"alfa": u["layanan"], "beta": u["beta"], "gamma": u["gamma"], "delta": u["delta"]}
    for key, unit in places.items():
        su = do_create_service_unit(unit=unit, code=f"loket-{key}", name=f"Loket {key.title()}")
        city.service_units[key] = su
        records = [
            r for m in _months(date(2024, 9, 1), date(2025, 11, 1)) for r in _skm_answers(key, m)
        ]
        do_bulk_add_skm_responses(su, [r for r in records if r.submitted <= NOW])
    city.service_units["kantor"] = do_create_service_unit(
        unit=u["alfa"], code="kantor-alfa", name="Kantor Alfa"
    )


COMPLAINTS_PER_MONTH = {"layanan": 2, "alfa": 1, "beta": 2, "gamma": 1, "delta": 3}
DURATIONS = [2, 4, 7, 1, 11, 3, 5, 16, 6, 9, 3, 20, 4, 8]


def _complaint(key: str, unit: Unit, n: int, received: date) -> ComplaintInput:
    """The n-th complaint of a unit: mostly information requests (5 working days), every fourth
    without field examination (14); every ninth still open, every eleventh archived (every
    other of those without an archive date)."""
    category = "tanpa_pemeriksaan_lapangan" if n % 4 == 3 else "informasi"
    finished = add_working_days(received, DURATIONS[n % len(DURATIONS)])
    closed_day: date | None = finished
    status = "selesai"
    if n % 9 == 4 or finished >= TODAY:
        status, closed_day = "ditindaklanjuti", None
    elif n % 11 == 6:
        status = "diarsipkan"
        closed_day = None if n % 22 == 6 else closed_day
    return ComplaintInput(
        tracking_number=f"LAPOR-{key}-{n:03d}",
        unit_id=unit.pk,
        category=category,
        received_at=jkt(received, 9),
        status=status,
        first_response_at=None if closed_day is None else jkt(closed_day, 15),
        closed_at=None if closed_day is None else jkt(closed_day, 15),
    )


def _complaints(city: City) -> None:
    """Complaints of every OPD unit (Bidang Layanan apart from its dinas) from September 2024,
    received on working days spread over each month (fewer for Delta every fourth month)."""
    items = []
    for offset, (key, per_month) in enumerate(COMPLAINTS_PER_MONTH.items()):
        unit, n = city.units[key], 0
        for month in _months(date(2024, 9, 1), date(2025, 11, 1)):
            k = per_month - (1 if key == "delta" and month.month % 4 == 0 else 0)
            workdays = [
                d for d in (month + timedelta(days=i) for i in range(28)) if is_working_day(d)
            ]
            for j in range(k):
                received = workdays[(3 * offset + 7 * j + n) % len(workdays)]
                if received < TODAY:
                    items.append(_complaint(key, unit, n, received))
                    n += 1
    do_bulk_add_complaints(city.world.instansi, items, source="import")


def _recommendations(city: City) -> None:
    """Open (one overdue, one due later, one without a deadline), in progress, done, dropped."""
    w = city.world
    rows = [
        ("open", date(2025, 10, 1), "Jadwalkan ulang pelatihan bagi pegawai Dinas Gamma."),
        ("in_progress", date(2025, 12, 15), "Perbarui materi penanganan pengaduan."),
        ("open", None, "Tambah unit pembanding untuk evaluasi layanan."),
        ("open", date(2025, 11, 30), "Tindak lanjuti penilaian atasan yang terlambat."),
        ("done", date(2025, 9, 1), "Susun jadwal pelatihan semester II."),
        ("dropped", None, "Gabungkan dua angkatan orientasi."),
    ]
    for status, due, text in rows:
        rec = Recommendation.objects.create(instansi=w.instansi, rule_id="audit_manual", text=text)
        do_update_recommendation(actor=w.alice, recommendation=rec, status=status, due_date=due)


def _elsewhere(world: World) -> None:
    """Another instansi's PNS with JP and a complaint: none of it may reach our figures."""
    other = world.mallory.instansi
    assert other is not None
    unit = factories.make_unit(other, "Dinas Lain")
    emp = factories.make_employee(unit, "Orang Lain")
    do_record_approved_history(
        instansi=other,
        history=[(emp, _certificate("kursus", 1000, "minute", date(2025, 3, 5)))],
        scan=PDF,
        scan_name="lain.pdf",
        actor=world.mallory,
    )
    do_bulk_add_complaints(
        other,
        [ComplaintInput("LAIN-1", unit.pk, "informasi", jkt(date(2025, 3, 3)))],
        source="import",
    )


def build_city(world: World) -> City:
    city = _org(world)
    _programme_one(city)
    _programme_two(city)
    _programme_three(city)
    _programme_four(city)
    _jp_history(city)
    _records(city)
    _skm(city)
    _complaints(city)
    _recommendations(city)
    _elsewhere(world)
    return city


# --- what the page prints ------------------------------------------------------------------------


def text_of(fragment: str) -> str:
    """The visible text of an HTML fragment, whitespace collapsed."""
    fragment = re.sub(r"<[^>]+>", " ", fragment)
    return re.sub(r"\s+", " ", htmllib.unescape(fragment)).strip()


def svg_texts(src: str) -> list[str]:
    """The text labels of a chart given as a data URI."""
    head, _, body = src.partition(",")
    svg = base64.b64decode(body).decode() if head.endswith(";base64") else unquote(body)
    return [htmllib.unescape(t).strip() for t in re.findall(r">([^<>]*)</text>", svg)]


@dataclass
class Evidence:
    title: str
    headers: list[str]
    rows: list[list[str]]
    chart: list[str]  # the chart's text labels


@dataclass
class Page:
    kpis: dict[str, str]  # data-box → visible text
    kpi_links: dict[str, list[str]]
    stats: list[tuple[str, str, str]]  # (label, printed value, evidence slug)
    notes: dict[str, str]  # label → the line under the value (what it is taken over)
    charts: list[tuple[str, str, list[str]]]  # (title, evidence slug, text labels)
    evidence: dict[str, Evidence]


SLUG = re.compile(r"/laporan/dasbor/bukti/([\w-]+)/\?year=2025")


def read_evidence(client: Any, slug: str) -> Evidence:
    response = client.get(f"/laporan/dasbor/bukti/{slug}/?year={YEAR}")
    assert response.status_code == 200, slug
    body = response.content.decode()
    title = text_of(re.search(r"<h1>(.*?)</h1>", body, re.S).group(1))  # type: ignore[union-attr]
    headers = [text_of(h) for h in re.findall(r"<th>(.*?)</th>", body, re.S)]
    tbody = body.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = [
        [text_of(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
        for tr in re.findall(r"<tr>(.*?)</tr>", tbody, re.S)
    ]
    img = re.search(r'<figure class="card"><img src="([^"]+)"', body)
    return Evidence(title, headers, rows, svg_texts(img.group(1)) if img else [])


def read_page(client: Any) -> Page:
    response = client.get(f"/laporan/dasbor/?year={YEAR}")
    assert response.status_code == 200
    body = response.content.decode()
    kpis, links = {}, {}
    for box, inner in re.findall(
        r'<article class="card kpi" data-box="([^"]+)">(.*?)</article>', body, re.S
    ):
        kpis[box] = text_of(inner)
        links[box] = re.findall(r'href="([^"]+)"', inner)
    found = re.findall(
        r'<a class="card stat" data-box="stat-\d+" href="([^"]+)"><span class="muted">(.*?)</span>\s*<strong>(.*?)</strong>(?:<small class="muted">(.*?)</small>)?</a>',
        body,
        re.S,
    )
    stats = [
        (text_of(label), text_of(value), SLUG.search(href).group(1))  # type: ignore[union-attr]
        for href, label, value, _note in found
    ]
    notes = {text_of(label): text_of(note) for _h, label, _v, note in found}
    charts = [
        (text_of(title), SLUG.search(href).group(1), svg_texts(src))  # type: ignore[union-attr]
        for title, href, src in re.findall(
            r'<figure class="card dash-chart"[^>]*><figcaption>(.*?)</figcaption><a href="([^"]+)"><img src="([^"]+)"',
            body,
            re.S,
        )
    ]
    slugs = {s for _l, _v, s in stats} | {s for _t, s, _x in charts}
    slugs |= {m for hrefs in links.values() for h in hrefs for m in SLUG.findall(h)}
    evidence = {slug: read_evidence(client, slug) for slug in sorted(slugs)}
    return Page(kpis, links, stats, notes, charts, evidence)


# --- the same figures from the raw rows ---------------------------------------------------------


class Tree:
    """The instansi's units: the OPD of a unit is its ancestor just below the Pemda's root."""

    def __init__(self, world: World) -> None:
        self.units = {u.pk: u for u in Unit.objects.filter(instansi=world.instansi)}

    def chain(self, unit_id: int) -> list[int]:
        out = [unit_id]
        while self.units[out[-1]].parent_id is not None:
            out.append(self.units[out[-1]].parent_id)  # type: ignore[arg-type]
        return out

    def opd(self, unit_id: int) -> int:
        chain = self.chain(unit_id)
        return chain[-2] if len(chain) > 1 else chain[-1]

    def subtree(self, unit_id: int) -> set[int]:
        return {pk for pk in self.units if unit_id in self.chain(pk)}

    def name(self, unit_id: int) -> str:
        return self.units[unit_id].name


def year_enrolments(world: World) -> list[Enrolment]:
    """The enrolments of the batches that start in the year (docs: "the year's batches")."""
    return list(
        Enrolment.objects.filter(instansi=world.instansi, batch__start_date__year=YEAR)
        .select_related("batch__programme")
        .order_by("pk")
    )


def expect_jp(world: World, tree: Tree) -> dict[str, Any]:
    """PNS who reached 20 JP: active PNS whose ledger minutes of the year are ≥ 20 × 45."""
    pns = list(Employee.objects.filter(instansi=world.instansi, is_active=True, status="PNS"))
    minutes: dict[int, Decimal] = defaultdict(Decimal)
    for emp, m in JpEntry.objects.filter(year=YEAR, employee__in=pns).values_list(
        "employee_id", "minutes"
    ):
        minutes[emp] += m
    per_opd: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for e in pns:
        row = per_opd[tree.name(tree.opd(e.unit_id))]
        row[0] += 1
        row[1] += minutes[e.pk] >= JP_MINUTES
    total, met = len(pns), sum(minutes[e.pk] >= JP_MINUTES for e in pns)
    return {
        "total": total,
        "met": met,
        "share": share(met, total),
        "rows": [[name, n, m, share(m, n)] for name, (n, m) in sorted(per_opd.items())],
    }


def attended_ids() -> set[int]:
    return set(Attendance.objects.filter(present=True).values_list("enrolment_id", flat=True))


def expect_funnel(world: World) -> dict[str, Any]:
    """The funnel in employees (the table's column says "Pegawai"), invitations apart from the
    participants recorded after the fact from a held training's attendance list."""
    rows = year_enrolments(world)
    present = attended_ids()
    held = [e for e in rows if e.source == "terlaksana"]
    invited = [e for e in rows if e.source != "terlaksana"]

    def people(items: Iterable[Enrolment]) -> int:
        return len({e.employee_id for e in items})

    done = [e for e in rows if e.completed_at is not None]
    return {
        "enrolments": len(rows),
        "completed": len(done),
        "invitations": len(invited),
        "invitations_completed": sum(e.completed_at is not None for e in invited),
        "declined": sum(e.status == "ditolak" for e in rows),
        "table": [
            ["Terdaftar", people(rows)],
            ["Diundang", people(invited)],
            ["Dicatat dari pelatihan terlaksana", people(held)],
            ["Menerima", people(e for e in invited if e.status == "diterima")],
            ["Menolak", people(e for e in rows if e.status == "ditolak")],
            ["Hadir (minimal satu sesi)", people(e for e in rows if e.pk in present)],
            ["Menyelesaikan", people(done)],
        ],
        "completion_rate": share(len(done), len(rows)),
        "table_in_enrolments": [
            len(rows),
            len(invited),
            len(held),
            sum(e.status == "diterima" for e in invited),
            sum(e.status == "ditolak" for e in rows),
            sum(e.pk in present for e in rows),
            len(done),
        ],
    }


def normalised_gains() -> dict[int, float]:
    """Per enrolment: (post% − pre%) / (100 − pre%) from the test responses (Hake)."""
    tests: dict[tuple[int, int], dict[str, float]] = defaultdict(dict)
    for prog, subject, kind, score, top in Response.objects.filter(
        kind__in=("pretest", "posttest"), score__isnull=False, needs_marking=False
    ).values_list("programme_id", "subject_id", "kind", "score", "max_score"):
        tests[(prog, subject)][kind] = float(score or 0) / float(top or 1) * 100
    out = {}
    for e in Enrolment.objects.filter(status="diterima").select_related("batch"):
        pair = tests.get((e.batch.programme_id, e.employee_id), {})
        if "pretest" in pair and "posttest" in pair and pair["pretest"] < 100:
            out[e.pk] = (pair["posttest"] - pair["pretest"]) / (100 - pair["pretest"])
    return out


def reaction_values(world: World) -> dict[int, list[float]]:
    """Per programme: each Likert answer to the organiser sections (sarana, materi, pelayanan
    panitia, administrasi: the reaction index of the programme report) of the reaction forms
    submitted in the year, on the 0–100 index scale, (answer − 1) / (top − 1) × 100."""
    values: dict[int, list[float]] = defaultdict(list)
    for prog, value, top in Answer.objects.filter(
        response__programme__instansi=world.instansi,
        response__kind="reaksi",
        response__submitted_at__year=YEAR,
        item__kind="likert",
        item__section__in=("sarana", "materi", "pelayanan", "administrasi"),
        value__isnull=False,
    ).values_list("response__programme_id", "value", "response__instrument__scale_max"):
        values[prog].append((float(value or 0) - 1) / (top - 1) * 100)
    return values


def expect_programmes(world: World) -> dict[str, Any]:
    """Per programme of the year's batches that are over (one not yet held is not ranked):
    registered, completions, completion share, mean learning gain, reaction index; ranked by
    gain + completion, best first."""
    gains = normalised_gains()
    answers = reaction_values(world)
    reaction = {prog: sum(v) / len(v) for prog, v in answers.items()}
    per: dict[int, list[Enrolment]] = defaultdict(list)
    for e in year_enrolments(world):
        if e.batch.end_date < TODAY:
            per[e.batch.programme_id].append(e)
    rows: list[list[Any]] = []
    for prog_id, items in per.items():
        done = sum(e.completed_at is not None for e in items)
        g = [gains[e.pk] for e in items if e.pk in gains]
        rows.append(
            [
                items[0].batch.programme.title,
                len(items),  # "Terdaftar": invited or recorded from a held training's list
                done,
                share(done, len(items)),
                mean(g),
                reaction.get(prog_id),
            ]
        )
    rows.sort(key=lambda r: (-((r[4] or 0) + (r[3] or 0)), r[0]))
    every_gain = [gains[e.pk] for e in year_enrolments(world) if e.pk in gains]
    return {
        "rows": rows,
        "reaction_card": mean(reaction.values()),
        "reaction_programmes": len(reaction),
        "reaction_pooled": mean(v for values in answers.values() for v in values),
        "gain_card": mean(every_gain),
        "gain_by_programme": mean(r[4] for r in rows if r[4] is not None),
    }


def expect_followups(world: World, raters: tuple[str, ...] = ("atasan",)) -> dict[str, Any]:
    """The L3 ratings the atasan owes 3 and 6 months after training, due in the year: those
    due by now, answered among them, escalated, waiting; the ones not yet due."""
    rows = list(
        FollowUp.objects.filter(
            batch__programme__instansi=world.instansi,
            instrument__kind="perilaku",
            instrument__phase__in=("3bulan", "6bulan"),
            due_at__year=YEAR,
            rater_role__in=raters,
        )
    )
    due = [f for f in rows if f.due_at <= NOW]
    open_due = [f for f in due if f.response_id is None]
    escalated = sum(f.escalated_at is not None for f in open_due)
    answered_due = sum(f.response_id is not None for f in due)
    return {
        "due": len(due),
        "answered_due": answered_due,
        "share": share(answered_due, len(due)),
        "escalated": escalated,
        "waiting": len(open_due) - escalated,
        "upcoming": sum(f.due_at > NOW and f.response_id is None for f in rows),
        "answered": sum(f.response_id is not None for f in rows),
    }


def expect_behaviour(world: World, raters: tuple[str, ...] = ("atasan", "peserta")) -> dict:
    """Mean behaviour rating (the 1–5 Likert items) per phase, ratings submitted in the year
    or the year before; change = the later phase (6 months, else 3) − before."""
    values: dict[str, list[float]] = defaultdict(list)
    for phase, value in Answer.objects.filter(
        response__programme__instansi=world.instansi,
        response__kind="perilaku",
        response__rater_role__in=raters,
        response__submitted_at__year__in=(YEAR, YEAR - 1),
        item__kind="likert",
        value__isnull=False,
    ).values_list("response__phase", "value"):
        values[phase].append(float(value or 0))
    means = {k: mean(values.get(k, [])) for k in ("sebelum", "3bulan", "6bulan")}
    later = means["6bulan"] if means["6bulan"] is not None else means["3bulan"]
    before = means["sebelum"]
    return {**means, "change": None if later is None or before is None else later - before}


# --- public service ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    pk: int
    unit_id: int
    received: date
    status: str
    closed: date | None
    category: str

    @property
    def on_time(self) -> bool:
        """Resolved (Selesai) within its category's limit in working days."""
        return (
            self.status == "selesai"
            and self.closed is not None
            and working_days(self.received, self.closed) <= SLA_DAYS[self.category]
        )


def complaint_cases(world: World) -> list[Case]:
    out = []
    for pk, unit_id, received, status, closed, category in Complaint.objects.filter(
        instansi=world.instansi
    ).values_list("pk", "unit_id", "received_at", "status", "closed_at", "category"):
        closed_day = None if closed is None else closed.astimezone(JAKARTA).date()
        out.append(
            Case(pk, unit_id, received.astimezone(JAKARTA).date(), status, closed_day, category)
        )
    return out


def skm_answers(world: World) -> list[tuple[int, date, dict[str, int]]]:
    return [
        (su, when.astimezone(JAKARTA).date(), scores)
        for su, when, scores in SkmResponse.objects.filter(
            service_unit__instansi=world.instansi
        ).values_list("service_unit_id", "submitted", "scores")
    ]


def default_windows(first: date, last: date) -> tuple[tuple[date, date], tuple[date, date]]:
    """The report's default windows (docstring of kompeten.reports.impact.default_windows):
    before = 1 January of the training's year (180 days before it when that leaves < 90 days)
    to the last training day; after = the next day to 31 December or today (180 days after
    when that leaves < 90 days)."""
    start = date(first.year, 1, 1)
    if (first - start).days < 90:
        start = first - timedelta(days=180)
    end = date(last.year, 12, 31)
    if (end - last).days < 90:
        end = last + timedelta(days=180)
    after_start = last + timedelta(days=1)
    return (start, last), (after_start, max(after_start, min(end, TODAY)))


def year_programmes(world: World) -> dict[int, tuple[date, date]]:
    """(first day, last day) of each programme with a batch in the year that has started."""
    periods: dict[int, tuple[date, date]] = {}
    for b in Batch.objects.filter(
        programme__instansi=world.instansi,
        start_date__lte=date(YEAR, 12, 31),
        end_date__gte=date(YEAR, 1, 1),
    ):
        first, last = periods.get(b.programme_id, (b.start_date, b.end_date))
        periods[b.programme_id] = (min(first, b.start_date), max(last, b.end_date))
    return {k: v for k, v in sorted(periods.items()) if v[0] <= TODAY}


def participant_units(programme_id: int, rule: str) -> set[int]:
    """Units of the programme's participants: those who attended at least one session
    ("took part", the label's "pegawainya dilatih"), or every accepted enrolment."""
    qs = Enrolment.objects.filter(batch__programme_id=programme_id)
    qs = qs.filter(status="diterima") if rule == "accepted" else qs.filter(pk__in=attended_ids())
    return set(qs.values_list("employee__unit_id", flat=True))


def staff_took_part(su: ServiceUnit, units: set[int], tree: Tree) -> bool:
    """A service unit whose OPD unit contains a participant's unit, or lies within a
    participant's OPD (docs/leadership.md, the programme report's impact section)."""
    return any(su.unit_id in tree.chain(u) for u in units) or any(
        tree.opd(u) in tree.chain(su.unit_id) for u in units
    )


@dataclass
class ServiceGroup:
    """Trained units or the others, pooled over the year's programmes."""

    ikm: dict[str, list[float]] = field(default_factory=lambda: {"before": [], "after": []})
    units: set[int] = field(default_factory=set)
    received: Counter[str] = field(default_factory=Counter)
    within: Counter[str] = field(default_factory=Counter)
    distinct: dict[str, set[int]] = field(default_factory=lambda: {"before": set(), "after": set()})

    def add_ikm(self, members: list[ServiceUnit], windows: dict, skm: list) -> None:
        """Each unit with an IKM on both sides counts once for this programme."""
        for su in members:
            figures = {
                w: ikm([s for u, d, s in skm if u == su.pk and a <= d <= b])
                for w, (a, b) in windows.items()
            }
            before, after = figures["before"], figures["after"]
            if before is not None and after is not None:
                self.ikm["before"].append(before)
                self.ikm["after"].append(after)
                self.units.add(su.pk)

    def add_complaints(self, unit_sets: list[set[int]], windows: dict, cases: list[Case]) -> None:
        for unit_ids in unit_sets:
            for w, (a, b) in windows.items():
                rows = [c for c in cases if c.unit_id in unit_ids and a <= c.received <= b]
                self.received[w] += len(rows)
                self.within[w] += sum(c.on_time for c in rows)
                self.distinct[w] |= {c.pk for c in rows}

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {"pairs": len(self.ikm["before"]), "units": len(self.units)}
        for w in ("before", "after"):
            out[f"ikm_{w}"] = mean(self.ikm[w])
            out[f"received_{w}"] = self.received[w]
            out[f"distinct_{w}"] = len(self.distinct[w])
            out[f"sla_{w}"] = share(self.within[w], self.received[w])
        return out


def expect_service(
    world: World, tree: Tree, took_part: str = "attended", comparison: str = "union"
) -> dict[str, dict[str, Any]]:
    """IKM and on-time complaints before/after of the service units whose staff took part in
    each programme of the year that has started, beside the other active units over the same
    windows; a unit counts once per programme; complaints of the units' OPD subtrees pooled,
    each complaint once per programme and group (``comparison="per_unit"``: once per
    comparison unit, as the code sums them)."""
    sus = list(ServiceUnit.objects.filter(instansi=world.instansi, is_active=True))
    cases, skm = complaint_cases(world), skm_answers(world)
    groups = {"trained": ServiceGroup(), "others": ServiceGroup()}
    for prog_id, (first, last) in year_programmes(world).items():
        windows = dict(zip(("before", "after"), default_windows(first, last), strict=True))
        units = participant_units(prog_id, took_part)
        trained = [su for su in sus if staff_took_part(su, units, tree)]
        if not trained:
            continue
        others = [su for su in sus if su not in trained]
        groups["trained"].add_ikm(trained, windows, skm)
        groups["others"].add_ikm(others, windows, skm)
        pooled = set().union(*(tree.subtree(su.unit_id) for su in trained))
        groups["trained"].add_complaints([pooled], windows, cases)
        subtrees = [tree.subtree(su.unit_id) for su in others]
        if comparison == "union" and subtrees:
            subtrees = [set().union(*subtrees)]
        groups["others"].add_complaints(subtrees, windows, cases)
    return {k: g.summary() for k, g in groups.items()}


def expect_ikm_monthly(world: World, tree: Tree) -> dict[str, Any]:
    """Monthly IKM of the service units, averaged over the units of the OPDs with at least
    one employee who completed a programme (batches up to the year's end) and of the others."""
    trained = {
        tree.opd(unit_id)
        for unit_id in Enrolment.objects.filter(
            instansi=world.instansi,
            batch__start_date__lte=date(YEAR, 12, 31),
            completed_at__isnull=False,
        ).values_list("employee__unit_id", flat=True)
    }
    sus = list(ServiceUnit.objects.filter(instansi=world.instansi, is_active=True))
    skm = skm_answers(world)
    rows = []
    for m in range(1, 13):
        groups: dict[bool, list[float]] = {True: [], False: []}
        for su in sus:
            value = ikm([s for u, d, s in skm if u == su.pk and (d.year, d.month) == (YEAR, m)])
            if value is not None:
                groups[tree.opd(su.unit_id) in trained].append(value)
        rows.append([mean(groups[True]), mean(groups[False])])
    last = [(i + 1, r[0]) for i, r in enumerate(rows) if r[0] is not None]
    return {
        "rows": rows,
        "card": last[-1][1] if last else None,
        "card_month": last[-1][0] if last else None,
        "trained_opd": trained,
    }


def resolution_time(c: Case, archived_resolves: bool) -> tuple[float, bool]:
    """Working days to resolution (an event) or to the censoring day: still open at today;
    archived (closed without resolution) at its archive day (impact.py's convention), unless
    ``archived_resolves`` (an archive counted as a resolution)."""
    if c.closed is not None and (c.status == "selesai" or archived_resolves):
        return float(working_days(c.received, c.closed)), True
    return float(working_days(c.received, c.closed or min(TODAY, date(YEAR, 12, 31)))), False


def expect_complaint_medians(
    world: World, tree: Tree, trained_opd: set[int], archived_resolves: bool = False
) -> dict[str, Any]:
    """Kaplan–Meier median working days to resolve the complaints received in the year, per
    month of receipt for trained OPDs and the others (none below three complaints), and over
    the year."""
    cases = [c for c in complaint_cases(world) if c.received.year == YEAR]
    rows = []
    for m in range(1, 13):
        row = []
        for grp in (True, False):
            sel = [
                c
                for c in cases
                if c.received.month == m and (tree.opd(c.unit_id) in trained_opd) == grp
            ]
            row.append(
                km_median_by_hand([resolution_time(c, archived_resolves) for c in sel])
                if len(sel) >= 3
                else None
            )
        rows.append(row)
    return {
        "rows": rows,
        "card": km_median_by_hand([resolution_time(c, archived_resolves) for c in cases]),
    }


# --- IP ASN (PermenPANRB 38/2018, Peraturan BKN 8/2019; DOMAIN.md) ----------------------------

KUALIFIKASI = {"S-3": 25, "S-2": 20, "S-1": 15, "D-IV": 15, "D-III": 10, "D-II": 5, "D-I": 5}
# the JP ledger's forms read as the IP ASN's kinds of development (diklat teknis; seminar,
# workshop, kursus, magang); leadership and functional diklat do not occur in this city
TEKNIS = {"pelatihan", "bimbingan_teknis", "penataran", "e_learning", "distance_learning"}
SEMINAR = {"seminar", "workshop", "kursus", "magang"}
PREDIKAT = {"sangat_baik": 30, "baik": 25, "butuh_perbaikan": 15, "kurang": 5, "sangat_kurang": 1}
SANCTION = {"ringan": 3, "sedang": 2, "berat": 1}


def years_before(day: date, n: int) -> date:
    return day.replace(year=day.year - n)


def kinerja(skp: SkpRating | None) -> float:
    """Old numeric SKP: 91–100 → 30, 76–90 → 25, 61–75 → 15, 51–60 → 5, ≤ 50 → 1; the new
    predikat mapped Sangat Baik 30 … Sangat Kurang 1; no SKP 0."""
    if skp is None:
        return 0
    if skp.predikat:
        return PREDIKAT[skp.predikat]
    score = float(skp.score or 0)
    for upper, points in ((50, 1), (60, 5), (75, 15), (90, 25)):
        if score <= upper:
            return points
    return 30


def kompetensi(trainings: list[tuple[str, float, date]], pelaksana: bool, as_of: date) -> float:
    """Pelaksana: diklat teknis ≥ 20 JP in the last year 22,5, seminar etc. in the last two
    years 17,5. Other posts: diklat teknis ≥ 20 JP 15, seminar etc. in the last two years 10
    (leadership/functional diklat matching the post 15). At most 40."""
    one, two = years_before(as_of, 1), years_before(as_of, 2)
    teknis = [d for form, jp, d in trainings if form in TEKNIS and jp >= 20 and d <= as_of]
    seminar = [d for form, _jp, d in trainings if form in SEMINAR and two <= d <= as_of]
    if pelaksana:
        points = 22.5 * any(d >= one for d in teknis) + 17.5 * bool(seminar)
    else:
        points = 15 * bool(teknis) + 10 * bool(seminar)
    return min(points, 40)


def category(score: float) -> str:
    if score <= 60:
        return "Sangat Rendah"
    if score <= 70:
        return "Rendah"
    if score <= 80:
        return "Sedang"
    return "Tinggi" if score <= 90 else "Sangat Tinggi"


def expect_ip(world: World) -> dict[str, Any]:
    """Each active employee's IP ASN as of 31 December: kualifikasi + kompetensi + kinerja (the
    year's SKP, else the year before's) + disiplin (the heaviest sanction in the five years
    before: none 5, ringan 3, sedang 2, berat 1); the mean and the count per category."""
    as_of = date(YEAR, 12, 31)
    employees = list(Employee.objects.filter(instansi=world.instansi, is_active=True))
    trainings: dict[int, list[tuple[str, float, date]]] = defaultdict(list)
    for emp, form, minutes, day in JpEntry.objects.filter(employee__in=employees).values_list(
        "employee_id", "form", "minutes", "date"
    ):
        trainings[emp].append((form, float(minutes) / 45, day))
    scores, without_skp = [], 0
    for e in employees:
        skp = (
            SkpRating.objects.filter(employee=e, year__in=(YEAR, YEAR - 1))
            .order_by("-year")
            .first()
        )
        sanctions = DisciplineRecord.objects.filter(
            employee=e, date__gt=years_before(as_of, 5), date__lte=as_of
        ).values_list("level", flat=True)
        disiplin = min((SANCTION[s] for s in sanctions), default=5)
        without_skp += skp is None
        pelaksana = e.jabatan_kind == "pelaksana"
        scores.append(
            KUALIFIKASI.get(e.education, 1)
            + kompetensi(trainings[e.pk], pelaksana, as_of)
            + kinerja(skp)
            + disiplin
        )
    counts = Counter(category(s) for s in scores)
    order = ("Sangat Tinggi", "Tinggi", "Sedang", "Rendah", "Sangat Rendah")
    return {
        "mean": mean(scores),
        "rows": [[k, counts.get(k, 0)] for k in order],
        "n": len(scores),
        "without_skp": without_skp,
    }


def expect_recommendations(world: World) -> dict[str, Any]:
    """Open and in-progress recommendations, the overdue ones (deadline before today), the three
    most urgent (earliest deadline first, those without one last)."""
    rows = list(Recommendation.objects.filter(instansi=world.instansi))
    live = [r for r in rows if r.status in ("open", "in_progress")]
    urgent = sorted(live, key=lambda r: (r.due_date is None, r.due_date or TODAY, -r.pk))[:3]
    return {
        "open": sum(r.status == "open" for r in live),
        "in_progress": sum(r.status == "in_progress" for r in live),
        "overdue": sum(r.due_date is not None and r.due_date < TODAY for r in live),
        "urgent": [(r.pk, r.text, r.due_date) for r in urgent],
    }


# --- built once, read by every test ------------------------------------------------------------


@dataclass
class Audit:
    page: Page
    jp: dict[str, Any]
    funnel: dict[str, Any]
    programmes: dict[str, Any]
    followups: dict[str, Any]
    followups_any_rater: dict[str, Any]
    behaviour: dict[str, Any]
    behaviour_atasan: dict[str, Any]
    service: dict[str, dict[str, Any]]
    service_variants: dict[str, dict[str, dict[str, Any]]]
    ikm_monthly: dict[str, Any]
    complaints: dict[str, Any]
    complaints_archive_resolves: dict[str, Any]
    ip: dict[str, Any]
    recommendations: dict[str, Any]


def compute_all(world: World, page: Page) -> Audit:
    tree = Tree(world)
    monthly = expect_ikm_monthly(world, tree)
    trained_opd = monthly["trained_opd"]
    return Audit(
        page=page,
        jp=expect_jp(world, tree),
        funnel=expect_funnel(world),
        programmes=expect_programmes(world),
        followups=expect_followups(world),
        followups_any_rater=expect_followups(world, ("atasan", "peserta")),
        behaviour=expect_behaviour(world),
        behaviour_atasan=expect_behaviour(world, ("atasan",)),
        service=expect_service(world, tree),
        service_variants={
            "accepted no-shows as trained": expect_service(world, tree, took_part="accepted"),
            "comparison complaints summed per unit": expect_service(
                world, tree, comparison="per_unit"
            ),
            "both, as the code does": expect_service(
                world, tree, took_part="accepted", comparison="per_unit"
            ),
        },
        ikm_monthly=monthly,
        complaints=expect_complaint_medians(world, tree, trained_opd),
        complaints_archive_resolves=expect_complaint_medians(
            world, tree, trained_opd, archived_resolves=True
        ),
        ip=expect_ip(world),
        recommendations=expect_recommendations(world),
    )


_AUDIT: dict[str, Audit] = {}


@pytest.fixture
def audit(request: pytest.FixtureRequest, db: None) -> Audit:
    """The city built, the dashboard refreshed and read by the pimpinan, the figures computed
    from the rows: once per run (the module's tests only read the result)."""
    if "city" not in _AUDIT:
        world = request.getfixturevalue("world")
        client = request.getfixturevalue("client")
        settings = request.getfixturevalue("settings")
        settings.MEDIA_ROOT = str(request.getfixturevalue("tmp_path"))
        with time_machine.travel(NOW, tick=False):
            build_city(world)
            refresh_dashboard_now(world.instansi, YEAR)
            client.force_login(world.pia)
            _AUDIT["city"] = compute_all(world, read_page(client))
    return _AUDIT["city"]


def check(pairs: Iterable[tuple[str, str, str]], why: str = "") -> None:
    """(figure, what the page prints, what the rows give at the page's rounding)."""
    wrong = [
        f"{label}: page {shown!r}, rows {want!r}" for label, shown, want in pairs if shown != want
    ]
    assert not wrong, "\n".join(wrong) + (f"\n{why}" if why else "")


def fields(text: str, pattern: str) -> dict[str, str]:
    found = re.search(pattern, text)
    assert found, f"{pattern!r} not in {text!r}"
    return found.groupdict()


def stat(page: Page, label: str) -> tuple[str, str]:
    [(value, slug)] = [(v, s) for lab, v, s in page.stats if lab == label]
    return value, slug


MONTHS = "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"


SHORT_MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]


def long_date(day: date) -> str:
    return f"{day.day} {MONTHS.split()[day.month - 1]} {day.year}"


def variants_matching(audit: Audit, group: str, key: str, shown: str, fmt: Any) -> str:
    """Which reading of the rows gives what the page prints (for the failure message)."""
    hits = [name for name, v in audit.service_variants.items() if fmt(v[group][key]) == shown]
    return (
        f"the page's {group}.{key} {shown!r} is the rows read as: {hits or 'none of the variants'}"
    )


# --- Angka utama: public service of the trained units ---------------------------------------

LAYANAN = (
    r"IKM (?P<t_before>\S+) → (?P<t_after>\S+) Rata-rata (?P<units>\d+) unit layanan(?: \("
    r"(?P<pairs>\d+) pasangan program–unit: unit yang ikut lebih dari satu program dihitung per "
    r"program\))?, sebelum dan sesudah pelatihan\. Unit lain pada waktu yang sama: (?P<o_before>\S+) → (?P<o_after>\S+)\. "
    r"Pengaduan selesai tepat waktu: (?P<t_sla_before>\S+) → (?P<t_sla_after>\S+)\. "
    r"Unit lain: (?P<o_sla_before>\S+) → (?P<o_sla_after>\S+)\."
)


def test_service_card_ikm_of_the_units_whose_staff_were_trained(audit: Audit) -> None:
    """ "IKM a → b, Rata-rata N unit layanan": the mean IKM (PermenPANRB 14/2017: mean of the
    unsur NRR × 25) of the service units whose staff took part in each programme, before and
    after it (a unit once per programme); the other units over the same windows."""
    shown = fields(audit.page.kpis["kpi-layanan"], LAYANAN)
    t, o = audit.service["trained"], audit.service["others"]
    pairs = [
        ("IKM sebelum (unit terlatih)", shown["t_before"], num(t["ikm_before"], 1)),
        ("IKM sesudah (unit terlatih)", shown["t_after"], num(t["ikm_after"], 1)),
        ("unit layanan", shown["units"], str(t["units"])),
        ("pasangan program–unit", shown["pairs"] or shown["units"], str(t["pairs"])),
        ("IKM sebelum (unit lain)", shown["o_before"], num(o["ikm_before"], 1)),
        ("IKM sesudah (unit lain)", shown["o_after"], num(o["ikm_after"], 1)),
    ]
    why = "\n".join(
        variants_matching(audit, g, f"ikm_{w}", shown[f"{g[0]}_{w}"], lambda v: num(v, 1))
        for g in ("trained", "others")
        for w in ("before", "after")
    )
    check(pairs, why)


def test_service_card_complaints_resolved_on_time(audit: Audit) -> None:
    """ "Pengaduan selesai tepat waktu: b → a": of the complaints received by the units' OPD
    subtrees in each window, the share resolved (Selesai) within the SLA limit of their
    category in working days (SP4N-LAPOR!; DOMAIN.md); each complaint once per programme."""
    shown = fields(audit.page.kpis["kpi-layanan"], LAYANAN)
    t, o = audit.service["trained"], audit.service["others"]
    pairs = [
        ("tepat waktu sebelum (unit terlatih)", shown["t_sla_before"], pct(t["sla_before"])),
        ("tepat waktu sesudah (unit terlatih)", shown["t_sla_after"], pct(t["sla_after"])),
        ("tepat waktu sebelum (unit lain)", shown["o_sla_before"], pct(o["sla_before"])),
        ("tepat waktu sesudah (unit lain)", shown["o_sla_after"], pct(o["sla_after"])),
    ]
    why = "\n".join(
        variants_matching(audit, g, k, shown[s], pct)
        for g, k, s in (
            ("trained", "sla_before", "t_sla_before"),
            ("trained", "sla_after", "t_sla_after"),
            ("others", "sla_before", "o_sla_before"),
            ("others", "sla_after", "o_sla_after"),
        )
    )
    check(pairs, why)


def test_service_evidence_table_and_charts(audit: Audit) -> None:
    """The evidence page behind the card: per group the (programme, unit) pairs averaged, IKM
    before and after, the complaints received before and after per programme ("Pengaduan
    sebelum (per program)": a complaint once per programme whose window holds it, the
    multiset the on-time shares are taken over) and the on-time shares; the two charts print
    the same values."""
    ev = audit.page.evidence["layanan"]
    assert ev.title == f"Layanan publik sebelum dan sesudah pelatihan ({YEAR})"
    assert ev.headers[4] == "Pengaduan sebelum (per program)"
    assert ev.headers[6] == "Pengaduan sesudah (per program)"
    want = []
    for label, key in (("Unit terlatih", "trained"), ("Unit lain", "others")):
        g = audit.service[key]
        want.append(
            [
                label,
                cell(g["pairs"]),
                cell(g["ikm_before"]),
                cell(g["ikm_after"]),
                cell(g["received_before"]),
                cell(None if g["sla_before"] is None else g["sla_before"] * 100),
                cell(g["received_after"]),
                cell(None if g["sla_after"] is None else g["sla_after"] * 100),
            ]
        )
    pairs = [
        (f"{row[0]} / {header}", shown, wanted)
        for row, wrow in zip(ev.rows, want, strict=True)
        for header, shown, wanted in zip(ev.headers, row, wrow, strict=True)
    ]
    charts = {t: x for t, s, x in audit.page.charts if s == "layanan"}
    t, o = audit.service["trained"], audit.service["others"]
    ikm_labels = [
        num(v, 1) for v in (t["ikm_before"], o["ikm_before"], t["ikm_after"], o["ikm_after"])
    ]
    sla = [t["sla_before"], o["sla_before"], t["sla_after"], o["sla_after"]]
    ikm_chart = [x for x in charts["IKM sebelum dan sesudah pelatihan"] if "," in x]
    pairs.append(("grafik IKM", str(ikm_chart), str(ikm_labels)))
    pairs.append(
        (
            "grafik tepat waktu",
            str([x for x in charts["Pengaduan selesai tepat waktu (%)"] if "," in x][-4:]),
            str([num(None if v is None else v * 100, 1) for v in sla]),
        )
    )
    code = audit.service_variants["both, as the code does"]
    units = audit.service_variants["accepted no-shows as trained"]
    why = (
        "the complaints counted as the code counts them (once per programme and, for the other "
        f"units, per comparison unit): trained {code['trained']['received_before']}/"
        f"{code['trained']['received_after']}, others {code['others']['received_before']}/"
        f"{code['others']['received_after']}; with the code's choice of units, distinct "
        f"complaints: trained {units['trained']['distinct_before']}/"
        f"{units['trained']['distinct_after']}, others {units['others']['distinct_before']}/"
        f"{units['others']['distinct_after']}; (programme, unit) pairs trained "
        f"{units['trained']['pairs']}, others {units['others']['pairs']}"
    )
    check(pairs, why)


# --- Angka utama: the 20-JP right and participation ----------------------------------------

JP_CARD = (
    r"Hak 20 JP dan partisipasi (?P<share>\S+) (?P<met>\d+) dari (?P<total>\d+) PNS sudah memenuhi "
    r"hak 20 JP tahun 2025\. (?P<done>\d+) dari (?P<invited>\d+) undangan pelatihan diselesaikan; "
    r"(?P<declined>\d+) ditolak\."
)


def test_jp_card_stat_and_evidence(audit: Audit) -> None:
    """ "N dari M PNS sudah memenuhi hak 20 JP": active PNS whose JP ledger of the year holds at
    least 20 × 45 minutes (PP 11/2017 jo. PP 17/2020 Ps. 203(4); PPPK have a maximum, not a
    minimum); the share on the card and in "Angka lain"; per OPD on the evidence page."""
    shown = fields(audit.page.kpis["kpi-jp"], JP_CARD)
    jp = audit.jp
    value, slug = stat(audit.page, "Pemenuhan 20 JP")
    ev = audit.page.evidence["jp"]
    pairs = [
        ("kartu: proporsi", shown["share"], pct(jp["share"])),
        ("kartu: memenuhi", shown["met"], str(jp["met"])),
        ("kartu: PNS", shown["total"], str(jp["total"])),
        ("Angka lain: Pemenuhan 20 JP", value, pct(jp["share"])),
        ("Angka lain: bukti", slug, "jp"),
        ("bukti: judul", ev.title, f"Pemenuhan 20 JP per OPD ({YEAR})"),
        ("bukti: kolom", str(ev.headers), str(["OPD", "PNS", "Memenuhi", "Proporsi (%)"])),
        (
            "bukti: baris",
            str(ev.rows),
            str([[r[0], cell(r[1]), cell(r[2]), cell(r[3] * 100)] for r in jp["rows"]]),
        ),
    ]
    [(_t, _s, chart)] = [c for c in audit.page.charts if c[1] == "jp"]
    labels = [num(m / n * 100, 1) for _name, n, m, _s in jp["rows"]]
    pairs.append(("grafik per OPD", str([x for x in chart if "," in x]), str(labels)))
    check(pairs)


def test_participation_sentence_counts_invitations(audit: Audit) -> None:
    """ "X dari Y undangan pelatihan diselesaikan; Z ditolak": of the invitations to the year's
    batches, those completed, and those declined. Participants recorded after the fact from a
    held training's attendance list were never invited (docs/leadership.md: that case has its
    own sentence, "peserta terdaftar ... dari daftar hadir")."""
    shown = fields(audit.page.kpis["kpi-jp"], JP_CARD)
    f = audit.funnel
    check(
        [
            ("undangan diselesaikan", shown["done"], str(f["invitations_completed"])),
            ("undangan", shown["invited"], str(f["invitations"])),
            ("ditolak", shown["declined"], str(f["declined"])),
        ],
        f"the page counts every enrolment ({f['enrolments']}) and every completion "
        f"({f['completed']}), the held training's participants included",
    )


def test_funnel_evidence_counts_employees(audit: Audit) -> None:
    """The funnel's evidence table, column "Keikutsertaan": enrolments per stage (a person in
    two programmes counts twice, as the header says); "Menerima" are the invited who accepted
    (a held training's participants accepted nothing)."""
    ev = audit.page.evidence["corong"]
    assert ev.title == f"Corong partisipasi ({YEAR})"
    assert ev.headers == ["Tahap", "Keikutsertaan"]
    want = [
        [stage, str(n)]
        for (stage, _people), n in zip(
            audit.funnel["table"], audit.funnel["table_in_enrolments"], strict=True
        )
    ]
    pairs = [
        (f"bukti: {w[0]}", s[1] if s[0] == w[0] else f"{s[0]}={s[1]}", w[1])
        for s, w in zip(ev.rows, want, strict=True)
    ]
    [(_t, _s, chart)] = [c for c in audit.page.charts if c[1] == "corong"]
    pairs.append(("grafik corong", str(chart[-len(want) :]), str([w[1] for w in want])))
    check(
        pairs,
        f"in employees: {audit.funnel['table']}",
    )


def test_completion_rate_card(audit: Audit) -> None:
    """ "Tingkat penyelesaian": completions over everyone registered for the year's batches
    (the evidence it links to, the funnel, gives both numbers)."""
    value, slug = stat(audit.page, "Tingkat penyelesaian")
    rows = {r[0]: r[1] for r in audit.page.evidence["corong"].rows}
    from_evidence = share(int(rows["Menyelesaikan"]), int(rows["Terdaftar"]))
    check(
        [
            ("Tingkat penyelesaian", value, pct(audit.funnel["completion_rate"])),
            (
                "catatan",
                audit.page.notes["Tingkat penyelesaian"],
                f"{audit.funnel['completed']} dari {audit.funnel['enrolments']} keikutsertaan "
                "(termasuk yang menolak)",
            ),
            ("dari halaman bukti", value, pct(from_evidence)),
            ("bukti", slug, "corong"),
        ]
    )


# --- Angka utama: L3 follow-up by the atasan ---------------------------------------------------

L3_CARD = (
    r"\(3 dan 6 bulan setelah pelatihan\) (?P<share>\S+) (?P<answered>\d+) dari (?P<due>\d+) "
    r"penilaian yang sudah jatuh tempo telah diisi\. (?:(?P<escalated>\d+) diteruskan ke atasan "
    r"penilai karena terlambat\. )?(?P<upcoming>\d+) lagi belum jatuh tempo\."
)


def test_l3_card_counts_the_atasans_ratings_that_are_due(audit: Audit) -> None:
    """ "Penilaian perilaku oleh atasan (3 dan 6 bulan setelah pelatihan)": the atasan's
    behaviour ratings due 3 and 6 months after training in the year; "a dari d ... yang sudah
    jatuh tempo telah diisi" counts the answered among those due by now."""
    shown = fields(audit.page.kpis["kpi-l3"], L3_CARD)
    f, anyone = audit.followups, audit.followups_any_rater
    check(
        [
            ("proporsi diisi", shown["share"], pct(f["share"])),
            ("diisi", shown["answered"], str(f["answered_due"])),
            ("jatuh tempo", shown["due"], str(f["due"])),
            ("diteruskan", shown["escalated"] or "0", str(f["escalated"])),
            ("belum jatuh tempo", shown["upcoming"], str(f["upcoming"])),
        ],
        f"with the participants' self-ratings too: {anyone['answered_due']} of {anyone['due']} "
        f"due answered; {anyone['answered']} answered in all (incl. not yet due), "
        f"{anyone['waiting']} waiting, {anyone['escalated']} escalated, {anyone['upcoming']} "
        "upcoming unanswered",
    )


def test_l3_evidence_table(audit: Audit) -> None:
    """The evidence page: the atasan's ratings by state (filled in, due and waiting, escalated,
    not yet due); its chart prints the same counts."""
    ev = audit.page.evidence["tindak_lanjut"]
    f = audit.followups
    want = [
        ["Sudah diisi", str(f["answered"])],
        ["Jatuh tempo, belum diisi", str(f["waiting"])],
        ["Diteruskan ke atasan penilai", str(f["escalated"])],
        ["Belum jatuh tempo", str(f["upcoming"])],
    ]
    [(_t, _s, chart)] = [c for c in audit.page.charts if c[1] == "tindak_lanjut"]
    check(
        [
            (
                "judul",
                ev.title,
                f"Penilaian perilaku oleh atasan 3 dan 6 bulan setelah pelatihan ({YEAR})",
            ),
            *((f"bukti: {w[0]}", s[1], w[1]) for s, w in zip(ev.rows, want, strict=True)),
            ("grafik", str(chart[-4:]), str([w[1] for w in want])),
        ]
    )


# --- Angka lain and their evidence ------------------------------------------------------------


def test_programme_table(audit: Audit) -> None:
    """ "Program terbaik dan terlemah (peningkatan belajar + penyelesaian)": per programme of the
    year's batches the invitations, completions, completion share, mean normalised learning
    gain (Hake, from the pre- and post-test) and reaction index, ranked by gain + completion;
    the chart prints each programme's gain."""
    ev = audit.page.evidence["program"]
    rows = audit.programmes["rows"]
    want = [[r[0], cell(r[1]), cell(r[2]), cell(r[3] * 100), *map(cell, r[4:])] for r in rows]
    assert ev.headers == [
        "Program",
        "Terdaftar",
        "Selesai",
        "Penyelesaian (%)",
        "Peningkatan belajar rata-rata",
        "Indeks reaksi (penyelenggaraan)",
    ]
    pairs = [
        (f"{w[0]} / {h}", s, x)
        for shown, w in zip(ev.rows, want, strict=True)
        for h, s, x in zip(ev.headers, shown, w, strict=True)
    ]
    [(_t, _s, chart)] = [c for c in audit.page.charts if c[1] == "program"]
    pairs.append(("grafik", str(chart[-len(rows) :]), str([num(r[4], 2) for r in rows])))
    check(
        pairs,
        "a held training's participants were registered from its attendance list, not invited",
    )


def test_reaction_and_learning_gain_cards(audit: Audit) -> None:
    """ "Indeks reaksi rata-rata" and "Peningkatan belajar rata-rata" link to the programme
    table: the average of its column over the programmes that have one (reaction) and the mean
    of every participant's normalised gain (learning, as the dashboard's docs say: "the mean
    learning gain")."""
    p = audit.programmes
    reaction, slug_r = stat(audit.page, "Indeks reaksi rata-rata")
    gain, slug_g = stat(audit.page, "Peningkatan belajar rata-rata")
    check(
        [
            ("Indeks reaksi rata-rata", reaction, num(p["reaction_card"], 2)),
            (
                "catatan",
                audit.page.notes["Indeks reaksi rata-rata"],
                "indeks penyelenggaraan (L1), rata-rata dari "
                f"{p['reaction_programmes']} program (0–100)",
            ),
            ("Peningkatan belajar rata-rata", gain, num(p["gain_card"], 2)),
            ("bukti", f"{slug_r} {slug_g}", "program program"),
        ],
        f"reaction pooled over all answers {num(p['reaction_pooled'], 2)}; gain averaged over "
        f"programmes {num(p['gain_by_programme'], 2)}",
    )


def test_behaviour_card_and_table(audit: Audit) -> None:
    """ "Perubahan perilaku menurut atasan (sesudah − sebelum)": the atasan's mean behaviour
    rating 6 months after training (3 months where there is none yet) minus their mean before,
    ratings submitted in the year or the year before; the evidence page gives the three means."""
    b, everyone = audit.behaviour_atasan, audit.behaviour
    value, slug = stat(audit.page, "Perubahan perilaku menurut atasan (sesudah − sebelum)")
    ev = audit.page.evidence["perilaku"]
    want = [
        ["Sebelum", cell(b["sebelum"])],
        ["3 bulan setelah", cell(b["3bulan"])],
        ["6 bulan setelah", cell(b["6bulan"])],
    ]
    check(
        [
            ("Perubahan perilaku", value, num(b["change"], 2)),
            ("bukti", slug, "perilaku"),
            ("judul", ev.title, "Perubahan perilaku (rata-rata penilaian atasan)"),
            *((f"bukti: {w[0]}", s[1], w[1]) for s, w in zip(ev.rows, want, strict=True)),
        ],
        f"self-ratings mixed in: change {num(everyone['change'], 2)}",
    )


def test_ikm_per_month_table_and_card(audit: Audit) -> None:
    """Monthly IKM (PermenPANRB 14/2017) of the service units of OPDs with at least one employee
    who completed a programme, and of the other OPDs' units (mean over units); the card is the
    trained OPDs' last month with a figure."""
    m = audit.ikm_monthly
    value, slug = stat(audit.page, "IKM OPD terlatih (bulan terakhir yang berisi)")
    ev = audit.page.evidence["ikm"]
    months = SHORT_MONTHS
    want = [[months[i], cell(t), cell(o)] for i, (t, o) in enumerate(m["rows"])]
    check(
        [
            ("IKM OPD terlatih (bulan terakhir yang berisi)", value, num(m["card"], 2)),
            (
                "catatan: bulannya",
                audit.page.notes["IKM OPD terlatih (bulan terakhir yang berisi)"],
                f"{MONTHS.split()[m['card_month'] - 1]} {YEAR}",
            ),
            ("bukti", slug, "ikm"),
            *(
                (f"{w[0]} / {h}", s, x)
                for shown, w in zip(ev.rows, want, strict=True)
                for h, s, x in zip(ev.headers, shown, w, strict=True)
            ),
        ]
    )


def test_complaint_resolution_medians(audit: Audit) -> None:
    """ "Median penyelesaian pengaduan (hari kerja)": the Kaplan–Meier median working days to
    resolve the complaints received in the year (still open: censored at today; archived, i.e.
    closed without resolution: censored at the archive day, as the report's impact section
    does); per month of receipt for trained OPDs and the others on the evidence page."""
    c, alt = audit.complaints, audit.complaints_archive_resolves
    value, slug = stat(audit.page, "Median penyelesaian pengaduan (hari kerja)")
    ev = audit.page.evidence["pengaduan"]
    months = SHORT_MONTHS
    want = [[months[i], cell(t), cell(o)] for i, (t, o) in enumerate(c["rows"])]
    counted = [[months[i], cell(t), cell(o)] for i, (t, o) in enumerate(alt["rows"])]
    check(
        [
            ("Median penyelesaian pengaduan", value, num(c["card"], 2)),
            ("bukti", slug, "pengaduan"),
            *(
                (f"{w[0]} / {h}", s, x)
                for shown, w in zip(ev.rows, want, strict=True)
                for h, s, x in zip(ev.headers, shown, w, strict=True)
            ),
        ],
        f"with an archived complaint counted as resolved: card {num(alt['card'], 2)}, "
        f"months {counted}",
    )


def test_ip_asn(audit: Audit) -> None:
    """ "IP ASN rata-rata" and "Sebaran IP ASN": each active employee's IP ASN as of 31 December
    (PermenPANRB 38/2018, Peraturan BKN 8/2019: kualifikasi + kompetensi + kinerja + disiplin),
    their mean and their count per category (≤ 60 Sangat Rendah … > 90 Sangat Tinggi)."""
    ip = audit.ip
    value, slug = stat(audit.page, "IP ASN rata-rata")
    ev = audit.page.evidence["ip_asn"]
    [(_t, _s, chart)] = [c for c in audit.page.charts if c[1] == "ip_asn"]
    check(
        [
            ("IP ASN rata-rata", value, num(ip["mean"], 2)),
            (
                "catatan",
                audit.page.notes["IP ASN rata-rata"],
                f"{ip['n']} pegawai; {ip['without_skp']} tanpa SKP, kinerjanya dihitung 0,00",
            ),
            ("bukti", slug, "ip_asn"),
            ("judul", ev.title, f"Sebaran IP ASN ({YEAR})"),
            ("bukti: baris", str(ev.rows), str([[k, str(n)] for k, n in ip["rows"]])),
            ("grafik", str(chart[-5:]), str([str(n) for _k, n in ip["rows"]])),
        ]
    )


REKOMENDASI = (
    r"Rekomendasi yang belum selesai (?P<live>\d+) (?P<open>\d+) belum dimulai, (?P<progress>\d+) "
    r"sedang dikerjakan\.(?: (?P<overdue>\d+) melewati tenggat\.)? (?P<urgent>.*) Semua rekomendasi"
)


def test_recommendations_card(audit: Audit) -> None:
    """ "Rekomendasi yang belum selesai": open and in progress, the overdue ones, and the three
    most urgent (earliest deadline first) linked to their pages."""
    r = audit.recommendations
    shown = fields(audit.page.kpis["kpi-rekomendasi"], REKOMENDASI)
    urgent = " ".join(f"{text} · tenggat {long_date(due)}" for _pk, text, due in r["urgent"])
    links = [f"/laporan/rekomendasi/{pk}/" for pk, _t, _d in r["urgent"]]
    check(
        [
            ("belum selesai", shown["live"], str(r["open"] + r["in_progress"])),
            ("belum dimulai", shown["open"], str(r["open"])),
            ("sedang dikerjakan", shown["progress"], str(r["in_progress"])),
            ("melewati tenggat", shown["overdue"] or "0", str(r["overdue"])),
            ("paling mendesak", shown["urgent"], urgent),
            ("tautan", str(audit.page.kpi_links["kpi-rekomendasi"][:-1]), str(links)),
        ]
    )


def test_every_figure_is_audited_and_links_to_its_evidence(audit: Audit) -> None:
    """No figure on the page escapes this audit: the four headline cards, the eight smaller
    figures and the charts are the ones checked above, and each links to the evidence page
    of its own figure (the year kept)."""
    page = audit.page
    assert sorted(page.kpis) == ["kpi-jp", "kpi-l3", "kpi-layanan", "kpi-rekomendasi"]
    assert page.kpi_links["kpi-layanan"] == ["/laporan/dasbor/bukti/layanan/?year=2025"]
    assert page.kpi_links["kpi-jp"] == ["/laporan/dasbor/bukti/jp/?year=2025"]
    assert page.kpi_links["kpi-l3"] == ["/laporan/dasbor/bukti/tindak_lanjut/?year=2025"]
    assert [(label, slug) for label, _v, slug in page.stats] == [
        ("Pemenuhan 20 JP", "jp"),
        ("Tingkat penyelesaian", "corong"),
        ("Indeks reaksi rata-rata", "program"),
        ("Peningkatan belajar rata-rata", "program"),
        ("Perubahan perilaku menurut atasan (sesudah − sebelum)", "perilaku"),
        ("IKM OPD terlatih (bulan terakhir yang berisi)", "ikm"),
        ("Median penyelesaian pengaduan (hari kerja)", "pengaduan"),
        ("IP ASN rata-rata", "ip_asn"),
    ]
    assert [(title, slug) for title, slug, _x in page.charts] == [
        ("IKM sebelum dan sesudah pelatihan", "layanan"),
        ("Pengaduan selesai tepat waktu (%)", "layanan"),
        ("Pemenuhan 20 JP per OPD (%)", "jp"),
        ("Corong partisipasi", "corong"),
        ("Peningkatan belajar per program", "program"),
        ("Penilaian perilaku oleh atasan", "tindak_lanjut"),
        ("IKM per bulan: OPD terlatih dan OPD lain", "ikm"),
        ("Lama penyelesaian pengaduan (median hari kerja)", "pengaduan"),
        ("Sebaran IP ASN", "ip_asn"),
    ]
