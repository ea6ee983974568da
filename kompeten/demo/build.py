"""The deterministic Sawahlunto demo, built through the same actions users call.

Each step takes the `DemoContext` and adds its part; later modules append their steps to STEPS.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TextIO

from django.db import transaction
from django.db.models import Case, Value, When
from django.utils import timezone

from kompeten.core.models import Instansi, Role, User
from kompeten.demo.evaluation import step_evaluation
from kompeten.demo.history import step_history
from kompeten.demo.learning import step_learning
from kompeten.demo.org import OrgSpec, build_org
from kompeten.demo.participation import step_participation
from kompeten.demo.people import PeopleGenerator, build_people
from kompeten.demo.reports import step_reports
from kompeten.demo.service import step_service
from kompeten.people.actions import do_create_user, do_provision_accounts
from kompeten.people.models import Employee, Unit

DEMO_PASSWORD = "sawahlunto2026"  # noqa: S105 - the published demo password
INSTANSI_CODE = "sawahlunto"


@dataclass(frozen=True)
class StepTiming:
    """Wall-clock and CPU seconds one demo step took."""

    name: str
    wall: float
    cpu: float


@contextmanager
def _timed(name: str, timings: list[StepTiming], out: TextIO) -> Iterator[None]:
    wall, cpu = time.perf_counter(), time.process_time()
    yield
    timing = StepTiming(name, time.perf_counter() - wall, time.process_time() - cpu)
    timings.append(timing)
    out.write(f"    ({timing.wall:.1f} s, CPU {timing.cpu:.1f} s)\n")
    out.flush()


@dataclass
class DemoContext:
    instansi: Instansi
    units: dict[str, tuple[Unit, OrgSpec]]
    people: PeopleGenerator
    out: TextIO
    users: dict[str, User] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    timings: list[StepTiming] = field(default_factory=list)

    def unit(self, code: str) -> Unit:
        return self.units[code][0]

    def say(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()


def step_accounts(ctx: DemoContext) -> None:
    instansi = ctx.instansi
    bkpsdm_staff = (
        Employee.objects.filter(unit=ctx.unit("BKPSDM"), jabatan_kind="fungsional")
        .order_by("nip")
        .first()
    )
    # (key in ctx.users, username, role, name, what else the account is tied to)
    accounts: list[tuple[str, str, Role, str, dict[str, Any]]] = [
        ("admin", "admin", Role.ADMIN, "Admin BKPSDM", {}),
        ("pimpinan", "pimpinan", Role.PIMPINAN, "Pimpinan Daerah", {}),
        (
            "pengelola",
            "pengelola.dukcapil",
            Role.PENGELOLA,
            "Pengelola Disdukcapil",
            {"managed_unit": ctx.unit("DUKCAPIL")},
        ),
        (
            "fasilitator",
            "fasilitator",
            Role.FASILITATOR,
            "Fasilitator BKPSDM",
            {"employee": bkpsdm_staff},
        ),
    ]
    for key, username, role, name, tied_to in accounts:
        ctx.users[key] = do_create_user(
            instansi=instansi,
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            first_name=name,
            **tied_to,
        )
    admin = ctx.users["admin"]
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    # the demo's published password, shared on purpose; real accounts get activation letters
    count = len(
        do_provision_accounts(
            instansi=instansi,
            employees=list(Employee.objects.filter(instansi=instansi).order_by("nip")),
            password=DEMO_PASSWORD,
            actor=admin,
        )
    )
    ctx.say(f"  {count} akun pegawai (login dengan NIP)")


STEPS: list[tuple[str, Callable[[DemoContext], None]]] = [
    ("akun", step_accounts),
    ("riwayat pengembangan kompetensi (sertifikat terdahulu)", step_history),
    ("kebutuhan dan program (AKP, usulan, program, angkatan)", step_learning),
    (
        "jadwal dan partisipasi (kalender tugas, perencana, presensi, JP, insentif)",
        step_participation,
    ),
    ("layanan publik (SKM, pengaduan)", step_service),
    ("evaluasi (L1–L5)", step_evaluation),
    ("laporan, siklus evaluasi dan dasbor pimpinan", step_reports),
]


def demo_exists() -> bool:
    return Instansi.objects.filter(code=INSTANSI_CODE).exists()


def build_demo(out: TextIO) -> DemoContext:
    """Build the demo; each step's wall and CPU time is printed and kept in `ctx.timings`."""
    timings: list[StepTiming] = []
    with _timed("unit kerja dan pegawai", timings, out), transaction.atomic():
        instansi = Instansi.objects.create(
            name="Pemerintah Kota Sawahlunto",
            code=INSTANSI_CODE,
            kind=Instansi.Kind.KOTA,
            bps_code="1373",
            province="Sumatera Barat",
            is_synthetic=True,
        )
        out.write("Membangun demo Sawahlunto (data sintetis)\n")
        units = build_org(instansi)
        out.write(f"  {len(units)} unit kerja\n")
        people = build_people(instansi, units)
        out.write(f"  {len(people.created)} pegawai fiktif\n")
        ctx = DemoContext(instansi=instansi, units=units, people=people, out=out, timings=timings)
    for name, step in STEPS:
        ctx.say(f"- {name}")
        with _timed(name, timings, out), transaction.atomic():
            step(ctx)
    return ctx


def demo_logins() -> list[tuple[str, str, str]]:
    """(role, username, note) for the README and `make demo`'s banner."""
    rows: list[tuple[str, str, str]] = []
    for username, role in (
        ("admin", "Admin BKPSDM"),
        ("pengelola.dukcapil", "Pengelola OPD (Disdukcapil)"),
        ("fasilitator", "Fasilitator"),
        ("pimpinan", "Pimpinan"),
    ):
        if User.objects.filter(username=username).exists():
            rows.append((role, username, ""))
    staff = demo_pegawai()
    if staff is not None and staff.supervisor is not None:
        atasan = staff.supervisor
        rows.append((f"Atasan ({atasan.jabatan_name})", atasan.nip, atasan.full_name))
        rows.append((f"Pegawai ({staff.jabatan_name})", staff.nip, staff.full_name))
    return rows


def demo_pegawai() -> Employee | None:
    """The demo's Pegawai: a Disdukcapil pelaksana (II/c–III/b), under a Kepala Seksi when one
    qualifies, with a history: a programme finished this year (certificate, JP, reaction
    questionnaire) and certificates of earlier years in the JP ledger."""
    from kompeten.evaluation.models import InstrumentKind, Response

    answered = Response.objects.filter(kind=InstrumentKind.REACTION).values("subject_id")
    return (
        Employee.objects.filter(
            instansi__code=INSTANSI_CODE,
            unit__code="DUKCAPIL",
            jabatan_kind="pelaksana",
            status="PNS",
            golongan__in=["II/c", "II/d", "III/a", "III/b"],
            supervisor__jabatan_kind__in=["pengawas", "administrator"],
            certificates__enrolment__isnull=False,
            external_certificates__end_date__year__lt=timezone.localdate().year,
            pk__in=answered,
        )
        .annotate(
            under_kasi=Case(
                When(supervisor__jabatan_name__startswith="Kepala Seksi", then=Value(0)),
                default=Value(1),
            )
        )
        .select_related("supervisor")
        .order_by("under_kasi", "nip")
        .first()
    )
