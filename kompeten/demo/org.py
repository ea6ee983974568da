"""The synthetic organisation of Pemerintah Kota Sawahlunto (a standard kota structure).

The real OPD list was not found (DOMAIN.md), so this is labelled synthetic: the four kecamatan
and the named units are real; the rest is a standard kota structure; every person is fictional.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kompeten.core.models import Instansi
from kompeten.people.actions import do_create_unit
from kompeten.people.models import Unit, UnitKind


@dataclass
class OrgSpec:
    code: str
    name: str
    kind: str
    size: int  # fictional ASN headcount in the unit itself
    short: str = ""
    children: list[OrgSpec] = field(default_factory=list)


KECAMATAN = {
    "Barangin": ["Saringan", "Durian I", "Durian II", "Lubang Panjang"],
    "Lembah Segar": [
        "Aur Mulyo",
        "Kubang Sirakuak Utara",
        "Kubang Sirakuak Selatan",
        "Pasar",
        "Tanah Lapang",
        "Air Dingin",
    ],
    "Silungkang": [],
    "Talawi": [],
}


def sawahlunto_spec() -> OrgSpec:
    d = UnitKind
    opds = [
        OrgSpec(
            "SETDA",
            "Sekretariat Daerah",
            d.SEKRETARIAT,
            60,
            "Setda",
            [
                OrgSpec("SETDA-PEM", "Bagian Pemerintahan", d.BAGIAN, 14),
                OrgSpec("SETDA-ORG", "Bagian Organisasi", d.BAGIAN, 12),
                OrgSpec("SETDA-UMUM", "Bagian Umum", d.BAGIAN, 20),
            ],
        ),
        OrgSpec("SETDPRD", "Sekretariat DPRD", d.SEKRETARIAT, 32, "Setwan"),
        OrgSpec("INSP", "Inspektorat", d.INSPEKTORAT, 34),
        OrgSpec("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", d.BADAN, 36, "Bappeda"),
        OrgSpec(
            "BKPSDM",
            "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
            d.BADAN,
            34,
            "BKPSDM",
        ),
        OrgSpec("BPKD", "Badan Pengelola Keuangan Daerah", d.BADAN, 48, "BPKD"),
        OrgSpec(
            "DISDIK",
            "Dinas Pendidikan",
            d.DINAS,
            120,
            "Disdik",
            [
                OrgSpec("DISDIK-SD", "Bidang Pembinaan SD", d.BAGIAN, 390),
                OrgSpec("DISDIK-SMP", "Bidang Pembinaan SMP", d.BAGIAN, 190),
            ],
        ),
        OrgSpec(
            "DINKES",
            "Dinas Kesehatan",
            d.DINAS,
            60,
            "Dinkes",
            [
                OrgSpec("PKM-BRG", "Puskesmas Barangin", d.PUSKESMAS, 38),
                OrgSpec("PKM-LS", "Puskesmas Lembah Segar", d.PUSKESMAS, 38),
                OrgSpec("PKM-SLK", "Puskesmas Silungkang", d.PUSKESMAS, 34),
                OrgSpec("PKM-TLW", "Puskesmas Talawi", d.PUSKESMAS, 36),
            ],
        ),
        # the hospital is its own perangkat daerah (a BLUD with its own staff and budget)
        OrgSpec("RSUD", "RSUD Sawahlunto", d.RSUD, 220, "RSUD"),
        OrgSpec("DUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", d.DINAS, 42, "Disdukcapil"),
        OrgSpec(
            "DPMPTSP",
            "Dinas Penanaman Modal, Pelayanan Terpadu Satu Pintu dan Tenaga Kerja",
            d.DINAS,
            36,
            "DPMPTSP dan Naker",
            [
                OrgSpec("MPP", "Mal Pelayanan Publik", d.UPT, 18, "MPP"),
                OrgSpec("BLK", "UPTD Balai Latihan Kerja (Talawi)", d.UPT, 14, "UPTD BLK"),
            ],
        ),
        OrgSpec("DINSOS", "Dinas Sosial", d.DINAS, 34, "Dinsos"),
        OrgSpec("PUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", d.DINAS, 52, "Dinas PUPR"),
        OrgSpec("DISHUB", "Dinas Perhubungan", d.DINAS, 40, "Dishub"),
        OrgSpec("DISPAR", "Dinas Pariwisata dan Kebudayaan", d.DINAS, 38, "Dispar"),
        OrgSpec("SATPOL", "Satuan Polisi Pamong Praja", d.SATPOL, 46, "Satpol PP"),
    ]
    for kec, kels in KECAMATAN.items():
        code = "KEC-" + kec.upper().replace(" ", "")
        children = [
            OrgSpec(f"KEL-{kel.upper().replace(' ', '')}", f"Kelurahan {kel}", d.KELURAHAN, 9)
            for kel in kels
        ]
        opds.append(OrgSpec(code, f"Kecamatan {kec}", d.KECAMATAN, 22, f"Kec. {kec}", children))
    return OrgSpec("PEMKOT", "Pemerintah Kota Sawahlunto", d.OTHER, 0, "Pemkot", opds)


def build_org(instansi: Instansi) -> dict[str, tuple[Unit, OrgSpec]]:
    """Create the unit tree; return {code: (unit, spec)}."""
    made: dict[str, tuple[Unit, OrgSpec]] = {}

    def walk(spec: OrgSpec, parent: Unit | None) -> None:
        unit = do_create_unit(
            instansi=instansi,
            code=spec.code,
            name=spec.name,
            kind=spec.kind,
            parent=parent,
            short_name=spec.short,
        )
        made[spec.code] = (unit, spec)
        for child in spec.children:
            walk(child, unit)

    walk(sawahlunto_spec(), None)
    return made
