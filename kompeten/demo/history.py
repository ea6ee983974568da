"""Demo step: each ASN's competency development before this year's programmes.

An ASN of a kota does not start with an empty record: managers took the leadership training of
their level (PKP, PKA, PKN II), fungsional the training of their jabatan, most took a technical
course at some point and a seminar or workshop in the last two years, and many pelaksana did a
20-JP e-learning this year. The certificates are written approved with their JP ledger lines
(``do_record_approved_history``: what the submit and review actions write, in bulk); the IP ASN's
kompetensi points come from the ledger (kompeten.reports.ipasn). Seeded: the same on every
build.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import ngettext

from kompeten.core import formatting
from kompeten.participation.actions.jp import ExternalInput, do_record_approved_history
from kompeten.people.models import Employee

if TYPE_CHECKING:
    from kompeten.core.models import Instansi, User
    from kompeten.demo.build import DemoContext

SEED = 20251231
PDF = b"%PDF-1.4\n% sertifikat pindaian (data sintetis)\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# leadership training of each managerial level: (form, title, JP)
LEADERSHIP = {
    "jpt": ("pkn_2", "Pelatihan Kepemimpinan Nasional Tingkat II", 360),
    "administrator": ("pka", "Pelatihan Kepemimpinan Administrator", 300),
    "pengawas": ("pkp", "Pelatihan Kepemimpinan Pengawas", 250),
}
TECHNICAL = [
    ("Pelatihan Pengelolaan Arsip Dinamis", 24),
    ("Pelatihan Penyusunan Laporan Kinerja Instansi Pemerintah", 30),
    ("Pelatihan Pengadaan Barang/Jasa Pemerintah Tingkat Dasar", 40),
    ("Pelatihan Pelayanan Publik Berbasis Standar", 24),
    ("Pelatihan Penatausahaan Keuangan Daerah (SIPD)", 32),
    ("Pelatihan Analisis Jabatan dan Beban Kerja", 30),
]
E_LEARNING = [
    ("E-learning Literasi Digital ASN", 20),
    ("E-learning Pelayanan Publik yang Inklusif", 24),
    ("E-learning Manajemen ASN dan Sistem Merit", 20),
    ("E-learning Keamanan Informasi bagi ASN", 20),
]
SEMINARS = [
    ("seminar", "Seminar Reformasi Birokrasi Tematik", 1),
    ("seminar", "Seminar Pencegahan Korupsi di Pelayanan Publik", 1),
    ("workshop", "Workshop Penyusunan Standar Pelayanan", 2),
    ("workshop", "Workshop Evaluasi SAKIP", 2),
    ("seminar", "Webinar Smart City dan Layanan Digital Daerah", 1),
]
ORGANISERS = [
    "BPSDM Provinsi Sumatera Barat",
    "Lembaga Administrasi Negara",
    "BKPSDM Kota Sawahlunto",
    "Kementerian PANRB",
]


@dataclass(frozen=True)
class Past:
    form: str
    title: str
    organiser: str
    end: date
    amount: Decimal
    unit: str
    days: int = 1


def _day(rng: random.Random, first: date, last: date) -> date:
    span = max(0, (last - first).days)
    day = first + timedelta(days=rng.randrange(span + 1))
    while day.weekday() >= 5:  # certificates end on a working day
        day -= timedelta(days=1)
    return day


# how many of the kinds of development an ASN has (probabilities of 0, 1, 2, 3 kinds): most
# have two, some all three, few one or none. A pelaksana has two kinds (a course this year and a
# seminar); the less schooled more often both (their kualifikasi points are fewer).
MANY = (0.02, 0.08, 0.70, 0.20)
PELAKSANA_BOTH = {"SLTA": 0.8, "D-III": 0.65, "D-IV": 0.5, "S-1": 0.5}


def history_of(employee: Employee, rng: random.Random, today: date) -> list[Past]:
    """The certificates one employee gathered before (and beside) this year's programmes."""
    year = today.year
    last = today - timedelta(days=1)
    kind = employee.jabatan_kind
    organiser = rng.choice(ORGANISERS)

    def post_training() -> Past:
        if kind == "fungsional":
            end = _day(rng, date(year - 10, 1, 1), date(year - 1, 11, 30))
            title = f"Pelatihan Jabatan Fungsional {employee.jabatan_name}"
            return Past(
                "pelatihan_fungsional",
                title,
                organiser,
                end,
                Decimal(rng.choice([40, 60, 80])),
                "jp",
                10,
            )
        form, title, jp = LEADERSHIP[kind]
        end = _day(rng, date(year - 12, 1, 1), date(year - 1, 11, 30))
        return Past(form, title, "BPSDM Provinsi Sumatera Barat", end, Decimal(jp), "jp", 60)

    def technical() -> Past:
        if kind == "pelaksana":  # this year's e-learning of at least 20 JP
            title, jp = rng.choice(E_LEARNING)
            end = _day(rng, date(year, 1, 15), min(last, date(year, 11, 20)))
            lan = "Lembaga Administrasi Negara"
            return Past("e_learning", title, lan, end, Decimal(jp * 45), "minute")
        title, jp = rng.choice(TECHNICAL)
        end = _day(rng, date(year - 8, 1, 1), date(year - 1, 11, 30))
        return Past("pelatihan", title, organiser, end, Decimal(jp * 45), "minute", 5)

    def seminar() -> Past:
        form, title, days = rng.choice(SEMINARS)
        end = _day(rng, date(year - 1, 1, 10), min(last, date(year, 11, 20)))
        return Past(form, title, organiser, end, Decimal(days), "day", days)

    makers: list[Callable[[], Past] | None]
    if kind == "pelaksana":
        if rng.random() < PELAKSANA_BOTH.get(employee.education, 0.5):
            makers = [technical, seminar]
        else:
            makers = [rng.choices([technical, seminar, None], [55, 38, 7])[0]]
    else:
        n = rng.choices(range(4), MANY)[0]
        kinds = [post_training, technical, seminar]
        if n == 2 and rng.random() < 0.8:  # the post's own training comes first
            makers = [post_training, rng.choice([technical, seminar])]
        else:
            makers = rng.sample(kinds, n)
    out = [make() for make in makers if make is not None]
    if kind == "pelaksana" and employee.unit.code == "DUKCAPIL":
        # the counter staff's yearly technical guidance from the Ditjen Dukcapil
        end = _day(rng, date(year - 1, 2, 1), date(year - 1, 11, 30))
        out.append(
            Past(
                "bimbingan_teknis",
                "Bimbingan Teknis SIAK Terpusat dan Pelayanan Adminduk",
                "Ditjen Dukcapil Kemendagri",
                end,
                Decimal(24 * 45),
                "minute",
                3,
            )
        )
    return out


def step_history(ctx: DemoContext) -> None:
    rng = random.Random(SEED)
    admin = ctx.users["admin"]
    today = timezone.localdate()
    employees = (
        Employee.objects.filter(instansi=ctx.instansi, is_active=True)
        .select_related("unit")
        .order_by("nip")
    )
    rows = [(e, past) for e in employees for past in history_of(e, rng, today)]
    count = write_history(ctx.instansi, rows, admin)
    with ctx.in_reader_language():
        ctx.say(
            ngettext(
                "{n} sertifikat pengembangan kompetensi terdahulu (disetujui pengelola)",
                "{n} sertifikat pengembangan kompetensi terdahulu (disetujui pengelola)",
                count,
            ).format(n=formatting.number(count, 0))
        )


def write_history(instansi: Instansi, rows: list[tuple[Employee, Past]], admin: User) -> int:
    """The approved certificates and their JP ledger lines, through the history action (what the
    submit and review actions write, in bulk, with one scan shared by all)."""
    history = [
        (
            employee,
            ExternalInput(
                title=past.title,
                organiser=past.organiser,
                form=past.form,
                start_date=past.end - timedelta(days=past.days - 1),
                end_date=past.end,
                amount=past.amount,
                unit=past.unit,
            ),
        )
        for employee, past in rows
    ]
    return do_record_approved_history(
        instansi=instansi,
        history=history,
        scan=PDF,
        scan_name="sertifikat-eksternal/riwayat/pindaian-demo.pdf",
        actor=admin,
    )
