"""The deterministic Sawahlunto demo, built through the same actions users call.

Each step takes the `DemoContext` and adds its part; later modules append their steps to STEPS.

The demo's data is the site's content and is written in the site's language
(``settings.LANGUAGE_CODE``) whatever language is active; the progress lines are for the person
running it and speak the language active when the build starts (the command line's,
kompeten/cli.py). A step builds its lines inside ``with ctx.in_reader_language():`` and prints
them with ``ctx.say``; counts go through :mod:`kompeten.core.formatting`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Any, TextIO

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Value, When
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext, pgettext, pgettext_lazy

from kompeten.core import formatting
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
def _timed(name: str, timings: list[StepTiming], out: TextIO, language: str) -> Iterator[None]:
    """Time the block; print its wall and CPU seconds in ``language`` and keep them."""
    wall, cpu = time.perf_counter(), time.process_time()
    yield
    timing = StepTiming(name, time.perf_counter() - wall, time.process_time() - cpu)
    timings.append(timing)
    with translation.override(language):
        line = gettext("({wall} s, CPU {cpu} s)").format(
            wall=formatting.number(timing.wall, 1), cpu=formatting.number(timing.cpu, 1)
        )
    out.write(f"    {line}\n")
    out.flush()


@dataclass
class DemoContext:
    instansi: Instansi
    units: dict[str, tuple[Unit, OrgSpec]]
    people: PeopleGenerator
    out: TextIO
    language: str  # the progress lines' (the reader's); the data is in the site's
    users: dict[str, User] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    timings: list[StepTiming] = field(default_factory=list)

    def unit(self, code: str) -> Unit:
        return self.units[code][0]

    def in_reader_language(self) -> AbstractContextManager[None]:
        """The language of the progress lines, for the block that builds them."""
        return translation.override(self.language)

    def say(self, text: str) -> None:
        """A progress line under the current step (built in the reader's language)."""
        self.out.write(f"  {text}\n")
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
    with ctx.in_reader_language():
        ctx.say(
            ngettext(
                "{n} akun pegawai (login dengan NIP)", "{n} akun pegawai (login dengan NIP)", count
            ).format(n=formatting.number(count, 0))
        )


# (name, step): the name is said in the reader's language when the step starts
STEPS: list[tuple[str | Promise, Callable[[DemoContext], None]]] = [
    (pgettext_lazy("demo step", "akun"), step_accounts),
    (
        pgettext_lazy("demo step", "riwayat pengembangan kompetensi (sertifikat terdahulu)"),
        step_history,
    ),
    (
        pgettext_lazy("demo step", "kebutuhan dan program (AKP, usulan, program, angkatan)"),
        step_learning,
    ),
    (
        pgettext_lazy(
            "demo step",
            "jadwal dan partisipasi (kalender tugas, perencana, presensi, JP, insentif)",
        ),
        step_participation,
    ),
    (pgettext_lazy("demo step", "layanan publik (SKM, pengaduan)"), step_service),
    (pgettext_lazy("demo step", "evaluasi (L1–L5)"), step_evaluation),
    (pgettext_lazy("demo step", "laporan, siklus evaluasi dan dasbor pimpinan"), step_reports),
]


def demo_exists() -> bool:
    return Instansi.objects.filter(code=INSTANSI_CODE).exists()


def build_demo(out: TextIO) -> DemoContext:
    """Build the demo; each step's wall and CPU time is printed and kept in `ctx.timings`.

    The data is written in the site's language; what is printed to ``out`` speaks the language
    active at the call (the command line's)."""
    reader = translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(settings.LANGUAGE_CODE):
        return _build(out, reader)


def _build(out: TextIO, reader: str) -> DemoContext:
    timings: list[StepTiming] = []
    with translation.override(reader):
        first = pgettext("demo step", "unit kerja dan pegawai")
        out.write(gettext("Membangun demo Sawahlunto (data sintetis)") + "\n")
    with _timed(first, timings, out, reader), transaction.atomic():
        instansi = Instansi.objects.create(
            name="Pemerintah Kota Sawahlunto",
            code=INSTANSI_CODE,
            kind=Instansi.Kind.KOTA,
            bps_code="1373",
            province="Sumatera Barat",
            is_synthetic=True,
        )
        units = build_org(instansi)
        people = build_people(instansi, units)
        ctx = DemoContext(
            instansi=instansi,
            units=units,
            people=people,
            out=out,
            language=reader,
            timings=timings,
        )
        with ctx.in_reader_language():
            n_units, n_people = len(units), len(people.created)
            ctx.say(
                ngettext("{n} unit kerja", "{n} unit kerja", n_units).format(
                    n=formatting.number(n_units, 0)
                )
            )
            ctx.say(
                ngettext("{n} pegawai fiktif", "{n} pegawai fiktif", n_people).format(
                    n=formatting.number(n_people, 0)
                )
            )
    for name, step in STEPS:
        with ctx.in_reader_language():
            shown = str(name)
        out.write(f"- {shown}\n")
        with _timed(shown, timings, out, reader), transaction.atomic():
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
