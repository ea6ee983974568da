"""The held training of the bkpsdm-2025 sample files, built through the actions: a programme
with one finished batch (24–26 June 2025) and the 60 participants of the panitia's score recap,
created with the factories from the file's own NIPs and names."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from kompeten.core.importing import read_file
from kompeten.learning.models import Batch, Programme
from kompeten.participation.actions.enrolment import do_accept, do_invite
from kompeten.people.models import Employee
from tests import factories
from tests.participation.builders import at, make_batch, make_programme

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "bkpsdm-2025"
SCORES = SAMPLES / "Nilai Pre Post Test Pelayanan Prima.xlsx"
REACTION = SAMPLES / "Evaluasi Penyelenggaraan Pelatihan Pelayanan Prima (Responses).csv"
START = date(2025, 6, 24)


def recap_people() -> list[tuple[str, str]]:
    """(NIP, name) of every participant in the score recap, as written there."""
    table = read_file(SCORES.read_bytes(), SCORES.name)
    out = []
    for row in table.rows:
        if len(row) > 2 and isinstance(row[1], str) and row[1].strip().isdigit():
            out.append((row[1].strip(), str(row[2]).strip()))
    return out


def held_training(world, code: str = "PP-2025") -> tuple[Programme, Batch, list[Employee]]:  # type: ignore[no-untyped-def]
    programme = make_programme(world.instansi, "Pelayanan Prima dan Etika Kerja ASN", code=code)
    batch = make_batch(
        programme,
        [(START + timedelta(days=n), 8, 16) for n in range(3)],
        capacity=80,
    )
    people = []
    for nip, name in recap_people():
        born = date(int(nip[:4]), int(nip[4:6]), int(nip[6:8]))
        sex = "L" if nip[14] == "1" else "P"
        people.append(factories.make_employee(world.beta, name, nip=nip, birth_date=born, sex=sex))
    early = at(START - timedelta(days=20), 9)
    for employee in people:
        enrolment = do_invite(
            batch=batch, employee=employee, actor=world.alice, notify=False, now=early
        )
        do_accept(enrolment=enrolment, actor=None, now=early)
    return programme, batch, people
