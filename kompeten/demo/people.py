"""About 2,000 fictional ASN for the synthetic Sawahlunto, with valid NIPs and a realistic spread.

The generator first draws every employee (an `EmployeeInput` each, supervisors by NIP), then
writes them all through the employee import's bulk path (`plan_import` validates every row as
`do_create_employee` would; `do_import_employees` inserts them in supervisor order with their
employment events and one audit row): one pass instead of ~2,000 single-row actions.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError

from kompeten.core.models import Instansi
from kompeten.demo.nips import NipFactory
from kompeten.demo.org import OrgSpec
from kompeten.people.imports import Table, do_import_employees, plan_import
from kompeten.people.models import Employee, Unit, UnitKind
from kompeten.people.validation import EmployeeInput

MALE = [
    "Andi",
    "Budi",
    "Dedi",
    "Fajar",
    "Hendra",
    "Irwan",
    "Joni",
    "Rizki",
    "Yusuf",
    "Zulkifli",
    "Afrizal",
    "Darmawan",
    "Efendi",
    "Gusnaldi",
    "Hasbi",
    "Nofri",
    "Rahmat",
    "Syafrizal",
    "Taufik",
    "Wendi",
    "Arif",
    "Benny",
    "Doni",
    "Erizal",
    "Feri",
    "Ilham",
    "Yogi",
    "Riko",
]
FEMALE = [
    "Ani",
    "Dewi",
    "Fitri",
    "Indah",
    "Lestari",
    "Mardiah",
    "Novi",
    "Rahmi",
    "Sari",
    "Yulia",
    "Afni",
    "Desi",
    "Elvira",
    "Gusnita",
    "Hayati",
    "Iin",
    "Lusi",
    "Nurhayati",
    "Rosma",
    "Silvia",
    "Vera",
    "Wati",
    "Yenni",
    "Zuraida",
    "Citra",
    "Mega",
    "Putri",
    "Ratna",
]
FAMILY = [
    "Putra",
    "Saputra",
    "Syahputra",
    "Hidayat",
    "Rahman",
    "Kurniawan",
    "Gunawan",
    "Susanti",
    "Wahyuni",
    "Handayani",
    "Yanti",
    "Marlina",
    "Efendi",
    "Chaniago",
    "Piliang",
    "Koto",
    "Sikumbang",
    "Tanjung",
    "Caniago",
    "Jambak",
    "Melayu",
    "Guci",
    "Sinaga",
    "Harahap",
]
DEGREE = {
    "S-1": ["S.E.", "S.Sos.", "S.Kom.", "S.H.", "S.Pd.", "S.IP.", "S.Ak."],
    "S-2": ["M.Si.", "M.M.", "M.Pd.", "M.H."],
    "D-III": ["A.Md."],
    "D-IV": ["S.Tr.A.P."],
}

FUNCTIONAL_BY_KIND: dict[str, list[str]] = {
    UnitKind.PUSKESMAS: ["Perawat", "Bidan", "Dokter", "Apoteker", "Sanitarian"],
    UnitKind.RSUD: ["Perawat", "Bidan", "Dokter", "Radiografer", "Nutrisionis"],
    UnitKind.SATPOL: ["Polisi Pamong Praja"],
}
SERVICE_PELAKSANA = {
    "DUKCAPIL": [
        "Pengadministrasi Kependudukan",
        "Operator Layanan Operasional",
        "Petugas Loket Pelayanan",
    ],
    "DPMPTSP": ["Penata Perizinan", "Petugas Front Office Perizinan"],
    "MPP": ["Petugas Loket Pelayanan", "Pengelola Layanan Pengaduan"],
}
GENERIC_FUNCTIONAL = [
    "Analis Kebijakan",
    "Pranata Komputer",
    "Arsiparis",
    "Perencana",
    "Auditor",
    "Analis SDM Aparatur",
]
GENERIC_PELAKSANA = [
    "Pengadministrasi Umum",
    "Pengelola Keuangan",
    "Pengadministrasi Perkantoran",
    "Pengelola Data",
    "Pengemudi",
    "Pramu Bakti",
]

GOLONGAN = [
    "I/a",
    "I/b",
    "I/c",
    "I/d",
    "II/a",
    "II/b",
    "II/c",
    "II/d",
    "III/a",
    "III/b",
    "III/c",
    "III/d",
    "IV/a",
    "IV/b",
    "IV/c",
    "IV/d",
    "IV/e",
]
START_GOLONGAN = {
    "SLTA": "II/a",
    "D-III": "II/c",
    "D-IV": "III/a",
    "S-1": "III/a",
    "S-2": "III/b",
    "S-3": "III/c",
    "SD": "I/a",
    "SMP": "I/c",
}


# The import's field names, used as the headers of the generated table.
_COLUMNS: list[tuple[str, Callable[[str, EmployeeInput], object]]] = [
    ("nip", lambda _c, d: d.nip),
    ("name", lambda _c, d: d.name),
    ("front_title", lambda _c, d: d.front_title),
    ("back_title", lambda _c, d: d.back_title),
    ("sex", lambda _c, d: d.sex),
    ("birth_date", lambda _c, d: d.birth_date),
    ("status", lambda _c, d: d.status),
    ("golongan", lambda _c, d: d.golongan),
    ("pppk_grade", lambda _c, d: d.pppk_grade),
    ("jabatan_kind", lambda _c, d: d.jabatan_kind),
    ("jabatan_name", lambda _c, d: d.jabatan_name),
    ("education", lambda _c, d: d.education),
    ("unit_code", lambda code, _d: code),
    ("supervisor_nip", lambda _c, d: d.supervisor_nip),
]


@dataclass
class Person:
    employee: Employee
    spec_code: str


class PeopleGenerator:
    def __init__(self, instansi: Instansi, seed: int = 20261128, today: date | None = None) -> None:
        self.instansi = instansi
        self.random = random.Random(seed)
        self.nips = NipFactory(seed)
        self.today = today or date(2026, 1, 2)
        self.created: list[Employee] = []
        self.drawn: list[tuple[str, EmployeeInput]] = []  # (unit code, row), in drawing order

    def _name(self, sex: str) -> str:
        given = self.random.choice(MALE if sex == "L" else FEMALE)
        return f"{given} {self.random.choice(FAMILY)}"

    def _golongan(self, education: str, years: int, cap: str = "IV/e", floor: str = "I/a") -> str:
        start = GOLONGAN.index(START_GOLONGAN.get(education, "II/a"))
        idx = min(start + years // 4, GOLONGAN.index(cap))
        return GOLONGAN[max(idx, GOLONGAN.index(floor))]

    def make(
        self,
        unit: Unit,
        *,
        jabatan_kind: str,
        jabatan_name: str,
        supervisor: EmployeeInput | None,
        education: str | None = None,
        min_age: int = 23,
        max_age: int = 58,
        floor: str = "I/a",
        allow_pppk: bool = True,
    ) -> EmployeeInput:
        r = self.random
        sex = "L" if r.random() < 0.52 else "P"
        age = r.randint(min_age, max_age)
        birth = date(self.today.year - age, r.randint(1, 12), r.randint(1, 28))
        if education is None:
            education = r.choices(["SLTA", "D-III", "D-IV", "S-1", "S-2"], [18, 17, 5, 50, 10])[0]
        pppk = allow_pppk and jabatan_kind in ("fungsional", "pelaksana") and r.random() < 0.14
        if pppk:
            year = r.choice([2022, 2023, 2024, 2025])
            nip = self.nips.pppk(birth, year, sex)
            status, golongan, grade = "PPPK", "", str(r.randint(5, 11))
        else:
            entry_age = r.randint(22, min(35, age))
            tmt_year = birth.year + entry_age
            tmt_year = min(tmt_year, self.today.year - 1)
            nip = self.nips.pns(birth, tmt_year, r.randint(1, 12), sex)
            status, grade = "PNS", ""
            golongan = self._golongan(education, self.today.year - tmt_year, floor=floor)
        front = back = ""
        if jabatan_name == "Dokter":
            front, education = "dr.", "S-1"
        elif education in DEGREE:
            back = r.choice(DEGREE[education])
        data = EmployeeInput(
            nip=nip,
            name=self._name(sex),
            sex=sex,
            birth_date=birth,
            status=status,
            golongan=golongan,
            pppk_grade=grade,
            jabatan_kind=jabatan_kind,
            jabatan_name=jabatan_name,
            education=education,
            unit_id=unit.pk,
            front_title=front,
            back_title=back,
            supervisor_nip=supervisor.nip if supervisor else "",
        )
        self.drawn.append((unit.code, data))
        return data

    def write(self) -> list[Employee]:
        """Validate and insert every drawn employee in one bulk import; all or nothing."""
        headers = [name for name, _get in _COLUMNS]
        rows = [
            (number, [get(code, data) for _name, get in _COLUMNS])
            for number, (code, data) in enumerate(self.drawn, start=2)
        ]
        plan = plan_import(
            Table(headers=headers, rows=rows), {h: h for h in headers}, self.instansi
        )
        if plan.problems:
            raise ValidationError(
                [f"baris {p.row}, {p.column}: {p.message}" for p in plan.problems[:10]]
            )
        do_import_employees(plan, keep_order=True)  # ids in drawing order, as one by one
        self.created = list(Employee.objects.filter(instansi=self.instansi).order_by("nip"))
        return self.created

    def staff_unit(
        self, unit: Unit, spec: OrgSpec, head_supervisor: EmployeeInput | None, top: str
    ) -> EmployeeInput | None:
        """Create the unit's head, middle managers and staff; return the head."""
        r = self.random
        n = spec.size
        if n == 0:
            return None
        kind = spec.kind
        if kind in (UnitKind.KELURAHAN,):
            head = self.make(
                unit,
                jabatan_kind="pengawas",
                jabatan_name=f"Lurah {unit.name.removeprefix('Kelurahan ')}",
                supervisor=head_supervisor,
                education="S-1",
                min_age=35,
                floor="III/c",
                allow_pppk=False,
            )
            managers = [head]
        elif kind in (UnitKind.BAGIAN, UnitKind.UPT, UnitKind.PUSKESMAS):
            head = self.make(
                unit,
                jabatan_kind="administrator" if kind == UnitKind.BAGIAN else "pengawas",
                jabatan_name=f"Kepala {unit.name}",
                supervisor=head_supervisor,
                education="S-1",
                min_age=38,
                floor="III/d",
                allow_pppk=False,
            )
            managers = [head] + [
                self.make(
                    unit,
                    jabatan_kind="pengawas",
                    jabatan_name=f"Kepala Subbagian {i + 1} {unit.display_name}",
                    supervisor=head,
                    education="S-1",
                    min_age=32,
                    floor="III/c",
                    allow_pppk=False,
                )
                for i in range(1 if n < 30 else 2)
            ]
        else:
            if top == "SETDA":
                head = self.make(
                    unit,
                    jabatan_kind="jpt",
                    jabatan_name="Sekretaris Daerah",
                    supervisor=None,
                    education="S-2",
                    min_age=48,
                    floor="IV/c",
                    allow_pppk=False,
                )
            elif kind == UnitKind.KECAMATAN:
                head = self.make(
                    unit,
                    jabatan_kind="administrator",
                    jabatan_name=f"Camat {unit.name.removeprefix('Kecamatan ')}",
                    supervisor=head_supervisor,
                    education="S-1",
                    min_age=40,
                    floor="III/d",
                    allow_pppk=False,
                )
            else:
                head = self.make(
                    unit,
                    jabatan_kind="jpt",
                    jabatan_name=f"Kepala {unit.name}",
                    supervisor=head_supervisor,
                    education="S-2",
                    min_age=45,
                    floor="IV/b",
                    allow_pppk=False,
                )
            n_admin = 1 if kind == UnitKind.KECAMATAN else (2 if n < 40 else 3 if n < 80 else 4)
            admins = [
                self.make(
                    unit,
                    jabatan_kind="administrator" if kind != UnitKind.KECAMATAN else "pengawas",
                    jabatan_name=("Sekretaris" if i == 0 else f"Kepala Bidang {i}")
                    + f" {unit.display_name}",
                    supervisor=head,
                    education=r.choice(["S-1", "S-2"]),
                    min_age=38,
                    floor="III/d",
                    allow_pppk=False,
                )
                for i in range(n_admin)
            ]
            pengawas = [
                self.make(
                    unit,
                    jabatan_kind="pengawas",
                    jabatan_name=f"Kepala Seksi {j + 1} {unit.display_name}",
                    supervisor=admin,
                    education="S-1",
                    min_age=32,
                    floor="III/c",
                    allow_pppk=False,
                )
                for admin in admins
                for j in range(2 if kind != UnitKind.KECAMATAN else 1)
            ]
            managers = [head, *admins, *pengawas]
        remaining = max(0, n - len(managers))
        leaves = managers[1:] or managers
        for _ in range(remaining):
            boss = r.choice(leaves)
            jk, jn = self._staff_post(unit, spec, kind, top)
            self.make(unit, jabatan_kind=jk, jabatan_name=jn, supervisor=boss)
        return head

    def _staff_post(self, unit: Unit, spec: OrgSpec, kind: str, top: str) -> tuple[str, str]:
        r = self.random
        if top == "DISDIK" and spec.code != "DISDIK":
            return "fungsional", r.choice(
                ["Guru Ahli Pertama", "Guru Ahli Muda", "Guru Ahli Madya"]
            )
        if kind in FUNCTIONAL_BY_KIND and r.random() < 0.7:
            return "fungsional", r.choice(FUNCTIONAL_BY_KIND[kind])
        service = SERVICE_PELAKSANA.get(spec.code)
        if service and r.random() < 0.75:
            return "pelaksana", r.choice(service)
        if r.random() < 0.3:
            return "fungsional", r.choice(GENERIC_FUNCTIONAL)
        return "pelaksana", r.choice(GENERIC_PELAKSANA)


def build_people(instansi: Instansi, units: dict[str, tuple[Unit, OrgSpec]]) -> PeopleGenerator:
    gen = PeopleGenerator(instansi)
    sekda = None
    setda_unit, setda_spec = units["SETDA"]
    sekda = gen.staff_unit(setda_unit, setda_spec, None, "SETDA")

    def walk(spec: OrgSpec, boss: EmployeeInput | None, top: str) -> None:
        unit = units[spec.code][0]
        head = boss
        if spec.code != "SETDA":
            head = gen.staff_unit(unit, spec, boss, top) or boss
        for child in spec.children:
            walk(child, head, top)

    _root_unit, root_spec = units["PEMKOT"]
    for opd in root_spec.children:
        walk(opd, sekda, opd.code)
    gen.write()
    return gen
