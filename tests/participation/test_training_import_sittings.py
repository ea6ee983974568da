"""A held training's attendance list whose days are split into sittings (pagi and siang, sesi 1
and sesi 2): the columns read as days of sittings, written as the panitia write them, in one
header row ("Senin Pagi", "24/06 Siang", "Hari 1 Sesi 2") or two ("HARI I" merged over
"PAGI | SIANG"); a held batch's day shared out between its sittings, a session each, the marks
recorded per sitting and the attendance share and completion counted over sittings."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
import xlsxwriter
from django.core.exceptions import ValidationError
from django.utils import timezone

from kompeten.core import importing as imp
from kompeten.core.models import AuditLog
from kompeten.learning.actions.batches import BatchInput, do_create_batch, do_create_held_batch
from kompeten.learning.models import Batch, Programme, Session
from kompeten.participation.actions.held import do_enrol_held, do_record_day_attendance
from kompeten.participation.imports import day_layout, read_day_column
from kompeten.participation.models import Attendance, CompletionRule, Enrolment, JpEntry
from tests import factories
from tests.participation.builders import make_programme
from tests.participation.test_training_import import plan

# Monday 13 to Wednesday 15 October 2025: three working days, no holiday
MON, TUE, WED = DAYS = date(2025, 10, 13), date(2025, 10, 14), date(2025, 10, 15)
OPTIONS = {"programme": "PS-2025", "start": "2025-10-13", "end": "2025-10-15"}
# 30 JP of 45 minutes over three days: 450 minutes a day, 225 a sitting
JP, DAY_MINUTES = 30, 450
PEOPLE = ("Ani Lestari", "Budi Santoso", "Citra Dewi")
# Ani at all six sittings; Budi at five (sick on Wednesday afternoon); Citra mornings only
MARKS = (
    ["√", "√", "√", "√", "√", "√"],
    ["√", "H", "hadir", "√", "√", "S"],
    ["√", "", "√", "-", "07:45", "A"],
)
ONE_ROW = {
    "weekdays": [
        f"{day} {part}" for day in ("Senin", "Selasa", "Rabu") for part in ("Pagi", "Siang")
    ],
    "numbered days": [f"Hari {n} {part}" for n in ("I", "II", "III") for part in ("Pagi", "Siang")],
    "day and month": [f"{d}/10 {part}" for d in (13, 14, 15) for part in ("Pagi", "Siang")],
    "sessions": [f"Hari {n} Sesi {k}" for n in (1, 2, 3) for k in (1, 2)],
}
TWO_ROWS = {
    "HARI I over PAGI | SIANG": (["HARI I", "HARI II", "HARI III"], ["PAGI", "SIANG"]),
    "a date over PAGI | SIANG": (["13-10-2025", "14-10-2025", "15-10-2025"], ["PAGI", "SIANG"]),
    "HARI I over I | II": (["HARI I", "HARI II", "HARI III"], ["I", "II"]),
}


def attendance_list(world, headers, marks=MARKS, over=None) -> bytes:  # type: ignore[no-untyped-def]
    """The panitia's list: a title, ``NO | NIP | NAMA | UNIT KERJA`` and the day columns, a row
    per person; ``over``: a first header row of days, each a cell merged over its sittings
    (``headers`` the second row, the sittings of every day in turn)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Daftar Hadir")
    sheet.write_row(0, 0, ["DAFTAR HADIR PESERTA"])
    head = ["NO", "NIP", "NAMA", "UNIT KERJA"]
    row = 2
    if over is not None:
        sheet.write_row(row, 0, head)
        width = len(headers) // len(over)
        for n, day in enumerate(over):
            first = len(head) + n * width
            sheet.merge_range(row, first, row, first + width - 1, day)
        row += 1
    sheet.write_row(row, 0, ([None] * len(head) if over is not None else head) + headers)
    for n, (name, cells) in enumerate(zip(PEOPLE, marks, strict=False), start=1):
        person = factories.make_employee(world.layanan, name)
        sheet.write_row(row + n, 0, [n, person.nip, name, "Bidang Layanan", *cells])
    book.close()
    return buffer.getvalue()


def _batch_input(code: str = "PS-1", end: date = WED) -> BatchInput:
    """Angkatan I, from Monday to ``end``, in the Aula."""
    return BatchInput(
        code=code, name="Angkatan I", capacity=3, start_date=MON, end_date=end, location="Aula"
    )


def planned(world, data: bytes, options=OPTIONS):  # type: ignore[no-untyped-def]
    """``data`` planned into PS-2025 (30 JP; completion: 80 % of the minutes, no post-test)."""
    if not Programme.objects.filter(code="PS-2025").exists():
        programme = make_programme(world.instansi, "Pelayanan Publik", code="PS-2025", jp=str(JP))
        CompletionRule.objects.create(
            programme=programme, min_attendance_pct=Decimal("80"), requires_posttest=False
        )
    return plan(world, options, data=data)


# --- reading the columns ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "day", "order", "sitting"),
    [
        ("Senin Pagi", "Senin", 1, "pagi"),
        ("Hari I Siang", "Hari I", 2, "siang"),
        ("24/06 Sore", "24/06", 3, "sore"),
        ("Hari 1 Sesi 2", "Hari 1", 2, "sesi 2"),
        ("HARI I / PAGI", "HARI I", 1, "pagi"),
        ("HARI II / II", "HARI II", 2, "II"),
        ("24-06-2025 / 2", "24-06-2025", 2, "2"),
        ("24-06-2025 (Siang)", "24-06-2025", 2, "siang"),
        ("Hari I Pagi (2)", "Hari I", 1, "pagi"),  # the engine's name for a repeated header
        # not sittings: a whole day, as always
        ("TANDA TANGAN / HARI I 24-06-2025", "TANDA TANGAN / HARI I 24-06-2025", 0, ""),
        ("HARI / 2", "HARI / 2", 0, ""),  # days numbered under HARI, not sittings
        ("Sesi 3", "", 3, "sesi 3"),
    ],
)
def test_a_day_columns_header_names_its_day_and_its_sitting(header, day, order, sitting):
    column = read_day_column(header)
    assert (column.day, column.order, column.sitting) == (day, order, sitting)


@pytest.mark.parametrize("style", list(ONE_ROW))
def test_day_columns_split_in_one_header_row_are_read_as_three_days_of_two_sittings(world, style):
    the_plan = planned(world, attendance_list(world, ONE_ROW[style]))
    assert the_plan.ctx is not None
    assert the_plan.ctx.lookups["days"] == [MON, TUE, WED]
    assert the_plan.ctx.lookups["layout"].columns == [[0, 1], [2, 3], [4, 5]]
    parts = "sesi 1, sesi 2" if style == "sessions" else "pagi, siang"
    assert f"Kolom dibaca sebagai 3 hari, masing-masing 2 sesi ({parts})." in the_plan.ctx.notes


@pytest.mark.parametrize("style", list(TWO_ROWS))
def test_a_day_merged_over_its_sittings_is_read_as_one_day(world, style):
    days, parts = TWO_ROWS[style]
    the_plan = planned(world, attendance_list(world, parts * 3, over=days))
    assert the_plan.ctx is not None
    assert the_plan.headers[4:6] == [f"{days[0]} / {parts[0]}", f"{days[0]} / {parts[1]}"]
    assert the_plan.ctx.lookups["days"] == [MON, TUE, WED]
    assert the_plan.ctx.lookups["layout"].columns == [[0, 1], [2, 3], [4, 5]]


def test_sittings_are_put_in_the_days_order_whatever_the_columns_order(world):
    headers = ["Hari I Siang", "Hari I Pagi", "Hari II Pagi", "Hari II Siang"]
    the_plan = planned(world, attendance_list(world, headers, marks=[["√"] * 4]))
    assert the_plan.ctx is not None
    assert the_plan.ctx.lookups["layout"].columns == [[1, 0], [2, 3]]


def test_a_day_with_one_sitting_column_in_a_split_list_is_one_day(world):
    headers = ["Hari I Pagi", "Hari I Siang", "Hari II Pagi", "Hari II Siang", "Hari III"]
    the_plan = planned(world, attendance_list(world, headers, marks=[["√"] * 5]))
    assert the_plan.ctx is not None
    assert the_plan.ctx.lookups["layout"].columns == [[0, 1], [2, 3], [4]]
    assert (
        "Kolom dibaca sebagai 3 hari, 5 sesi: Hari I (pagi, siang), Hari II (pagi, siang), "
        "Hari III (1 sesi)."
    ) in the_plan.ctx.notes


def test_numbered_sessions_without_days_are_still_one_day_each(world):
    the_plan = planned(
        world, attendance_list(world, ["Sesi 1", "Sesi 2", "Sesi 3"], marks=[["√"] * 3])
    )
    assert the_plan.is_clean
    assert the_plan.ctx is not None
    assert the_plan.ctx.lookups["days"] == [MON, TUE, WED]
    assert the_plan.ctx.lookups["layout"].columns == [[0], [1], [2]]


# --- bad input ----------------------------------------------------------------------------------


def _refused(the_plan) -> str:  # type: ignore[no-untyped-def]
    """The file's one problem; nothing written when committing is tried anyway."""
    (problem,) = the_plan.problems
    assert problem.row is None and not the_plan.can_commit_partial
    with pytest.raises(imp.PlanNotClean):
        imp.commit(the_plan)
    assert not Batch.objects.exists() and not Session.objects.exists()
    assert not Enrolment.objects.exists()
    return str(problem.message)


def test_a_sitting_column_without_its_day_is_refused_by_name(world):
    headers = ["Hari I Pagi", "Hari I Siang", "Siang"]
    message = _refused(planned(world, attendance_list(world, headers, marks=[["√"] * 3])))
    assert message == (
        "Kolom Siang: sesi siang tanpa hari; tulis harinya di judul kolom (mis. HARI I PAGI) "
        "atau di sel gabungan di atas kolom sesinya."
    )


def test_a_numbered_session_without_its_day_in_a_split_list_is_refused_by_name(world):
    headers = ["Hari 1 Sesi 1", "Hari 1 Sesi 2", "Sesi 3"]
    message = _refused(planned(world, attendance_list(world, headers, marks=[["√"] * 3])))
    assert message.startswith("Kolom Sesi 3: sesi sesi 3 tanpa hari;")


def test_two_columns_for_the_same_sitting_are_refused_by_name(world):
    headers = ["Hari I Pagi", "Hari I Pagi", "Hari II Pagi"]
    message = _refused(planned(world, attendance_list(world, headers, marks=[["√"] * 3])))
    assert message == (
        "Kolom Hari I Pagi dan Hari I Pagi (2) sama-sama menandai sesi pagi pada Hari I."
    )


def test_a_whole_day_column_beside_that_days_sittings_is_refused_by_name(world):
    headers = ["Hari I", "Hari I Siang", "Hari II Pagi", "Hari II Siang"]
    message = _refused(planned(world, attendance_list(world, headers, marks=[["√"] * 4])))
    assert (
        message
        == "Kolom Hari I mencatat Hari I sehari penuh, tetapi kolom Hari I Siang hanya satu "
        "sesinya."
    )


def test_sittings_dated_outside_the_batch_are_refused(world):
    headers = [f"{d}/10 {part}" for d in (20, 21) for part in ("Pagi", "Siang")]
    message = _refused(planned(world, attendance_list(world, headers, marks=[["√"] * 4])))
    assert message.startswith("Tanggal di judul kolom (20-10-2025, 21-10-2025) di luar tanggal")


def test_sittings_on_an_existing_batch_with_one_session_a_day_are_refused_by_name(world):
    programme = make_programme(world.instansi, "Pelayanan Publik", code="PS-2025", jp=str(JP))
    batch = do_create_held_batch(
        programme,
        data=_batch_input(),
    )
    data = attendance_list(world, ONE_ROW["numbered days"])
    (problem,) = plan(world, {"programme": "PS-2025", "batch": batch.pk}, data=data).problems
    assert problem.message == (
        "Kolom Hari I Pagi, Hari I Siang: 2 sesi pada 13 Oktober 2025, tetapi angkatan ini punya "
        "1 sesi pada hari itu; sesi per kolom tidak dapat dipasangkan."
    )
    assert batch.sessions.count() == 3 and not Enrolment.objects.exists()


# --- the write ----------------------------------------------------------------------------------


def imported(world, data: bytes, options=OPTIONS):  # type: ignore[no-untyped-def]
    """The list imported into PS-2025, and the batch it is in."""
    the_plan = planned(world, data, options)
    assert the_plan.is_clean, [imp.describe_problem(p) for p in the_plan.problems]
    return imp.commit(the_plan), Batch.objects.get(programme__code="PS-2025")


def _share(batch: Batch) -> dict[str, Decimal]:
    return dict(
        Enrolment.objects.filter(batch=batch).values_list("employee__name", "attendance_pct")
    )


SITTINGS = [
    (d, *times) for d in (MON, TUE, WED) for times in (("08:00", "11:45"), ("12:45", "16:30"))
]


@pytest.mark.parametrize("style", [*ONE_ROW, *TWO_ROWS])
def test_each_sitting_is_a_session_and_attendance_and_completion_count_sittings(world, style):
    if style in ONE_ROW:
        data = attendance_list(world, ONE_ROW[style])
    else:
        days, parts = TWO_ROWS[style]
        data = attendance_list(world, parts * 3, over=days)
    outcome, batch = imported(world, data)
    assert _sessions(batch) == SITTINGS
    minutes = sum((s.end - s.start).total_seconds() // 60 for s in batch.sessions.all())
    assert minutes == JP * 45  # 1350: the programme's JP, 45 minutes each (standards.jp)
    share = _share(batch)
    assert share["Ani Lestari"] == 100
    assert share["Budi Santoso"] == pytest.approx(Decimal(500) / 6)  # 5 of 6 sittings: 83,3 %
    assert share["Citra Dewi"] == 50  # mornings only
    # 80 % of the minutes and no post-test: Ani and Budi complete, credited the programme's JP
    credited = dict(JpEntry.objects.values_list("employee__name", "minutes"))
    assert credited == {"Ani Lestari": JP * 45, "Budi Santoso": JP * 45}
    budi = Attendance.objects.filter(enrolment__employee__name="Budi Santoso")
    assert list(budi.order_by("session__start").values_list("mark", flat=True)) == [
        "hadir", "hadir", "hadir", "hadir", "hadir", "sakit",
    ]  # fmt: skip
    assert outcome.written["selesai"] == 2
    # present per sitting: Monday morning and afternoon, Tuesday's, Wednesday's
    per_sitting = [f"day {n} {d.isoformat()} {k}" for n, d in enumerate(DAYS, 1) for k in (1, 2)]
    assert [outcome.written[key] for key in per_sitting] == [3, 2, 3, 2, 3, 1]


def test_a_sittings_count_is_named_by_its_day_and_its_number():
    label = imp.get("training").count_label
    assert label("day 1 2025-10-13 2") == "hadir hari 1 (13 Oktober 2025), sesi 2"
    assert label("day 1 2025-10-13") == "hadir hari 1 (13 Oktober 2025)"


def test_a_day_with_one_sitting_column_is_one_session_of_the_whole_day(world):
    headers = ["Hari I Pagi", "Hari I Siang", "Hari II Pagi", "Hari II Siang", "Hari III"]
    outcome, batch = imported(world, attendance_list(world, headers, marks=[["√"] * 4 + [""]]))
    assert _sessions(batch) == [*SITTINGS[:4], (WED, "08:00", "15:30")]
    assert _share(batch)["Ani Lestari"] == pytest.approx(Decimal(200) / 3)  # 900 of 1350 minutes
    assert not JpEntry.objects.exists()  # 66,7 % < 80 %
    assert outcome.written["day 3 2025-10-15"] == 0


def test_importing_the_same_split_list_again_creates_nothing(world):
    data = attendance_list(world, ONE_ROW["weekdays"])
    imported(world, data)
    tables = (Programme, Batch, Session, Enrolment, Attendance, JpEntry)
    before = [model.objects.count() for model in tables]
    last_audit = AuditLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    outcome, _batch = imported(world, data)
    assert [model.objects.count() for model in tables] == before == [1, 1, 6, 3, 18, 2]
    assert outcome.written["peserta baru"] == 0 and outcome.written["selesai"] == 0
    assert not AuditLog.objects.filter(pk__gt=last_audit, action="batch.sessions.held").exists()


def test_an_existing_batch_without_sessions_gets_a_session_per_sitting(world):
    programme = make_programme(world.instansi, "Pelayanan Publik", code="PS-2025", jp=str(JP))
    batch = do_create_batch(
        programme,
        data=_batch_input(),
    )
    data = attendance_list(world, ONE_ROW["day and month"])
    the_plan = plan(world, {"programme": "PS-2025", "batch": batch.pk}, data=data)
    assert the_plan.is_clean
    imp.commit(the_plan)
    assert _sessions(batch) == SITTINGS
    assert _share(batch)["Budi Santoso"] == pytest.approx(Decimal(500) / 6)


def test_marks_per_sitting_that_do_not_pair_with_the_days_sessions_write_nothing(world):
    programme = make_programme(world.instansi, "Pelayanan Publik", jp=str(JP))
    batch = do_create_held_batch(
        programme,
        data=_batch_input(end=MON),
    )
    ani = factories.make_employee(world.layanan, "Ani Lestari")
    do_enrol_held(batch, [ani], world.alice)
    with pytest.raises(ValidationError) as exc:
        do_record_day_attendance(batch, {ani: {MON: ("hadir", "sakit")}}, world.alice)
    assert exc.value.messages == [
        "Tanggal 13-10-2025 punya 1 sesi, sedangkan daftar hadir menandai 2 sesi; kehadirannya "
        "tidak dapat dipasangkan per sesi."
    ]
    assert not Attendance.objects.exists() and batch.sessions.count() == 1


# --- a held batch's sittings --------------------------------------------------------------------


def _sessions(batch: Batch) -> list[tuple[date, str, str]]:
    return [
        (
            timezone.localtime(s.start).date(),
            f"{timezone.localtime(s.start):%H:%M}",
            f"{timezone.localtime(s.end):%H:%M}",
        )
        for s in batch.sessions.order_by("start")
    ]


def test_a_held_batchs_day_is_shared_out_between_its_sittings_morning_first(world):
    programme: Programme = make_programme(world.instansi, "Pelayanan Publik", jp=str(JP))
    batch = do_create_held_batch(
        programme,
        data=_batch_input(),
        days=[MON, TUE, WED],
        sittings={MON: 2, TUE: 2, WED: 1},
    )
    assert _sessions(batch) == [
        (MON, "08:00", "11:45"),
        (MON, "12:45", "16:30"),  # an hour's break after the morning's 225 minutes
        (TUE, "08:00", "11:45"),
        (TUE, "12:45", "16:30"),
        (WED, "08:00", "15:30"),  # one sitting: the whole day
    ]
    minutes = sum((s.end - s.start).total_seconds() // 60 for s in batch.sessions.all())
    assert minutes == JP * 45 == 3 * DAY_MINUTES


def test_a_days_odd_minutes_go_to_its_first_sittings_and_its_breaks_fit_in_twelve_hours(world):
    programme = make_programme(world.instansi, "Bimtek Panjang", jp="15.6")  # 702 minutes
    batch = do_create_held_batch(
        programme,
        data=_batch_input(code="BP-1", end=MON),
        sittings={MON: 4},
    )
    assert _sessions(batch) == [
        (MON, "08:00", "10:56"),  # 176 minutes, then 176, 175, 175
        (MON, "11:02", "13:58"),  # 6-minute breaks: the day ends by 20:00, 12 hours on
        (MON, "14:04", "16:59"),
        (MON, "17:05", "20:00"),
    ]


def test_days_of_the_month_under_their_weekday_are_days_not_sittings():
    """A list of two weeks writes the day of the month under each weekday (SENIN over 24, and
    over 1 a week later): numbers that do not run 1, 2 … under a day are no sittings."""
    weeks = ["SENIN / 24", "SELASA / 25", "RABU / 26", "SENIN / 1", "SELASA / 2", "RABU / 3"]
    layout, problem = day_layout(weeks)
    assert (problem, layout.split, layout.labels) == ("", False, weeks)
    numbered = ["HARI I / 1", "HARI I / 2", "HARI II / 1", "HARI II / 2", "HARI III / 1"]
    layout, problem = day_layout(numbered)
    assert problem == "" and layout.columns == [[0, 1], [2, 3], [4]]
    five = [f"HARI I / {n}" for n in range(1, 6)]
    assert not day_layout(five)[0].split  # five sittings a day: numbered days, not sittings
