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
# Jabatan fungsional held only at the keahlian level (a degree required); the others also have
# a keterampilan level for D-III holders (PermenPANRB on each jabatan fungsional).
KEAHLIAN_ONLY = {
    "Dokter",
    "Apoteker",
    "Guru",
    "Analis Kebijakan",
    "Perencana",
    "Auditor",
    "Analis SDM Aparatur",
}
# (lowest golongan, jenjang): the jenjang a golongan holds (Permenpan RB 1/2023's conversion)
KEAHLIAN = [("III/a", "Ahli Pertama"), ("III/c", "Ahli Muda"), ("IV/a", "Ahli Madya")]
KETERAMPILAN = [("II/a", "Pemula"), ("II/b", "Terampil"), ("III/a", "Mahir"), ("III/c", "Penyelia")]
GENERIC_PELAKSANA = [
    "Pengadministrasi Umum",
    "Pengelola Keuangan",
    "Pengadministrasi Perkantoran",
    "Pengelola Data",
    "Pengemudi",
    "Pramu Bakti",
]
# drivers and office boys are mostly outsourced now: few ASN posts left
GENERIC_PELAKSANA_WEIGHTS = [30, 24, 24, 14, 4, 4]
# posts filled from SLTA leavers
SLTA_POSTS = {"Pengemudi", "Pramu Bakti"}

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
# The highest golongan a regular promotion reaches on each diploma (PP 99/2000 as amended):
# where a pelaksana stops.
REGULAR_CAP = {"SD": "II/a", "SMP": "II/c", "SLTA": "III/b", "D-III": "III/c"}
# (floor, cap) of each kind of post: pelaksana by diploma (above), fungsional by jenjang, and
# the eselon bands of managerial posts as a kota fills them
POST_BAND = {
    "pelaksana": ("I/a", "III/d"),
    "fungsional": ("II/a", "IV/c"),
    "pengawas": ("III/c", "III/d"),
    "administrator": ("III/d", "IV/a"),
    "jpt": ("IV/b", "IV/d"),
}
# years of service a manager of each level has at least (their entry is that long ago)
MIN_SERVICE = {"pengawas": 8, "administrator": 12, "jpt": 18}
EDUCATION_BY_KIND = {
    # pelaksana are mostly SLTA and D-III leavers; fungsional mostly graduates
    "pelaksana": (["SLTA", "D-III", "D-IV", "S-1"], [26, 32, 4, 38]),
    "fungsional": (["SLTA", "D-III", "D-IV", "S-1", "S-2"], [2, 30, 4, 54, 10]),
}


def rank(golongan: str) -> int:
    """Position of a golongan/ruang in the order I/a < … < IV/e."""
    return GOLONGAN.index(golongan)


GRADUATE = ("D-IV", "S-1", "S-2", "S-3")


def jenjang(base: str, golongan: str, education: str) -> str:
    """The jenjang of a jabatan fungsional that an employee of this golongan holds."""
    ladder = KEAHLIAN if education in GRADUATE or base in KEAHLIAN_ONLY else KETERAMPILAN
    name = ladder[0][1]
    for lowest, level in ladder:
        if rank(golongan) >= rank(lowest):
            name = level
    return f"{base} {name}"


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

    def _golongan(self, education: str, years: int, floor: str, cap: str, slow: bool) -> str:
        """Entry golongan of the diploma, one step per four to six years (promotions wait for
        a vacancy or a credit score; a pelaksana's regular promotion often waits longer), kept
        within the post's band."""
        step = self.random.choice((5, 6, 7, 8) if slow else (4, 4, 5, 6))
        idx = min(rank(START_GOLONGAN.get(education, "II/a")) + years // step, rank(cap))
        return GOLONGAN[max(idx, rank(floor))]

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
        floor: str | None = None,
        cap: str | None = None,
        allow_pppk: bool = True,
    ) -> EmployeeInput:
        """Draw one employee. ``jabatan_name`` of a fungsional is the jabatan without its jenjang
        (which follows from the golongan drawn). The golongan stays within the post's band and
        never above the supervisor's."""
        # The order of the draws below is the demo's data: a reordering changes every employee.
        r = self.random
        sex = "L" if r.random() < 0.52 else "P"
        age = r.randint(min_age, max_age)
        birth = date(self.today.year - age, r.randint(1, 12), r.randint(1, 28))
        education = self._education(jabatan_kind, jabatan_name, education)
        band_floor, band_cap = POST_BAND[jabatan_kind]
        floor = floor or band_floor
        entry, cap = self._entry_and_cap(jabatan_kind, education, supervisor, cap or band_cap)
        pppk = allow_pppk and jabatan_kind in ("fungsional", "pelaksana") and r.random() < 0.14
        if pppk:
            nip, status, golongan, grade = self._pppk(jabatan_kind, education, birth, sex)
        else:
            nip, status, golongan, grade = self._pns(
                jabatan_kind, entry, birth, age, sex, floor=floor, cap=cap
            )
        if jabatan_kind == "fungsional":
            jabatan_name = jenjang(
                jabatan_name, golongan or ("III/a" if grade == "9" else "II/c"), education
            )
        front = back = ""
        if jabatan_name.startswith("Dokter"):
            front = "dr."
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

    def _education(self, jabatan_kind: str, jabatan_name: str, education: str | None) -> str:
        """The given diploma, else one drawn for the post (a doctor always holds an S-1)."""
        r = self.random
        if education is None:
            if jabatan_name in SLTA_POSTS:
                education = "SLTA"
            elif jabatan_kind == "fungsional" and jabatan_name in KEAHLIAN_ONLY:
                education = r.choices(["S-1", "S-2"], [85, 15])[0]
            else:
                options, weights = EDUCATION_BY_KIND.get(
                    jabatan_kind, (["SLTA", "D-III", "D-IV", "S-1", "S-2"], [18, 17, 5, 50, 10])
                )
                education = r.choices(options, weights)[0]
        if jabatan_name == "Dokter":
            education = "S-1"
        return education

    def _entry_and_cap(
        self, jabatan_kind: str, education: str, supervisor: EmployeeInput | None, cap: str
    ) -> tuple[str, str]:
        """The diploma the employee entered with, and the highest golongan they may hold."""
        r = self.random
        # many graduate pelaksana were appointed on a school diploma and took the degree later
        # without the exam that converts it: their rank follows the diploma they entered with
        entry = education
        if jabatan_kind == "pelaksana" and education in ("D-IV", "S-1") and r.random() < 0.6:
            entry = r.choice(["SLTA", "D-III"])
        if jabatan_kind == "pelaksana":
            cap = GOLONGAN[min(rank(cap), rank(REGULAR_CAP.get(entry, cap)))]
        if jabatan_kind == "fungsional" and education not in GRADUATE:
            cap = GOLONGAN[min(rank(cap), rank("III/d"))]  # Penyelia is the top of keterampilan
        if supervisor is not None and supervisor.golongan:
            cap = GOLONGAN[min(rank(cap), rank(supervisor.golongan))]
        return entry, cap

    def _pppk(
        self, jabatan_kind: str, education: str, birth: date, sex: str
    ) -> tuple[str, str, str, str]:
        """(nip, status, golongan, grade) of a PPPK appointed in 2022–2025."""
        r = self.random
        year = r.choice([2022, 2023, 2024, 2025])
        nip = self.nips.pppk(birth, year, sex)
        # PPPK grades: pelaksana V–VII, fungsional by diploma (Terampil VII, Ahli Pertama IX)
        if jabatan_kind == "pelaksana":
            grade = str(r.randint(5, 7))
        else:
            grade = "9" if education in ("D-IV", "S-1", "S-2") else "7"
        return nip, "PPPK", "", grade

    def _pns(
        self,
        jabatan_kind: str,
        entry: str,
        birth: date,
        age: int,
        sex: str,
        *,
        floor: str,
        cap: str,
    ) -> tuple[str, str, str, str]:
        """(nip, status, golongan, grade) of a PNS: entry year, then promotions since."""
        r = self.random
        # a manager has served some years before the post (and its rank floor)
        served = MIN_SERVICE.get(jabatan_kind, 0)
        entry_age = r.randint(22, max(22, min(35, age - served)))
        tmt_year = birth.year + entry_age
        tmt_year = min(tmt_year, self.today.year - 1)
        nip = self.nips.pns(birth, tmt_year, r.randint(1, 12), sex)
        golongan = self._golongan(
            entry,
            self.today.year - tmt_year,
            floor,
            GOLONGAN[max(rank(cap), rank(floor))],
            slow=jabatan_kind == "pelaksana",
        )
        return nip, "PNS", golongan, ""

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
        if spec.size == 0:
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
                allow_pppk=False,
            )
            managers = [head]
        elif kind in (UnitKind.BAGIAN, UnitKind.UPT, UnitKind.PUSKESMAS):
            managers = self._sub_unit_managers(unit, spec, head_supervisor)
        else:
            managers = self._opd_managers(unit, spec, head_supervisor, top)
        self._staff(unit, spec, managers, head_supervisor, top)
        return managers[0]

    def _sub_unit_managers(
        self, unit: Unit, spec: OrgSpec, head_supervisor: EmployeeInput | None
    ) -> list[EmployeeInput]:
        """A bagian's, UPT's or puskesmas' head and one or two heads of subbagian."""
        head = self.make(
            unit,
            jabatan_kind="administrator" if spec.kind == UnitKind.BAGIAN else "pengawas",
            jabatan_name=f"Kepala {unit.name}",
            supervisor=head_supervisor,
            education="S-1",
            min_age=38,
            floor="III/d",
            allow_pppk=False,
        )
        return [head] + [
            self.make(
                unit,
                jabatan_kind="pengawas",
                jabatan_name=f"Kepala Subbagian {i + 1} {unit.display_name}",
                supervisor=head,
                education="S-1",
                min_age=32,
                allow_pppk=False,
            )
            for i in range(1 if spec.size < 30 else 2)
        ]

    def _opd_managers(
        self, unit: Unit, spec: OrgSpec, head_supervisor: EmployeeInput | None, top: str
    ) -> list[EmployeeInput]:
        """An OPD's (or kecamatan's) head, its secretary and heads of bidang, and their heads
        of seksi; the head first."""
        r = self.random
        n, kind = spec.size, spec.kind
        head = self._opd_head(unit, kind, head_supervisor, top)
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
                allow_pppk=False,
            )
            for admin in admins
            for j in range(2 if kind != UnitKind.KECAMATAN else 1)
        ]
        return [head, *admins, *pengawas]

    def _opd_head(
        self, unit: Unit, kind: str, head_supervisor: EmployeeInput | None, top: str
    ) -> EmployeeInput:
        """The Sekretaris Daerah, a camat, or the head (RSUD: director) of a dinas or badan."""
        if top == "SETDA":
            return self.make(
                unit,
                jabatan_kind="jpt",
                jabatan_name="Sekretaris Daerah",
                supervisor=None,
                education="S-2",
                min_age=48,
                floor="IV/c",
                allow_pppk=False,
            )
        if kind == UnitKind.KECAMATAN:
            return self.make(
                unit,
                jabatan_kind="administrator",
                jabatan_name=f"Camat {unit.name.removeprefix('Kecamatan ')}",
                supervisor=head_supervisor,
                education="S-1",
                min_age=40,
                allow_pppk=False,
            )
        return self.make(
            unit,
            jabatan_kind="jpt",
            jabatan_name=f"Direktur {unit.name}"
            if kind == UnitKind.RSUD
            else f"Kepala {unit.name}",
            supervisor=head_supervisor,
            education="S-2",
            min_age=45,
            allow_pppk=False,
        )

    def _staff(
        self,
        unit: Unit,
        spec: OrgSpec,
        managers: list[EmployeeInput],
        head_supervisor: EmployeeInput | None,
        top: str,
    ) -> None:
        """Fill the unit up to its size with staff, each under a manager not below them."""
        r = self.random
        head = managers[0]
        remaining = max(0, spec.size - len(managers))
        leaves = managers[1:] or managers
        # the highest-ranked manager a staff member of this unit may report to: the head, or
        # above a sub-unit's head the OPD's head (a senior teacher outranks a Kepala Bidang)
        top_boss = head
        if head_supervisor is not None and rank(head_supervisor.golongan) > rank(head.golongan):
            top_boss = head_supervisor
        for _ in range(remaining):
            jk, jn = self._staff_post(unit, spec, spec.kind, top)
            staff = self.make(unit, jabatan_kind=jk, jabatan_name=jn, supervisor=top_boss)
            # the staff member reports to a manager of the unit who is not below them in rank
            # (the head, or the OPD's head, when no other manager is)
            fit = [
                m for m in leaves if not staff.golongan or rank(m.golongan) >= rank(staff.golongan)
            ]
            if fit:
                staff.supervisor_nip = r.choice(fit).nip
            elif rank(head.golongan) >= rank(staff.golongan):
                staff.supervisor_nip = head.nip
            else:
                staff.supervisor_nip = top_boss.nip

    def _staff_post(self, unit: Unit, spec: OrgSpec, kind: str, top: str) -> tuple[str, str]:
        r = self.random
        if top == "DISDIK" and spec.code != "DISDIK":
            return "fungsional", "Guru"
        if kind in FUNCTIONAL_BY_KIND and r.random() < 0.7:
            return "fungsional", r.choice(FUNCTIONAL_BY_KIND[kind])
        service = SERVICE_PELAKSANA.get(spec.code)
        if service and r.random() < 0.75:
            return "pelaksana", r.choice(service)
        if r.random() < 0.3:
            return "fungsional", r.choice(GENERIC_FUNCTIONAL)
        return "pelaksana", r.choices(GENERIC_PELAKSANA, GENERIC_PELAKSANA_WEIGHTS)[0]


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
