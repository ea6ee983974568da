"""Demo step: competencies, the AKP 2026 campaign, ASN proposals, programmes, batches, sessions.

Everything goes in through the learning actions (the demo data is valid data); the random
choices come from one seeded generator, so the demo is the same on every build.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from kompeten.core import formatting
from kompeten.learning.actions import akp, batches, codesign, competencies, programmes
from kompeten.learning.actions.objectives import ObjectiveInput, do_set_objective_measures
from kompeten.learning.models import (
    AkpEntry,
    BatchStatus,
    CompetencyGroup,
    CostCategory,
    LearningType,
    ModuleKind,
    Programme,
    ProgrammeStatus,
    Proposal,
    ProposalStatus,
    TrainerKind,
)
from kompeten.learning.objectives import guess_measure
from kompeten.people.models import Employee
from kompeten.standards.local_time import JAKARTA
from kompeten.standards.workdays import is_working_day

if TYPE_CHECKING:
    from kompeten.core.models import User
    from kompeten.demo.build import DemoContext
    from kompeten.learning.models import Competency, Module, Programme, Trainer

SEED = 20260105

LEVEL_WORDS = {
    1: "Memahami dasar-dasarnya dan menerapkannya dengan bimbingan.",
    2: "Menerapkan secara mandiri dalam tugas rutin.",
    3: "Menerapkan dalam situasi yang beragam dan membimbing rekan kerja.",
    4: "Mengembangkan cara kerja unit dan menangani situasi yang sulit.",
    5: "Menjadi rujukan di tingkat instansi dan membangun sistem.",
}

# (code, name, group, definition, one indicator per level)
COMPETENCIES: list[tuple[str, str, str, str, list[str]]] = [
    (
        "M-INT",
        "Integritas",
        CompetencyGroup.MANAJERIAL,
        "Konsisten berperilaku selaras dengan nilai, norma dan etika organisasi.",
        [
            "Bertingkah laku sesuai kode etik",
            "Mengingatkan rekan yang melanggar etika",
            "Memastikan unit bekerja sesuai aturan",
            "Menciptakan budaya etika di unit kerja",
            "Menjadi teladan integritas di instansi",
        ],
    ),
    (
        "M-KS",
        "Kerja Sama",
        CompetencyGroup.MANAJERIAL,
        "Membangun tim kerja yang produktif untuk menyelesaikan tugas bersama.",
        [
            "Berpartisipasi dalam tim",
            "Menghargai pendapat anggota tim",
            "Membangun sinergi antarunit",
            "Membangun komitmen tim lintas OPD",
            "Membangun jejaring kerja sama lintas instansi",
        ],
    ),
    (
        "M-KOM",
        "Komunikasi",
        CompetencyGroup.MANAJERIAL,
        "Menyampaikan informasi dengan jelas, lisan maupun tertulis, dan mendengarkan aktif.",
        [
            "Menyampaikan informasi dengan jelas",
            "Mendengarkan aktif dan bertanya",
            "Menyesuaikan cara bicara dengan lawan bicara",
            "Mengelola komunikasi yang sulit",
            "Membangun strategi komunikasi instansi",
        ],
    ),
    (
        "M-OPH",
        "Orientasi pada Hasil",
        CompetencyGroup.MANAJERIAL,
        "Mempertahankan komitmen menyelesaikan tugas dengan mutu tinggi dan tepat waktu.",
        [
            "Menyelesaikan tugas tepat waktu",
            "Menetapkan target kerja sendiri",
            "Memantau capaian dan memperbaiki cara kerja",
            "Menetapkan target unit yang menantang",
            "Mendorong kinerja tinggi di instansi",
        ],
    ),
    (
        "M-PP",
        "Pelayanan Publik",
        CompetencyGroup.MANAJERIAL,
        "Melayani masyarakat dengan profesional, transparan, cepat dan tidak diskriminatif.",
        [
            "Melayani sesuai standar pelayanan",
            "Menanggapi keluhan dengan sopan",
            "Mengidentifikasi kebutuhan pengguna layanan",
            "Memperbaiki standar pelayanan unit",
            "Merancang kebijakan pelayanan berorientasi warga",
        ],
    ),
    (
        "M-PDO",
        "Pengembangan Diri dan Orang Lain",
        CompetencyGroup.MANAJERIAL,
        "Meningkatkan pengetahuan dan kemampuan diri serta orang lain.",
        [
            "Mengikuti pembelajaran yang disediakan",
            "Mencari sumber belajar sendiri",
            "Membimbing rekan kerja",
            "Merancang pengembangan pegawai di unit",
            "Membangun budaya belajar di instansi",
        ],
    ),
    (
        "M-MP",
        "Mengelola Perubahan",
        CompetencyGroup.MANAJERIAL,
        "Menyesuaikan diri dan mendorong perubahan yang bermanfaat bagi layanan.",
        [
            "Menerima perubahan prosedur",
            "Menyesuaikan cara kerja dengan cepat",
            "Membantu rekan menghadapi perubahan",
            "Memimpin perubahan di unit",
            "Merancang perubahan organisasi",
        ],
    ),
    (
        "M-PK",
        "Pengambilan Keputusan",
        CompetencyGroup.MANAJERIAL,
        "Mengambil keputusan tepat waktu berdasarkan data dan pertimbangan risiko.",
        [
            "Mengambil keputusan rutin sesuai prosedur",
            "Menimbang beberapa pilihan",
            "Memutuskan berdasarkan data dan risiko",
            "Memutuskan dalam situasi yang kompleks",
            "Menetapkan keputusan strategis",
        ],
    ),
    (
        "SK-PB",
        "Perekat Bangsa",
        CompetencyGroup.SOSIAL_KULTURAL,
        "Mempromosikan sikap toleransi, keterbukaan dan peka terhadap perbedaan.",
        [
            "Menghargai perbedaan",
            "Bergaul dengan semua kalangan",
            "Menjembatani perbedaan di unit kerja",
            "Membangun keharmonisan antarkelompok",
            "Menjadi perekat masyarakat majemuk",
        ],
    ),
    (
        "T-ADK",
        "Pelayanan Administrasi Kependudukan",
        CompetencyGroup.TEKNIS,
        "Melayani pendaftaran penduduk dan pencatatan sipil (KK, KTP-el, akta) sesuai SOP.",
        [
            "Memeriksa kelengkapan berkas",
            "Memproses perekaman dan pencetakan KTP-el",
            "Menyelesaikan kasus data ganda dan perubahan data",
            "Menyusun SOP layanan adminduk",
            "Merancang layanan adminduk terpadu",
        ],
    ),
    (
        "T-IZN",
        "Pelayanan Perizinan",
        CompetencyGroup.TEKNIS,
        "Memproses perizinan berusaha dan nonberusaha melalui sistem OSS dan layanan daerah.",
        [
            "Menjelaskan persyaratan izin",
            "Memverifikasi permohonan di OSS",
            "Menyelesaikan permohonan yang bermasalah",
            "Memperbaiki alur perizinan",
            "Merancang kebijakan kemudahan berusaha",
        ],
    ),
    (
        "T-ADU",
        "Penanganan Pengaduan",
        CompetencyGroup.TEKNIS,
        "Menerima, memverifikasi, menindaklanjuti dan menjawab pengaduan sesuai SP4N-LAPOR!.",
        [
            "Mencatat pengaduan dengan lengkap",
            "Memverifikasi dan meneruskan pengaduan",
            "Menyelesaikan pengaduan dalam batas waktu",
            "Menganalisis pola pengaduan",
            "Merancang sistem pengelolaan pengaduan",
        ],
    ),
    (
        "T-KES",
        "Pelayanan Kesehatan Dasar",
        CompetencyGroup.TEKNIS,
        "Memberikan pelayanan kesehatan dasar di puskesmas sesuai standar.",
        [
            "Melakukan skrining pasien",
            "Memberikan layanan sesuai standar",
            "Menangani kasus rujukan",
            "Memperbaiki mutu layanan puskesmas",
            "Merancang program kesehatan masyarakat",
        ],
    ),
    (
        "T-DIG",
        "Literasi dan Layanan Digital",
        CompetencyGroup.TEKNIS,
        "Menggunakan dan mengembangkan layanan digital pemerintah dengan aman.",
        [
            "Menggunakan aplikasi layanan",
            "Mengelola data layanan secara digital",
            "Mengotomasi proses layanan sederhana",
            "Mengintegrasikan layanan antarsistem",
            "Merancang arsitektur SPBE daerah",
        ],
    ),
    (
        "T-KIN",
        "Manajemen Kinerja",
        CompetencyGroup.TEKNIS,
        "Menyusun, memantau dan menilai SKP serta kinerja tim.",
        [
            "Menyusun SKP sendiri",
            "Memantau capaian kinerja",
            "Memberi umpan balik kinerja kepada bawahan",
            "Mengelola kinerja unit",
            "Membangun sistem manajemen kinerja",
        ],
    ),
    (
        "T-KEU",
        "Pengelolaan Keuangan Daerah",
        CompetencyGroup.TEKNIS,
        "Menatausahakan dan mempertanggungjawabkan keuangan daerah.",
        [
            "Mencatat transaksi",
            "Menyusun SPJ",
            "Menyusun laporan keuangan unit",
            "Menganalisis anggaran",
            "Merancang kebijakan keuangan",
        ],
    ),
]

MANAGERIAL_BY_KIND = {"jpt": 4, "administrator": 3, "pengawas": 3, "fungsional": 2, "pelaksana": 2}
MANAGERIAL_EXTRA = {("jpt", "M-PK"): 5, ("administrator", "M-PK"): 4, ("pengawas", "M-PP"): 4}
TECHNICAL_BY_POST = {
    "Pengadministrasi Kependudukan": {"T-ADK": 3, "T-ADU": 2, "T-DIG": 2},
    "Operator Layanan Operasional": {"T-ADK": 3, "T-DIG": 3},
    "Petugas Loket Pelayanan": {"T-ADK": 3, "T-ADU": 3},
    "Penata Perizinan": {"T-IZN": 3, "T-DIG": 2},
    "Petugas Front Office Perizinan": {"T-IZN": 3, "T-ADU": 3},
    "Pengelola Layanan Pengaduan": {"T-ADU": 4, "T-DIG": 2},
    "Perawat": {"T-KES": 3, "T-ADU": 2},
    "Bidan": {"T-KES": 3},
    "Dokter": {"T-KES": 4},
    "Pranata Komputer": {"T-DIG": 3},
    "Pengelola Data": {"T-DIG": 2},
    "Pengelola Keuangan": {"T-KEU": 3},
}
TECHNICAL_BY_KIND = {"pengawas": {"T-KIN": 3}, "administrator": {"T-KIN": 3}}

PROPOSALS: list[tuple[str, str, str, str | None]] = [
    (
        "Menghadapi warga yang marah di loket",
        "Hampir tiap hari ada warga yang marah karena KTP-el belum jadi; kami tidak tahu cara meredakan tanpa ikut terpancing.",
        LearningType.PELATIHAN,
        "M-PP",
    ),
    (
        "Simulasi penanganan pengaduan lisan",
        "Pengaduan yang disampaikan langsung sering tidak tercatat sehingga tidak bisa ditindaklanjuti.",
        LearningType.WORKSHOP,
        "T-ADU",
    ),
    (
        "Menjawab pengaduan SP4N-LAPOR! tepat waktu",
        "Banyak laporan melewati batas 5 hari kerja karena disposisi berputar-putar.",
        LearningType.BIMBINGAN_TEKNIS,
        "T-ADU",
    ),
    (
        "Bahasa yang sopan dan mudah dipahami",
        "Penjelasan persyaratan kami sering disalahpahami warga lanjut usia.",
        LearningType.PELATIHAN,
        "M-KOM",
    ),
    (
        "Etika pelayanan dan pencegahan gratifikasi",
        "Warga kadang menawarkan uang terima kasih; rekan baru bingung cara menolaknya dengan sopan.",
        LearningType.PELATIHAN,
        "M-INT",
    ),
    (
        "Benturan kepentingan dalam perizinan",
        "Pemohon yang kenal pejabat meminta didahulukan.",
        LearningType.SOSIALISASI,
        "M-INT",
    ),
    (
        "Menyusun SKP yang terukur",
        "Indikator SKP bawahan sulit diukur sehingga penilaian terasa subjektif.",
        LearningType.BIMBINGAN_TEKNIS,
        "T-KIN",
    ),
    (
        "Memberi umpan balik kinerja kepada staf",
        "Sebagai kepala seksi saya canggung memberi umpan balik negatif.",
        LearningType.COACHING,
        "T-KIN",
    ),
    (
        "Coaching untuk pengawas baru",
        "Pengawas yang baru dilantik belum terbiasa membimbing tim.",
        LearningType.COACHING,
        "M-PDO",
    ),
    (
        "Layanan adminduk daring",
        "Warga di desa jauh harus datang berkali-kali; layanan daring belum dimanfaatkan.",
        LearningType.PELATIHAN,
        "T-DIG",
    ),
    (
        "Keamanan data pribadi penduduk",
        "Berkas berisi NIK dikirim lewat aplikasi pesan pribadi.",
        LearningType.E_LEARNING,
        "T-DIG",
    ),
    (
        "Menggunakan OSS RBA dengan benar",
        "Banyak permohonan dikembalikan karena salah klasifikasi KBLI.",
        LearningType.BIMBINGAN_TEKNIS,
        "T-IZN",
    ),
    (
        "Antrean yang tertib di MPP",
        "Antrean menumpuk pada pagi hari; warga mengeluh menunggu lama.",
        LearningType.BENCHMARKING,
        "M-PP",
    ),
    (
        "Standar pelayanan dan maklumat",
        "Standar pelayanan kami belum diperbarui sejak 2019.",
        LearningType.WORKSHOP,
        "M-PP",
    ),
    (
        "Kerja sama antarloket MPP",
        "Petugas dari OPD berbeda di MPP saling lempar warga.",
        LearningType.WORKSHOP,
        "M-KS",
    ),
    (
        "Pelayanan ramah disabilitas",
        "Kami belum tahu cara melayani warga tuli dan pengguna kursi roda.",
        LearningType.PELATIHAN,
        "M-PP",
    ),
    (
        "Komunikasi dengan pasien dan keluarga",
        "Keluarga pasien sering marah karena informasi rujukan tidak jelas.",
        LearningType.PELATIHAN,
        "T-KES",
    ),
    (
        "Triase dan antrean puskesmas",
        "Pasien umum dan lansia menunggu terlalu lama.",
        LearningType.MAGANG,
        "T-KES",
    ),
    (
        "Mengolah data pengaduan jadi perbaikan",
        "Data pengaduan hanya direkap, tidak dianalisis.",
        LearningType.WORKSHOP,
        "T-ADU",
    ),
    (
        "Menulis jawaban pengaduan yang baik",
        "Jawaban kami terlalu normatif sehingga pelapor tidak puas.",
        LearningType.KURSUS,
        "M-KOM",
    ),
    (
        "Mengelola perubahan SOP",
        "SOP baru sering tidak dijalankan karena staf tidak dilibatkan.",
        LearningType.WORKSHOP,
        "M-MP",
    ),
    (
        "Mengambil keputusan berbasis data",
        "Keputusan alokasi petugas loket belum memakai data kunjungan.",
        LearningType.PELATIHAN,
        "M-PK",
    ),
    (
        "Literasi spreadsheet untuk pelaksana",
        "Rekap bulanan masih dihitung manual dengan kalkulator.",
        LearningType.E_LEARNING,
        "T-DIG",
    ),
    (
        "Tanda tangan elektronik",
        "Dokumen masih menunggu pejabat hadir untuk tanda tangan basah.",
        LearningType.SOSIALISASI,
        "T-DIG",
    ),
    (
        "Manajemen waktu di layanan padat",
        "Petugas kewalahan pada hari Senin dan awal bulan.",
        LearningType.PELATIHAN,
        "M-OPH",
    ),
    (
        "Menjaga integritas saat diawasi publik",
        "Video petugas sering viral tanpa konteks.",
        LearningType.SEMINAR,
        "M-INT",
    ),
    (
        "Toleransi dalam pelayanan",
        "Ada warga yang merasa dibedakan karena asal daerahnya.",
        LearningType.SOSIALISASI,
        "SK-PB",
    ),
    (
        "Pengelolaan SPJ yang rapi",
        "SPJ kegiatan sering terlambat dan dikembalikan.",
        LearningType.BIMBINGAN_TEKNIS,
        "T-KEU",
    ),
    (
        "Mentoring untuk CPNS baru",
        "CPNS baru langsung ditempatkan di loket tanpa pendampingan.",
        LearningType.MENTORING,
        "M-PDO",
    ),
    (
        "Komunitas belajar petugas loket",
        "Petugas ingin berbagi kasus sulit secara rutin.",
        LearningType.KOMUNITAS_BELAJAR,
        "M-PDO",
    ),
    (
        "Studi tiru layanan kependudukan terbaik",
        "Kami ingin melihat langsung dukcapil yang layanannya cepat.",
        LearningType.BENCHMARKING,
        "T-ADK",
    ),
    (
        "Perekaman KTP-el bagi warga rentan",
        "Perekaman di rumah bagi lansia dan ODGJ belum punya prosedur.",
        LearningType.BIMBINGAN_TEKNIS,
        "T-ADK",
    ),
    (
        "Kepemimpinan pengawas di lapangan",
        "Pengawas sibuk administrasi dan jarang memantau layanan.",
        LearningType.PELATIHAN,
        "T-KIN",
    ),
    (
        "Negosiasi dengan pemohon izin",
        "Pemohon sering memaksa izinnya terbit walau syarat belum lengkap.",
        LearningType.PELATIHAN,
        "T-IZN",
    ),
    (
        "Kesehatan mental petugas layanan",
        "Petugas loket mudah lelah dan stres menghadapi keluhan.",
        LearningType.SEMINAR,
        None,
    ),
    (
        "Public speaking untuk sosialisasi",
        "Sosialisasi layanan ke kelurahan kurang menarik.",
        LearningType.KURSUS,
        "M-KOM",
    ),
    (
        "Pengarsipan digital berkas adminduk",
        "Berkas fisik menumpuk dan sulit dicari.",
        LearningType.BIMBINGAN_TEKNIS,
        "T-DIG",
    ),
    (
        "Survei kepuasan masyarakat yang benar",
        "Kami belum yakin cara menghitung IKM sesuai PermenPANRB 14/2017.",
        LearningType.WORKSHOP,
        "M-PP",
    ),
    (
        "Kerja sama dengan kelurahan",
        "Berkas dari kelurahan sering tidak lengkap.",
        LearningType.WORKSHOP,
        "M-KS",
    ),
    (
        "Penanganan konflik di ruang tunggu",
        "Pernah terjadi keributan antarwarga di ruang tunggu.",
        LearningType.PELATIHAN,
        "T-ADU",
    ),
]

COMMENTS = [
    "Setuju, di unit kami juga sering terjadi.",
    "Sebaiknya ada praktik langsung, bukan hanya ceramah.",
    "Mohon dijadwalkan di luar jam sibuk layanan.",
    "Bisa dikaitkan dengan SOP yang sedang direvisi.",
    "Perlu melibatkan petugas satpam dan petugas informasi juga.",
    "Usul: pakai contoh kasus nyata dari pengaduan tahun lalu.",
    "Kami siap berbagi pengalaman dari puskesmas.",
    "Sangat dibutuhkan untuk pegawai baru.",
]


def _dt(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=JAKARTA)


# Criteria of the scenario rubrics: (name, weight, descriptor of each score 1–4), by the
# programme's rubric kind; any other kind gets the performance-dialogue rubric.
RUBRIC_SPECS: dict[str, list[tuple[str, ...]]] = {
    "service": [
        (
            "Membuka interaksi: salam, sikap tubuh, menyebut nama",
            "20",
            "Tidak menyapa; sikap tertutup",
            "Menyapa datar",
            "Menyapa ramah dan menawarkan bantuan",
            "Menyapa ramah, menyebut nama warga, membangun suasana tenang",
        ),
        (
            "Mendengarkan dan berempati",
            "25",
            "Memotong pembicaraan",
            "Mendengar tanpa menanggapi perasaan",
            "Mengulang inti keluhan dan mengakui perasaan warga",
            "Mengakui perasaan, menggali kebutuhan dengan pertanyaan terbuka",
        ),
        (
            "Penjelasan dan solusi sesuai SOP",
            "30",
            "Menyalahkan warga atau sistem",
            "Menjelaskan prosedur tanpa solusi",
            "Memberi solusi sesuai SOP dengan perkiraan waktu",
            "Memberi solusi, alternatif, batas waktu tertulis dan nomor kontak",
        ),
        (
            "Pencatatan dan tindak lanjut pengaduan",
            "25",
            "Tidak mencatat",
            "Mencatat sebagian",
            "Mencatat lengkap dan meneruskan",
            "Mencatat lengkap, meneruskan, dan memberi tahu warga jalur pemantauan",
        ),
    ],
    "ethics": [
        (
            "Mengenali dilema etika",
            "30",
            "Tidak menyadari masalah",
            "Menyadari tetapi ragu",
            "Menyebut aturan yang dilanggar",
            "Menyebut aturan dan dampaknya bagi layanan",
        ),
        (
            "Menolak dengan sopan dan tegas",
            "40",
            "Menerima atau kasar",
            "Menolak dengan canggung",
            "Menolak sopan dengan alasan jelas",
            "Menolak sopan, menjaga hubungan baik, tetap melayani",
        ),
        (
            "Melaporkan sesuai mekanisme",
            "30",
            "Tidak melapor",
            "Melapor lisan saja",
            "Melapor ke UPG sesuai formulir",
            "Melapor tepat waktu dan mendokumentasikan",
        ),
    ],
    "performance": [
        (
            "Persiapan dan data",
            "25",
            "Tanpa data",
            "Data seadanya",
            "Data capaian lengkap",
            "Data lengkap dengan bukti dukung",
        ),
        (
            "Umpan balik yang spesifik",
            "35",
            "Umum dan menghakimi",
            "Spesifik tetapi satu arah",
            "Spesifik, berimbang, berbasis perilaku",
            "Spesifik, berimbang, memancing refleksi",
        ),
        (
            "Rencana perbaikan bersama",
            "40",
            "Tidak ada rencana",
            "Rencana dari atasan saja",
            "Rencana disepakati dengan target",
            "Rencana SMART disepakati dengan jadwal pemantauan",
        ),
    ],
}


def _rubric(kind: str) -> list[programmes.CriterionInput]:
    scale = [(1, "Kurang"), (2, "Cukup"), (3, "Baik"), (4, "Sangat baik")]
    spec = RUBRIC_SPECS.get(kind, RUBRIC_SPECS["performance"])
    return [
        programmes.CriterionInput(
            name=name,
            weight=weight,
            levels=[
                (score, label, descriptor)
                for (score, label), descriptor in zip(scale, d, strict=True)
            ],
        )
        for name, weight, *d in spec
    ]


# (code, title, type, JP, target kinds, competencies, modules, scenario, rubric kind, proposal codes)
PROGRAMMES = [
    (
        "PP-01",
        "Pelayanan Prima dan Penanganan Pengaduan",
        LearningType.PELATIHAN,
        "24",
        ["pelaksana", "fungsional"],
        [("M-PP", 3), ("T-ADU", 3), ("M-KOM", 3)],
        [
            (
                "Standar pelayanan, maklumat dan hak warga",
                ModuleKind.TEORI,
                "Ceramah dan diskusi",
                "6",
            ),
            (
                "Alur SP4N-LAPOR! dan batas waktu penyelesaian",
                ModuleKind.TEORI,
                "Ceramah, studi kasus",
                "4",
            ),
            (
                "Praktik mencatat dan menjawab pengaduan",
                ModuleKind.PRAKTIK,
                "Latihan dengan aplikasi",
                "6",
            ),
            (
                "Simulasi: warga marah di loket",
                ModuleKind.SIMULASI,
                "Bermain peran dan umpan balik",
                "8",
            ),
        ],
        (
            "Warga marah: KTP-el tertunda tiga minggu",
            "Pak Yusuf datang ke loket Disdukcapil untuk ketiga kalinya. KTP-el-nya belum jadi tiga "
            "minggu setelah perekaman, padahal ia perlu untuk mendaftar kerja lusa. Ia berbicara keras, "
            "menuduh petugas mempersulit, dan antrean di belakangnya mulai ikut mengeluh.",
            [
                (
                    "Petugas loket",
                    "Meredakan, menjelaskan penyebab (blangko/antrean cetak), menawarkan surat keterangan atau IKD, mencatat pengaduan.",
                ),
                (
                    "Warga (Pak Yusuf)",
                    "Marah, terburu-buru, tidak mau mendengar penjelasan teknis; melunak bila merasa didengar dan diberi kepastian.",
                ),
                ("Pengamat", "Mengisi rubrik dan mencatat kalimat kunci petugas."),
            ],
        ),
        "service",
        ["T-ADU", "M-PP"],
    ),
    (
        "ETK-01",
        "Etika dan Integritas ASN",
        LearningType.PELATIHAN,
        "16",
        [],
        [("M-INT", 3), ("SK-PB", 3)],
        [
            (
                "Kode etik, nilai dasar BerAKHLAK dan disiplin ASN",
                ModuleKind.TEORI,
                "Ceramah interaktif",
                "5",
            ),
            ("Gratifikasi dan benturan kepentingan", ModuleKind.TEORI, "Studi kasus", "4"),
            ("Praktik melaporkan gratifikasi ke UPG", ModuleKind.PRAKTIK, "Latihan formulir", "3"),
            (
                "Simulasi: pemohon menawarkan uang terima kasih",
                ModuleKind.SIMULASI,
                "Bermain peran",
                "4",
            ),
        ],
        (
            "Amplop di meja perizinan",
            "Seorang pemohon izin usaha yang izinnya baru terbit menyelipkan amplop di map berkas dan "
            "berkata, 'Sekadar uang lelah, Bu, jangan ditolak.' Ia kenalan kepala dinas.",
            [
                (
                    "Petugas perizinan",
                    "Menolak dengan sopan dan tegas, menjelaskan aturan, tetap melayani, melapor.",
                ),
                ("Pemohon", "Mendesak, menyebut nama pejabat, tersinggung bila ditolak kasar."),
                ("Pengamat", "Mengisi rubrik."),
            ],
        ),
        "ethics",
        ["M-INT"],
    ),
    (
        "KIN-01",
        "Manajemen Kinerja bagi Pengawas",
        LearningType.PELATIHAN,
        "20",
        ["pengawas"],
        [("T-KIN", 4), ("M-PDO", 3), ("M-PK", 3)],
        [
            ("SKP berdasarkan PermenPANRB 6/2022", ModuleKind.TEORI, "Ceramah", "5"),
            ("Menyusun indikator kinerja yang terukur", ModuleKind.PRAKTIK, "Lokakarya", "6"),
            ("Coaching dan umpan balik kinerja", ModuleKind.TEORI, "Diskusi", "3"),
            (
                "Simulasi: percakapan umpan balik dengan staf yang menurun kinerjanya",
                ModuleKind.SIMULASI,
                "Bermain peran",
                "6",
            ),
        ],
        (
            "Umpan balik untuk staf yang sering terlambat",
            "Kinerja seorang pelaksana menurun tiga bulan terakhir: laporan terlambat dan dua pengaduan "
            "warga menyebut namanya. Kepala seksi harus mengadakan percakapan umpan balik.",
            [
                (
                    "Kepala seksi",
                    "Membuka percakapan dengan data, mendengar, menyepakati rencana perbaikan.",
                ),
                ("Staf", "Defensif di awal; ternyata merawat orang tua yang sakit."),
                ("Pengamat", "Mengisi rubrik."),
            ],
        ),
        "performance",
        ["T-KIN", "M-PDO"],
    ),
    (
        "DIG-01",
        "Digitalisasi Layanan Publik",
        LearningType.PELATIHAN,
        "20",
        ["pelaksana", "fungsional", "pengawas"],
        [("T-DIG", 3), ("M-MP", 3)],
        [
            (
                "SPBE, layanan daring dan pelindungan data pribadi (UU 27/2022)",
                ModuleKind.TEORI,
                "Ceramah",
                "5",
            ),
            (
                "Praktik layanan daring dan tanda tangan elektronik",
                ModuleKind.PRAKTIK,
                "Praktik laboratorium komputer",
                "9",
            ),
            (
                "Simulasi: membantu warga lansia memakai layanan daring",
                ModuleKind.SIMULASI,
                "Bermain peran",
                "6",
            ),
        ],
        (
            "Lansia dan layanan daring",
            "Ibu Rosna (68 tahun) datang untuk mengurus akta kematian suaminya. Petugas ingin "
            "mengarahkannya ke layanan daring, tetapi ia tidak punya surel dan takut salah tekan.",
            [
                (
                    "Petugas",
                    "Menjelaskan pelan, membantu langkah demi langkah, menjaga data pribadi.",
                ),
                ("Ibu Rosna", "Cemas, mudah bingung, menghargai kesabaran."),
                ("Pengamat", "Mengisi rubrik."),
            ],
        ),
        "service",
        ["T-DIG"],
    ),
    (
        "ADK-01",
        "Layanan Administrasi Kependudukan Terpadu",
        LearningType.BIMBINGAN_TEKNIS,
        "16",
        ["pelaksana"],
        [("T-ADK", 3), ("M-PP", 3)],
        [
            (
                "Regulasi adminduk terbaru dan standar waktu layanan",
                ModuleKind.TEORI,
                "Ceramah",
                "4",
            ),
            (
                "Praktik perekaman KTP-el bagi warga rentan",
                ModuleKind.PRAKTIK,
                "Praktik lapangan",
                "8",
            ),
            (
                "Simulasi: data ganda dan perubahan elemen data",
                ModuleKind.SIMULASI,
                "Bermain peran",
                "4",
            ),
        ],
        (
            "Data ganda menghambat akta kelahiran",
            "Seorang ayah ingin mengurus akta kelahiran anaknya, tetapi NIK istrinya tercatat ganda di "
            "dua kabupaten. Ia sudah dua kali datang.",
            [
                (
                    "Petugas",
                    "Menjelaskan masalah, mengajukan perbaikan data, memberi kepastian waktu.",
                ),
                ("Ayah", "Kesal karena merasa dipingpong."),
                ("Pengamat", "Mengisi rubrik."),
            ],
        ),
        "service",
        ["T-ADK"],
    ),
    (
        "IZN-01",
        "Pelayanan Perizinan Berusaha Berbasis Risiko",
        LearningType.BIMBINGAN_TEKNIS,
        "12",
        ["pelaksana", "fungsional"],
        [("T-IZN", 3)],
        [
            ("OSS RBA dan klasifikasi KBLI", ModuleKind.TEORI, "Ceramah", "4"),
            ("Praktik verifikasi permohonan di OSS", ModuleKind.PRAKTIK, "Praktik komputer", "5"),
            ("Simulasi: pemohon mendesak izin terbit", ModuleKind.SIMULASI, "Bermain peran", "3"),
        ],
        (
            "Pemohon mendesak",
            "Pemilik rumah makan mendesak izinnya terbit hari ini karena akan diresmikan wali kota, "
            "padahal dokumen lingkungan belum lengkap.",
            [
                ("Petugas", "Menjelaskan syarat, menawarkan jalur percepatan yang sah."),
                ("Pemohon", "Mendesak dan menyebut acara wali kota."),
                ("Pengamat", "Mengisi rubrik."),
            ],
        ),
        "service",
        ["T-IZN"],
    ),
    (
        "KES-01",
        "Komunikasi Efektif di Puskesmas",
        LearningType.WORKSHOP,
        "12",
        ["fungsional", "pelaksana"],
        [("T-KES", 3), ("M-KOM", 3)],
        [
            ("Komunikasi terapeutik dan hak pasien", ModuleKind.TEORI, "Ceramah", "4"),
            (
                "Praktik triase dan informasi rujukan",
                ModuleKind.PRAKTIK,
                "Praktik di puskesmas",
                "4",
            ),
            (
                "Simulasi: keluarga pasien menuntut rujukan",
                ModuleKind.SIMULASI,
                "Bermain peran",
                "4",
            ),
        ],
        (
            "Keluarga menuntut rujukan",
            "Anak pasien demam tiga hari menuntut rujukan ke RSUD malam itu juga; dokter menilai belum "
            "ada indikasi rujukan.",
            [
                (
                    "Perawat jaga",
                    "Menjelaskan hasil pemeriksaan dan tanda bahaya, menjadwalkan kontrol.",
                ),
                ("Keluarga pasien", "Cemas dan curiga dipersulit."),
                ("Pengamat", "Mengisi rubrik."),
            ],
        ),
        "service",
        ["T-KES"],
    ),
    (
        "KOL-01",
        "Kolaborasi Layanan di Mal Pelayanan Publik",
        LearningType.WORKSHOP,
        "8",
        [],
        [("M-KS", 3), ("M-PP", 3)],
        [
            ("Model layanan terpadu satu pintu", ModuleKind.TEORI, "Diskusi", "2"),
            ("Praktik alur rujukan antarloket", ModuleKind.PRAKTIK, "Lokakarya", "3"),
            ("Simulasi: warga dilempar antarloket", ModuleKind.SIMULASI, "Bermain peran", "3"),
        ],
        (
            "Dilempar antarloket",
            "Seorang warga mengurus izin usaha mikro dan diminta bolak-balik antara loket DPMPTSP dan "
            "Disdukcapil karena alamat di KTP berbeda dengan lokasi usaha.",
            [
                ("Petugas loket DPMPTSP", "Mengambil alih koordinasi dengan loket lain."),
                ("Petugas loket Disdukcapil", "Bekerja sama, bukan melempar."),
                ("Warga", "Lelah dan kecewa."),
            ],
        ),
        "service",
        ["M-KS"],
    ),
]

# Batch start dates per programme (the service demo's trained units improve after May–July).
BATCH_STARTS = {
    "PP-01": [date(2026, 4, 27), date(2026, 5, 25), date(2026, 6, 22), date(2026, 9, 14)],
    "ETK-01": [date(2026, 3, 16), date(2026, 8, 3), date(2026, 11, 9)],
    "KIN-01": [date(2026, 4, 6), date(2026, 10, 5)],
    "DIG-01": [date(2026, 5, 11), date(2026, 7, 20), date(2026, 10, 19)],
    "ADK-01": [date(2026, 3, 23), date(2026, 8, 17)],
    "IZN-01": [date(2026, 6, 8), date(2026, 9, 28)],
    "KES-01": [date(2026, 5, 4), date(2026, 7, 6), date(2026, 11, 23)],
    "KOL-01": [date(2026, 7, 27), date(2026, 12, 7)],
}
ROMAN = ["I", "II", "III", "IV", "V"]
COSTS = [
    (CostCategory.NEEDS_DESIGN, Decimal("2500000"), "Analisis kebutuhan dan penyusunan kurikulum"),
    (CostCategory.TRAINER, Decimal("900000"), "Honor pengajar per JP"),
    (CostCategory.VENUE, Decimal("3500000"), "Sewa ruang dan peralatan per angkatan"),
    (CostCategory.MATERIALS, Decimal("150000"), "Modul dan ATK per peserta"),
    (CostCategory.TRAVEL, Decimal("85000"), "Konsumsi per peserta per hari"),
    (
        CostCategory.PARTICIPANT_TIME,
        Decimal("45000"),
        "Gaji peserta selama pelatihan per peserta per JP",
    ),
    (CostCategory.EVALUATION, Decimal("2000000"), "Evaluasi L1–L4"),
]


def step_learning(ctx: DemoContext) -> None:
    rng = random.Random(SEED)
    admin = ctx.users["admin"]
    comps = _competencies(ctx, admin)
    _required_levels(ctx, admin, comps)
    campaign = _campaign(ctx, admin, rng)
    proposals = _proposals(ctx, campaign, comps, rng)
    trainers = _trainers(ctx, admin)
    made = _programmes(ctx, admin, comps, campaign, proposals, trainers, rng)
    n_batches, n_sessions = _batches(ctx, admin, made, trainers)
    ctx.extra["learning_campaign"] = campaign
    with ctx.in_reader_language():
        ctx.say(
            gettext(
                "kompetensi: {competencies}, program: {programmes}, angkatan: {batches}, "
                "sesi: {sessions}"
            ).format(
                competencies=formatting.number(len(comps), 0),
                programmes=formatting.number(len(made), 0),
                batches=formatting.number(n_batches, 0),
                sessions=formatting.number(n_sessions, 0),
            )
        )


def _competencies(ctx: DemoContext, admin: User) -> dict[str, Competency]:
    made = {}
    for code, name, group, definition, indicators in COMPETENCIES:
        made[code] = competencies.do_create_competency(
            instansi=ctx.instansi,
            code=code,
            name=name,
            group=group,
            description=definition,
            levels=[
                competencies.LevelInput(
                    level=i, description=LEVEL_WORDS[i], indicators=indicators[i - 1]
                )
                for i in range(1, 6)
            ],
            actor=admin,
        )
    return made


def _required_levels(ctx: DemoContext, admin: User, comps: dict[str, Competency]) -> None:
    rows: list[dict[str, object]] = []
    for kind, level in MANAGERIAL_BY_KIND.items():
        for code, _name, group, _d, _i in COMPETENCIES:
            if group == CompetencyGroup.TEKNIS:
                continue
            rows.append(
                {
                    "Jenis jabatan": kind,
                    "Nama jabatan": "",
                    "Kode kompetensi": code,
                    "Level": MANAGERIAL_EXTRA.get((kind, code), level),
                }
            )
        for code, level_t in TECHNICAL_BY_KIND.get(kind, {}).items():
            rows.append(
                {
                    "Jenis jabatan": kind,
                    "Nama jabatan": "",
                    "Kode kompetensi": code,
                    "Level": level_t,
                }
            )
    # a jabatan fungsional is named with its jenjang ("Perawat Ahli Pertama"): its technical
    # standard is the jabatan's
    posts = {
        name: (kind, base)
        for name, kind in Employee.objects.filter(instansi=ctx.instansi)
        .values_list("jabatan_name", "jabatan_kind")
        .distinct()
        for base in TECHNICAL_BY_POST
        if name == base or (kind == "fungsional" and name.startswith(base + " "))
    }
    for post, (kind, base) in sorted(posts.items()):
        for code, level in TECHNICAL_BY_POST[base].items():
            rows.append(
                {
                    "Jenis jabatan": kind,
                    "Nama jabatan": post,
                    "Kode kompetensi": code,
                    "Level": level,
                }
            )
    competencies.do_import_required_levels(instansi=ctx.instansi, rows=rows, actor=admin)


def _campaign(ctx: DemoContext, admin: User, rng: random.Random):
    opens = _dt(date(2026, 1, 5), 8)
    closes = _dt(date(2026, 2, 27), 16)
    campaign = akp.do_create_campaign(
        instansi=ctx.instansi,
        name="AKP dan Usulan Pelatihan 2026",
        year=2026,
        opens_at=opens,
        closes_at=closes,
        actor=admin,
    )
    akp.do_open_campaign(campaign, actor=admin)
    entries = list(
        AkpEntry.objects.filter(campaign=campaign)
        .order_by("employee_id", "competency_id")
        .values_list("employee_id", "competency_id", "required_level", "competency__code")
    )
    supervisors = dict(
        Employee.objects.filter(instansi=ctx.instansi).values_list("id", "supervisor_id")
    )
    # Weak spots of the demo year: complaint handling, digital services, performance management.
    weak = {"T-ADU": 1.0, "T-DIG": 0.8, "T-KIN": 0.7, "M-PP": 0.5, "M-KOM": 0.4, "M-INT": 0.2}
    by_person: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for employee_id, competency_id, required, code in entries:
        by_person[employee_id].append((competency_id, required, code))
    self_answers, atasan_answers = [], []
    span = int((closes - opens).total_seconds()) - 3600
    for employee_id in sorted(by_person):
        answers_self = rng.random() < 0.86  # missing is missing: some never answer
        answers_atasan = supervisors.get(employee_id) is not None and rng.random() < 0.78
        person = rng.gauss(0, 0.6)
        when_self = opens + timedelta(seconds=rng.randrange(span))
        when_atasan = opens + timedelta(seconds=rng.randrange(span))
        for competency_id, required, code in by_person[employee_id]:
            true = required - weak.get(code, 0.1) + person + rng.gauss(0, 0.5)
            if answers_self:
                level = min(5, max(1, round(true + 0.4 + rng.gauss(0, 0.4))))
                self_answers.append(
                    akp.CollectedAnswer(employee_id, competency_id, level, when_self)
                )
            if answers_atasan:
                level = min(5, max(1, round(true + rng.gauss(0, 0.4))))
                atasan_answers.append(
                    akp.CollectedAnswer(
                        employee_id, competency_id, level, when_atasan, supervisors[employee_id]
                    )
                )
    # The demo collects answers in bulk, through the same validation as the admin's import.
    akp.do_import_assessments(campaign=campaign, kind="self", answers=self_answers, actor=admin)
    akp.do_import_assessments(campaign=campaign, kind="atasan", answers=atasan_answers, actor=admin)
    return campaign


def _proposals(ctx: DemoContext, campaign, comps, rng: random.Random) -> list[Proposal]:
    from kompeten.core.models import User

    users = list(
        User.objects.filter(instansi=ctx.instansi, employee__isnull=False, employee__is_active=True)
        .select_related("employee")
        .order_by("employee__nip")
    )
    service_units = {"DUKCAPIL", "DPMPTSP", "MPP", "PKM-BRG"}
    service_users = [u for u in users if u.employee and u.employee.unit.code in service_units]
    made: list[Proposal] = []
    start = campaign.opens_at + timedelta(days=2)
    for i, (title, problem, learning_type, code) in enumerate(PROPOSALS):
        pool = service_users if i % 3 != 2 and service_users else users
        proposer = pool[rng.randrange(len(pool))]
        made.append(
            codesign.do_create_proposal(
                campaign=campaign,
                actor=proposer,
                title=title,
                problem=problem,
                learning_type=learning_type,
                competency=comps[code] if code else None,
                now=start + timedelta(hours=9 * i + rng.randrange(8)),
            )
        )
    votes = []
    employees = [u.employee for u in users if u.employee is not None]
    for rank, proposal in enumerate(made):
        popularity = max(2, int(140 / (1 + rank * 0.35) * rng.uniform(0.6, 1.2)))
        voters = rng.sample(employees, min(popularity, len(employees)))
        for voter in voters:
            at = proposal.created + timedelta(minutes=rng.randrange(60, 60 * 24 * 20))
            votes.append((proposal, voter, min(at, campaign.closes_at - timedelta(minutes=5))))
    codesign.record_votes_bulk(votes)
    for proposal in made:
        for _ in range(rng.randrange(0, 5)):
            author = users[rng.randrange(len(users))]
            codesign.do_comment(
                proposal=proposal,
                actor=author,
                text=COMMENTS[rng.randrange(len(COMMENTS))],
                now=proposal.created + timedelta(hours=rng.randrange(2, 400)),
            )
    for proposal in made[-6:]:
        codesign.do_set_proposal_status(proposal=proposal, status=ProposalStatus.DECLINED)
    akp.do_close_campaign(campaign)
    return made


def _trainers(ctx: DemoContext, admin: User) -> list[Trainer]:
    internal = list(
        Employee.objects.filter(
            instansi=ctx.instansi, unit__code="BKPSDM", jabatan_kind__in=["fungsional", "pengawas"]
        ).order_by("nip")[:6]
    )
    made = [
        batches.do_create_trainer(
            instansi=ctx.instansi,
            kind=TrainerKind.WIDYAISWARA if i % 2 == 0 else TrainerKind.FASILITATOR,
            employee=e,
            institution="BKPSDM Kota Sawahlunto",
            expertise="Pelayanan publik, etika ASN" if i % 2 == 0 else "Fasilitasi dan simulasi",
            actor=admin,
        )
        for i, e in enumerate(internal)
    ]
    externals = [
        (
            "Dr. Rahmi Fitriani, M.Si.",
            "Ombudsman RI Perwakilan Sumatera Barat (fiktif)",
            "Pengaduan dan maladministrasi",
        ),
        ("Hendra Saputra, S.Kom., M.T.", "Politeknik fiktif Padang", "SPBE dan keamanan data"),
        ("Ir. Yulia Kartika, M.M.", "Konsultan SDM (fiktif)", "Manajemen kinerja dan coaching"),
        ("dr. Fadli Ramadhan, M.K.M.", "Dinas Kesehatan Provinsi (fiktif)", "Komunikasi kesehatan"),
        ("Nofrizal, S.H., M.H.", "Inspektorat Provinsi (fiktif)", "Integritas dan gratifikasi"),
        ("Dewi Anggraini, S.Sos.", "Lembaga pelatihan fiktif", "Pelayanan prima dan bermain peran"),
    ]
    for i, (name, institution, expertise) in enumerate(externals):
        made.append(
            batches.do_create_trainer(
                instansi=ctx.instansi,
                kind=TrainerKind.EXTERNAL,
                external_name=name,
                institution=institution,
                email=f"narasumber{i + 1}@contoh.test",
                expertise=expertise,
                actor=admin,
            )
        )
    # A few periods of leave: the scheduler and the session checks respect them.
    for i, trainer in enumerate(made[:4]):
        start = _dt(date(2026, 8 + i, 10), 0)
        batches.do_set_trainer_availability(
            trainer,
            start=start,
            end=start + timedelta(days=5),
            available=False,
            note="Cuti/tugas luar",
            actor=admin,
        )
    return made


def _programmes(ctx, admin, comps, campaign, proposals, trainers, rng):
    made: list[Programme] = []
    by_comp: dict[str | None, list[Proposal]] = defaultdict(list)
    for proposal, spec in zip(proposals, PROPOSALS, strict=True):
        by_comp[spec[3]].append(proposal)
    from kompeten.core.models import User

    voters = list(
        User.objects.filter(instansi=ctx.instansi, employee__isnull=False).order_by("username")[
            :400
        ]
    )
    for n, row in enumerate(PROGRAMMES):
        code, title, _ltype, jp, _kinds, _targets, modules, scenario, rubric, adopt = row
        programme = _create_programme(ctx, admin, comps, campaign, row, trainers, n)
        _confirm_objective_measures(programme, admin)
        _set_simulation(programme, scenario, rubric, admin)
        _add_costs(programme, n_batches=len(BATCH_STARTS[code]), jp=jp, admin=admin)
        adopted = [p for c in adopt for p in by_comp.get(c, [])][:3]
        if adopted:
            codesign.do_adopt_proposals(programme=programme, proposals=adopted, actor=admin)
        round_open = _dt(date(2026, 3, 2), 8) + timedelta(days=n)
        outline = f"Draf {title}: " + "; ".join(f"{t} ({j} JP)" for t, _k, _m, j in modules)
        _feedback_round(programme, outline, round_open, voters, rng, admin)
        programmes.do_set_programme_status(programme, status=ProgrammeStatus.FINAL, actor=admin)
        made.append(programme)
    return made


def _create_programme(ctx, admin, comps, campaign, row, trainers, n: int) -> Programme:
    """One programme of PROGRAMMES with its objectives, modules and target competencies; the
    trainers take turns: one leads, another runs the simulation."""
    code, title, ltype, jp, kinds, targets, modules, _scenario, _rubric_kind, _adopt = row
    lead, sim = trainers[n % len(trainers)], trainers[(n + 5) % len(trainers)]
    objectives = "\n".join(
        [
            f"Peserta mencapai level {lvl} pada kompetensi {comps[c].name} (dinilai atasan 3 bulan setelah pelatihan)."
            for c, lvl in targets
        ]
        + [
            "Rata-rata skor simulasi peserta ≥ 3,0 pada rubrik (skala 1–4).",
            "Nilai post-test naik sedikitnya 20 poin dari pre-test.",
        ]
    )
    return programmes.do_create_programme(
        instansi=ctx.instansi,
        data=programmes.ProgrammeInput(
            code=code,
            title=title,
            learning_type=ltype,
            total_jp=jp,
            description=f"Program {title.lower()} yang dirancang bersama ASN dari usulan AKP 2026.",
            objectives=objectives,
            year=2026,
            target_jabatan_kinds=kinds,
            target_min_gap=1,
            target_jp_deficit=True,
            campaign=campaign,
        ),
        modules=[
            programmes.ModuleInput(
                title=t,
                kind=k,
                method=m,
                jp=j,
                trainer=sim if k == ModuleKind.SIMULASI else lead,
            )
            for t, k, m, j in modules
        ],
        competencies=[(comps[c], lvl) for c, lvl in targets],
        actor=admin,
    )


def _set_simulation(
    programme: Programme, scenario: tuple[str, str, list[tuple[str, str]]], rubric: str, admin: User
) -> None:
    """The simulation module's scenario (title, situation, roles) and its rubric."""
    sim_module = programme.modules.get(kind=ModuleKind.SIMULASI)
    s_title, situation, roles = scenario
    scen = programmes.do_set_scenario(
        sim_module,
        title=s_title,
        situation=situation,
        roles=[programmes.RoleInput(role=r, brief=b) for r, b in roles],
        actor=admin,
    )
    programmes.do_set_rubric(scen, name=f"Rubrik {s_title}", criteria=_rubric(rubric), actor=admin)


def _add_costs(programme: Programme, *, n_batches: int, jp: str, admin: User) -> None:
    """Each COSTS line scaled by what it is priced per: JP, batch, participant or trip."""
    per_batch_people = 25
    jp_total = Decimal(jp)
    for category, amount, note in COSTS:
        if category == CostCategory.TRAINER:
            value = amount * jp_total * n_batches
        elif category == CostCategory.VENUE:
            value = amount * n_batches
        elif category in (CostCategory.MATERIALS,):
            value = amount * per_batch_people * n_batches
        elif category == CostCategory.TRAVEL:
            value = (
                amount
                * per_batch_people
                * n_batches
                * ((jp_total / 8).to_integral_value(rounding="ROUND_CEILING"))
            )
        elif category == CostCategory.PARTICIPANT_TIME:
            value = amount * per_batch_people * n_batches * jp_total
        else:
            value = amount
        programmes.do_add_cost_item(
            programme, category=category, amount=value, note=note, actor=admin
        )


def _feedback_round(
    programme: Programme,
    outline: str,
    round_open: datetime,
    voters: list[User],
    rng: random.Random,
    admin: User,
) -> None:
    """A ten-day co-design round on the draft: 4–11 comments from employees, then a summary."""
    fr = codesign.do_open_feedback_round(
        programme=programme,
        outline=outline,
        opens_at=round_open,
        closes_at=round_open + timedelta(days=10),
        actor=admin,
    )
    for i in range(rng.randrange(4, 12)):
        codesign.do_give_feedback(
            feedback_round=fr,
            actor=voters[rng.randrange(len(voters))],
            text=rng.choice(
                [
                    "Mohon porsi simulasi diperbanyak.",
                    "Sebaiknya dibagi dua hari agar loket tetap buka.",
                    "Tambahkan contoh kasus dari unit kami.",
                    "Materi teori bisa diberikan lewat e-learning dulu.",
                    "Perlu sesi tindak lanjut tiga bulan kemudian.",
                ]
            ),
            now=round_open + timedelta(hours=3 + 17 * i),
        )
    codesign.do_summarise_feedback_round(
        feedback_round=fr,
        summary="Simulasi dipertahankan dan jadwal dibagi agar layanan tetap berjalan.",
        actor=admin,
    )


SLOTS = ((8, 0, 4), (13, 0, 4))  # (hour, minute, max JP) — office hours, 1 JP = 45 minutes


def _plan_sessions(programme: Programme, start: date) -> list[tuple[datetime, datetime, Module]]:
    """Fill the modules' JP into weekday office-hour slots from `start` (working days only)."""
    plan: list[tuple[datetime, datetime, Module]] = []
    day = start
    slot = 0
    for module in programme.modules.order_by("order"):
        remaining = module.jp
        while remaining > 0:
            while not is_working_day(day):
                day += timedelta(days=1)
            hour, minute, cap = SLOTS[slot]
            chunk = min(remaining, Decimal(cap))
            begin = _dt(day, hour, minute)
            plan.append((begin, begin + timedelta(minutes=int(chunk * 45)), module))
            remaining -= chunk
            slot += 1
            if slot == len(SLOTS):
                slot = 0
                day += timedelta(days=1)
    return plan


def _batches(ctx, admin, made, trainers) -> tuple[int, int]:
    today = timezone.localdate()
    n_batches = n_sessions = 0
    for programme in made:
        module_trainers = {m.pk: m.trainer for m in programme.modules.select_related("trainer")}
        for i, start in enumerate(BATCH_STARTS[programme.code]):
            for shift in range(0, 8):
                begin = start + timedelta(weeks=shift)
                plan = _plan_sessions(programme, begin)
                end = timezone.localtime(plan[-1][1]).date()
                try:
                    with transaction.atomic():
                        batch = batches.do_create_batch(
                            programme,
                            data=batches.BatchInput(
                                code=f"{programme.code}-{ROMAN[i]}",
                                name=f"Angkatan {ROMAN[i]}",
                                capacity=30,
                                start_date=plan[0][0].date(),
                                end_date=end,
                                location="Aula BKPSDM Kota Sawahlunto"
                                if i % 2 == 0
                                else "Ruang Rapat Mal Pelayanan Publik",
                                trainers=list(
                                    {t.pk: t for t in module_trainers.values() if t}.values()
                                ),
                            ),
                            actor=admin,
                        )
                        batches.do_add_sessions(
                            batch,
                            sessions=[
                                batches.SessionInput(
                                    start=a, end=b, module=m, trainer=module_trainers[m.pk]
                                )
                                for a, b, m in plan
                            ],
                            actor=admin,
                        )
                except ValidationError:
                    # A trainer is on leave or teaching elsewhere that week: try a week later.
                    continue
                status = (
                    BatchStatus.DONE
                    if end < today
                    else BatchStatus.RUNNING
                    if batch.start_date <= today
                    else BatchStatus.OPEN
                    if batch.start_date <= today + timedelta(days=60)
                    else BatchStatus.PLANNED
                )
                if status != BatchStatus.PLANNED:
                    batches.do_set_batch_status(batch, status=status, actor=admin)
                n_batches += 1
                n_sessions += len(plan)
                break
    return n_batches, n_sessions


def _confirm_objective_measures(programme: Programme, admin: User) -> None:
    """The admin confirms the measure Kompeten suggests for each objective line (as on the
    programme's objectives page), so the demo report judges each by its own indicator."""
    rows = []
    for text in programme.objective_list:
        guess = guess_measure(text)
        if guess is not None:
            rows.append(
                ObjectiveInput(
                    text=text,
                    indicator=guess.indicator,
                    comparison=guess.comparison,
                    target=guess.target,
                )
            )
    if rows:
        do_set_objective_measures(programme=programme, rows=rows, actor=admin)
