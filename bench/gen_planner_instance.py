"""Generate a realistic planner instance (JSON interchange, see docs/planner.md).

A Pemda's year: 8 programmes, batches of 20-30 seats spread over the working days of a year
(weekdays minus national holidays), each batch 2-5 consecutive half-day or full-day sessions;
employees in units of very different sizes (a big dinas, small puskesmas and kecamatan counters),
each needing 1-3 programmes with priority 1-5 (mostly the unit's focus programmes from the needs
analysis), listed unit by unit as an export would list them; leave or official travel for about 30 % of them;
each unit with 1-3 staffing rules (morning counter, afternoon counter, Monday full service)
expanded to one dated window per working day; a few peak periods and personal preferences.

    .venv/bin/python bench/gen_planner_instance.py --employees 5000 --out var/planner-5000.json
"""

from __future__ import annotations

import argparse
import json
import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import holidays

PROGRAMMES = [
    ("PP", "Pelayanan Prima", 1.6),
    ("LD", "Literasi Digital dan SPBE", 1.4),
    ("SKP", "Penyusunan SKP dan Manajemen Kinerja", 1.2),
    ("PBJ", "Pengadaan Barang/Jasa Pemerintah", 0.8),
    ("KD", "Pengelolaan Keuangan Daerah", 0.8),
    ("ARS", "Kearsipan Dinamis", 0.7),
    ("KP", "Kepemimpinan Pengawas", 0.7),
    ("AK", "Anti Korupsi dan Integritas", 0.8),
]
UNIT_KINDS = ["Dinas", "Badan", "Puskesmas", "Kecamatan", "Kelurahan", "Bagian", "RSUD", "UPT"]
UNIT_NAMES = [
    "Kependudukan dan Pencatatan Sipil",
    "Kesehatan",
    "Pendidikan",
    "Perhubungan",
    "Sosial",
    "Penanaman Modal dan PTSP",
    "Keuangan dan Aset Daerah",
    "Kepegawaian dan PSDM",
    "Pekerjaan Umum",
    "Lingkungan Hidup",
    "Pariwisata",
    "Koperasi dan UKM",
    "Perdagangan",
    "Pertanian",
    "Perpustakaan",
]
SESSION_KINDS = {
    "full": (time(8, 0), time(16, 0)),
    "morning": (time(8, 0), time(12, 0)),
    "afternoon": (time(13, 0), time(16, 0)),
}
RULE_TEMPLATES = [
    ("Layanan loket pagi", "daily", time(8, 0), time(12, 0), (0.40, 0.70)),
    ("Layanan loket siang", "daily", time(13, 0), time(16, 0), (0.40, 0.60)),
    ("Senin layanan penuh", "monday", time(8, 0), time(16, 0), (0.55, 0.75)),
]


def working_days(year: int) -> list[date]:
    national = holidays.country_holidays("ID", years=year)
    day, out = date(year, 1, 1), []
    while day.year == year:
        if day.weekday() < 5 and day not in national:
            out.append(day)
        day += timedelta(days=1)
    return out


def _iso(day: date, moment: time) -> str:
    return datetime.combine(day, moment).isoformat(timespec="minutes")


def _nip(rng: random.Random, seen: set[str]) -> str:
    while True:
        birth = date(1965, 1, 1) + timedelta(days=rng.randrange(35 * 365))
        tmt = (max(birth.year + 20, 1990) + rng.randrange(0, 12), rng.randrange(1, 13))
        nip = (
            f"{birth:%Y%m%d}{tmt[0]:04d}{tmt[1]:02d}{rng.choice('12')}{rng.randrange(1, 1000):03d}"
        )
        if nip not in seen:
            seen.add(nip)
            return nip


def _unit_sizes(rng: random.Random, units: int, employees: int) -> list[int]:
    raw = [rng.lognormvariate(0, 0.9) for _ in range(units)]
    total = sum(raw)
    sizes = [max(6, round(r / total * employees)) for r in raw]
    while sum(sizes) > employees:
        sizes[sizes.index(max(sizes))] -= 1
    while sum(sizes) < employees:
        sizes[rng.randrange(units)] += 1
    return sizes


def generate(
    *,
    seed: int = 2026,
    employees: int = 5000,
    units: int = 40,
    batches: int = 300,
    year: int = 2026,
    leave_share: float = 0.30,
    strict: bool = False,
) -> dict[str, Any]:
    """The instance as JSON-ready data; ``strict`` raises every staffing minimum to 75-90 %."""
    rng = random.Random(seed)
    days = working_days(year)
    codes = [code for code, _name, _w in PROGRAMMES]
    out_batches = _batches(rng, days, batches)
    # units and employees
    sizes = _unit_sizes(rng, units, employees)
    unit_names = [
        f"{UNIT_KINDS[k % len(UNIT_KINDS)]} {UNIT_NAMES[k % len(UNIT_NAMES)]} {k + 1:02d}"
        for k in range(units)
    ]
    batch_ids_by_programme: dict[str, list[str]] = {}
    for b in out_batches:
        batch_ids_by_programme.setdefault(b["programme"], []).append(b["id"])
    draw = _EmployeeDraw(rng, days, leave_share, batch_ids_by_programme)
    out_employees = []
    for unit, size in zip(unit_names, sizes, strict=True):
        # the needs analysis is done per unit: most of a unit's staff need its focus programmes
        focus = rng.sample(codes, k=3)
        out_employees += [draw.employee(unit, focus) for _ in range(size)]
    # kept in unit order, as a SIMPEG export lists them: the first-come baseline sees them so
    return {
        "meta": {"generator": "bench/gen_planner_instance.py", "seed": seed, "year": year},
        "programmes": codes,
        "batches": out_batches,
        "employees": out_employees,
        "staffing": _staffing(rng, days, unit_names, sizes, strict=strict),
        "peaks": _peaks(year, unit_names),
    }


def _batches(rng: random.Random, days: list[date], batches: int) -> list[dict[str, Any]]:
    """``batches`` batches shared out by popularity, each 2-5 consecutive sessions, shuffled."""
    popularity = [w for _code, _name, w in PROGRAMMES]
    shares = [w / sum(popularity) * batches for w in popularity]
    per_programme = [math.floor(s) for s in shares]
    for k in sorted(range(len(shares)), key=lambda k: shares[k] - per_programme[k], reverse=True):
        if sum(per_programme) >= batches:
            break
        per_programme[k] += 1
    out_batches = []
    for (code, _name, _w), count in zip(PROGRAMMES, per_programme, strict=True):
        for n in range(count):
            sessions = rng.randint(2, 5)
            first = rng.randrange(len(days) - sessions)
            kind = rng.choices(list(SESSION_KINDS), weights=[0.5, 0.3, 0.2])[0]
            start, end = SESSION_KINDS[kind]
            out_batches.append(
                {
                    "id": f"{code}-{n + 1:02d}",
                    "programme": code,
                    "capacity": rng.randint(20, 30),
                    "sessions": [
                        {"start": _iso(days[first + j], start), "end": _iso(days[first + j], end)}
                        for j in range(sessions)
                    ],
                }
            )
    rng.shuffle(out_batches)
    return out_batches


@dataclass
class _EmployeeDraw:
    """Draws one employee after another from the shared ``rng`` (the order of draws is the data)."""

    rng: random.Random
    days: list[date]
    leave_share: float
    batch_ids_by_programme: dict[str, list[str]]
    seen: set[str] = field(default_factory=set)

    def employee(self, unit: str, focus: list[str]) -> dict[str, Any]:
        programmes = self._needs(focus)
        employee: dict[str, Any] = {
            "nip": _nip(self.rng, self.seen),
            "unit": unit,
            "needs": [{"programme": p, "priority": self.rng.randint(1, 5)} for p in programmes],
            "unavailable": [],
        }
        if self.rng.random() < self.leave_share:
            employee["unavailable"] = self._leave()
        preferences = self._preferences(programmes)
        if preferences is not None:
            employee["preferences"] = preferences
        return employee

    def _needs(self, focus: list[str]) -> list[str]:
        """1-3 distinct programmes, three in four from the unit's focus."""
        rng = self.rng
        codes = [code for code, _name, _w in PROGRAMMES]
        popularity = [w for _code, _name, w in PROGRAMMES]
        wanted = rng.choices([1, 2, 3], weights=[0.3, 0.45, 0.25])[0]
        programmes: list[str] = []
        while len(programmes) < wanted:
            if rng.random() < 0.75:
                code = rng.choice(focus)
            else:
                code = rng.choices(codes, weights=popularity)[0]
            if code not in programmes:
                programmes.append(code)
        return programmes

    def _leave(self) -> list[dict[str, str]]:
        """1-3 stretches of leave or official travel, mostly short."""
        rng, days = self.rng, self.days
        unavailable = []
        for _ in range(rng.choices([1, 2, 3], weights=[0.6, 0.3, 0.1])[0]):
            first = rng.randrange(len(days))
            length = rng.randint(1, 12) if rng.random() < 0.6 else rng.randint(1, 4)
            last = min(first + length - 1, len(days) - 1)
            unavailable.append(
                {
                    "start": _iso(days[first], time(0, 0)),
                    "end": _iso(days[last] + timedelta(days=1), time(0, 0)),
                }
            )
        return unavailable

    def _preferences(self, programmes: list[str]) -> dict[str, list[str]] | None:
        """One in ten prefers batches of a programme they need, one in twenty avoids some dates."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.10:
            choice = rng.choice(programmes)
            return {
                "batches": rng.sample(
                    self.batch_ids_by_programme[choice],
                    k=min(2, len(self.batch_ids_by_programme[choice])),
                )
            }
        if roll < 0.15:
            return {
                "avoid_dates": sorted(
                    {rng.choice(self.days).isoformat() for _ in range(rng.randint(1, 3))}
                )
            }
        return None


def _staffing(
    rng: random.Random, days: list[date], unit_names: list[str], sizes: list[int], *, strict: bool
) -> list[dict[str, Any]]:
    """Each unit's 1-3 staffing rules, one window per working day."""
    staffing = []
    for unit, size in zip(unit_names, sizes, strict=True):
        templates = rng.sample(RULE_TEMPLATES, k=rng.choices([1, 2, 3], weights=[0.3, 0.5, 0.2])[0])
        for label, when, start, end, (low, high) in templates:
            share = rng.uniform(0.75, 0.90) if strict else rng.uniform(low, high)
            minimum = math.ceil(share * size)
            for day in days:
                if when == "monday" and day.weekday() != 0:
                    continue
                staffing.append(
                    {
                        "unit": unit,
                        "start": _iso(day, start),
                        "end": _iso(day, end),
                        "min_present": minimum,
                        "label": label,
                    }
                )
    return staffing


def _peak(
    first: date, last: date, penalty: int, label: str, unit: str | None = None
) -> dict[str, Any]:
    """A peak period from ``first`` to ``last`` (for everyone, or for ``unit``)."""
    peak = {
        "start": _iso(first, time(0, 0)),
        "end": _iso(last, time(0, 0)),
        "penalty": penalty,
        "label": label,
    }
    return peak if unit is None else {"unit": unit, **peak}


def _peaks(year: int, unit_names: list[str]) -> list[dict[str, Any]]:
    """The year-end peak for all, the budget season for finance, school intake for education."""
    finance = [u for u in unit_names if "Keuangan" in u]
    education = [u for u in unit_names if "Pendidikan" in u]
    peaks = [_peak(date(year, 12, 1), date(year, 12, 31), 1, "Akhir tahun anggaran")]
    peaks += [
        _peak(date(year, 10, 1), date(year, 11, 30), 3, "Penyusunan APBD", unit=u) for u in finance
    ]
    peaks += [_peak(date(year, 6, 1), date(year, 7, 31), 2, "PPDB", unit=u) for u in education]
    return peaks


def add_size_arguments(parser: argparse.ArgumentParser) -> None:
    """The seed and size options of :func:`generate` (read back by :func:`generate_from`)."""
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--employees", type=int, default=5000)
    parser.add_argument("--units", type=int, default=40)
    parser.add_argument("--batches", type=int, default=300)
    parser.add_argument(
        "--strict", action="store_true", help="staffing minimums of 75-90 %% instead of 40-70 %%"
    )


def generate_from(args: argparse.Namespace) -> dict[str, Any]:
    """:func:`generate` with the options of :func:`add_size_arguments`."""
    return generate(
        seed=args.seed,
        employees=args.employees,
        units=args.units,
        batches=args.batches,
        strict=args.strict,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_size_arguments(parser)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    data = generate_from(args)
    args.out.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    print(
        f"{args.out}: {len(data['employees'])} employees, {len(data['batches'])} batches, "
        f"{len(data['staffing'])} staffing windows"
    )


if __name__ == "__main__":
    main()
