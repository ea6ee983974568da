"""The demo's L2 item bank: real-looking pre/post-test questions for each demo programme.

Each programme has ten items (seven multiple choice, three true/false) on the content of its
modules; the parallel pre- and post-test forms take alternate items. The facts are those a
Sawahlunto officer would be taught (regulations named where the answer rests on one).
A programme outside the demo list (the tests' programmes) gets the general ASN items.
"""

from __future__ import annotations

# (question, correct answer, three wrong answers) — multiple choice
Choice = tuple[str, str, tuple[str, str, str]]
# (statement, true?) — true/false
Statement = tuple[str, bool]

ITEMS: dict[str, tuple[list[Choice], list[Statement]]] = {
    "PP-01": (
        [
            (
                "Berapa lama batas waktu verifikasi (tanggapan pertama) atas pengaduan yang masuk "
                "ke SP4N-LAPOR!?",
                "3 hari kerja",
                ("5 hari kerja", "14 hari kerja", "60 hari kerja"),
            ),
            (
                "Pengaduan yang memerlukan pemeriksaan lapangan diselesaikan paling lama …",
                "60 hari kerja",
                ("3 hari kerja", "5 hari kerja", "14 hari kerja"),
            ),
            (
                "Seorang warga berbicara keras di loket karena KTP-el-nya belum jadi. Langkah "
                "pertama yang paling tepat adalah …",
                "Mendengarkan sampai selesai dan mengakui kekecewaannya",
                (
                    "Langsung menjelaskan aturan pencetakan KTP-el",
                    "Meminta warga datang lagi besok",
                    "Memanggil petugas keamanan",
                ),
            ),
            (
                "Pernyataan kesanggupan penyelenggara untuk melayani sesuai standar pelayanan "
                "disebut …",
                "Maklumat pelayanan",
                ("Standar operasional prosedur", "Indeks kepuasan masyarakat", "Pakta integritas"),
            ),
            (
                "Komponen standar pelayanan yang wajib diumumkan kepada warga antara lain …",
                "Persyaratan, prosedur, waktu penyelesaian, dan biaya/tarif",
                (
                    "Struktur organisasi dan nama pejabat",
                    "Anggaran kegiatan unit layanan",
                    "Daftar hadir petugas loket",
                ),
            ),
            (
                "Pengaduan yang disampaikan langsung (lisan) di loket sebaiknya …",
                "Dicatat dan diberi nomor agar dapat dipantau tindak lanjutnya",
                (
                    "Cukup dijawab lisan saat itu juga",
                    "Disampaikan ke atasan tanpa catatan",
                    "Diminta ditulis ulang oleh warga di rumah",
                ),
            ),
            (
                "Nomor SMS saluran pengaduan nasional SP4N-LAPOR! adalah …",
                "1708",
                ("112", "119", "1500"),
            ),
        ],
        [
            (
                "Pengaduan yang belum selesai tetap dihitung dalam laporan penanganan pengaduan, "
                "tidak dikeluarkan dari perhitungan.",
                True,
            ),
            (
                "Petugas boleh menolak mencatat pengaduan bila warga tidak membawa fotokopi KTP.",
                False,
            ),
            (
                "Penanganan pengaduan, saran dan masukan adalah salah satu unsur SKM menurut "
                "PermenPANRB 14/2017.",
                True,
            ),
        ],
    ),
    "ETK-01": (
        [
            (
                "Nilai dasar ASN BerAKHLAK terdiri atas …",
                "Berorientasi pelayanan, akuntabel, kompeten, harmonis, loyal, adaptif, kolaboratif",
                (
                    "Bersih, efektif, ramah, amanah, kreatif, handal, loyal, adil, kompak",
                    "Berintegritas, akuntabel, kreatif, hemat, loyal, aman, kompak",
                    "Bertanggung jawab, efisien, ramah, akurat, kompeten, harmonis, lugas",
                ),
            ),
            (
                "Gratifikasi yang diterima pegawai wajib dilaporkan kepada KPK paling lambat … "
                "sejak diterima.",
                "30 hari kerja",
                ("7 hari kerja", "14 hari kerja", "60 hari kerja"),
            ),
            (
                "Pemohon izin menyelipkan amplop 'uang terima kasih' di map berkas. Sikap yang "
                "tepat adalah …",
                "Menolak dengan sopan, menjelaskan aturannya, dan tetap melayani",
                (
                    "Menerima karena izinnya sudah terbit",
                    "Menerima lalu membagikannya kepada rekan satu loket",
                    "Menolak dengan keras di depan warga lain",
                ),
            ),
            (
                "Hadiah yang tidak dapat ditolak karena dikirim ke rumah sebaiknya …",
                "Dilaporkan ke Unit Pengendalian Gratifikasi atau KPK",
                (
                    "Disimpan sampai pemberinya datang lagi",
                    "Dipakai untuk keperluan kantor",
                    "Dikembalikan tanpa dicatat",
                ),
            ),
            (
                "Situasi berikut yang merupakan benturan kepentingan adalah …",
                "Petugas memverifikasi berkas izin usaha milik saudaranya sendiri",
                (
                    "Petugas melayani warga sesuai nomor antrean",
                    "Petugas meminta kelengkapan berkas yang kurang",
                    "Petugas mengikuti pelatihan yang dibiayai kantor",
                ),
            ),
            (
                "Peraturan yang mengatur disiplin PNS saat ini adalah …",
                "PP 94 Tahun 2021",
                ("PP 53 Tahun 2010", "UU 25 Tahun 2009", "PermenPANRB 14 Tahun 2017"),
            ),
            (
                "Tingkat hukuman disiplin PNS menurut PP 94/2021 adalah …",
                "Ringan, sedang, dan berat",
                ("Teguran dan peringatan", "Administratif dan pidana", "Lisan dan tertulis"),
            ),
        ],
        [
            (
                "Hadiah dari pemohon sesudah izinnya terbit tidak termasuk gratifikasi karena "
                "diberikan setelah layanan selesai.",
                False,
            ),
            ("ASN wajib netral dan tidak boleh berpihak dalam kampanye politik.", True),
            (
                "Gratifikasi yang dilaporkan tepat waktu tidak dianggap suap bagi penerimanya.",
                True,
            ),
        ],
    ),
    "KIN-01": (
        [
            (
                "Menurut PermenPANRB 6/2022, predikat kinerja pegawai ditentukan dari …",
                "Rating hasil kerja dan rating perilaku kerja",
                (
                    "Nilai SKP dan daftar hadir",
                    "Penilaian atasan dan rekan kerja saja",
                    "Capaian anggaran unit kerja",
                ),
            ),
            (
                "Pegawai dengan hasil kerja di atas ekspektasi dan perilaku sesuai ekspektasi "
                "mendapat predikat …",
                "Baik",
                ("Sangat Baik", "Butuh Perbaikan", "Kurang"),
            ),
            (
                "Indikator kinerja yang baik bersifat …",
                "Spesifik, terukur, dapat dicapai, relevan, dan berbatas waktu",
                (
                    "Umum agar mudah dipenuhi",
                    "Sama untuk semua pegawai di unit",
                    "Ditetapkan pegawai tanpa dibahas dengan atasan",
                ),
            ),
            (
                "Indikator yang paling terukur untuk petugas loket adalah …",
                "Persentase permohonan yang selesai sesuai standar waktu layanan",
                (
                    "Bekerja dengan sungguh-sungguh",
                    "Meningkatkan mutu pelayanan",
                    "Mendukung visi dan misi kepala daerah",
                ),
            ),
            (
                "Dalam percakapan umpan balik, pengawas sebaiknya memulai dengan …",
                "Data dan contoh perilaku yang spesifik",
                (
                    "Kesimpulan bahwa kinerja pegawai buruk",
                    "Perbandingan dengan pegawai lain",
                    "Ancaman sanksi disiplin",
                ),
            ),
            (
                "Dialog kinerja antara atasan dan pegawai dilakukan …",
                "Secara berkala sepanjang periode penilaian",
                (
                    "Hanya pada akhir tahun",
                    "Hanya bila ada pengaduan warga",
                    "Hanya menjelang kenaikan pangkat",
                ),
            ),
            (
                "Coaching berbeda dari mentoring karena coaching …",
                "Membantu pegawai menemukan jawabannya sendiri melalui pertanyaan",
                (
                    "Selalu diberikan oleh pegawai senior dari unit lain",
                    "Berupa ceramah di kelas",
                    "Hanya untuk pegawai yang kinerjanya buruk",
                ),
            ),
        ],
        [
            ("Perilaku kerja pegawai dinilai berdasarkan nilai dasar BerAKHLAK.", True),
            (
                "Umpan balik negatif sebaiknya disampaikan di depan rekan kerja agar menjadi "
                "pelajaran bersama.",
                False,
            ),
            (
                "Rencana perbaikan kinerja disepakati bersama dan dipantau dengan jadwal yang "
                "jelas.",
                True,
            ),
        ],
    ),
    "DIG-01": (
        [
            (
                "Undang-undang yang mengatur pelindungan data pribadi adalah …",
                "UU 27 Tahun 2022",
                ("UU 11 Tahun 2008", "UU 25 Tahun 2009", "UU 23 Tahun 2014"),
            ),
            (
                "SPBE adalah singkatan dari …",
                "Sistem Pemerintahan Berbasis Elektronik",
                (
                    "Sistem Pelayanan Berbasis Elektronik",
                    "Standar Pelayanan Berbasis Elektronik",
                    "Sistem Pengaduan Berbasis Elektronik",
                ),
            ),
            (
                "Warga meminta foto Kartu Keluarganya dikirim ke aplikasi pesan pribadi petugas. "
                "Tindakan yang tepat adalah …",
                "Mengarahkan warga ke kanal resmi layanan daring instansi",
                (
                    "Menerima lalu meneruskannya ke grup kantor",
                    "Menerima asalkan dihapus setelah diproses",
                    "Meminta warga mengirim ke surel pribadi petugas",
                ),
            ),
            (
                "Sertifikat elektronik untuk tanda tangan elektronik instansi pemerintah "
                "diterbitkan oleh …",
                "Balai Besar Sertifikasi Elektronik (BSrE) BSSN",
                ("Ditjen Dukcapil", "Bank Indonesia", "Badan Pusat Statistik"),
            ),
            (
                "Kata sandi yang paling aman untuk akun aplikasi layanan adalah …",
                "Frasa panjang yang unik dan tidak dipakai di akun lain",
                ("Tanggal lahir petugas", "NIP petugas", "Sama dengan kata sandi surel"),
            ),
            (
                "Saat membantu warga lansia memakai layanan daring, petugas sebaiknya …",
                "Membimbing langkah demi langkah dan membiarkan warga mengetik sendiri kata "
                "sandinya",
                (
                    "Meminta kata sandi warga agar proses lebih cepat",
                    "Membuatkan akun atas nama petugas",
                    "Menyuruh warga datang bersama anaknya lain kali",
                ),
            ),
            (
                "Menurut UU 27/2022, yang termasuk data pribadi bersifat spesifik adalah …",
                "Data dan informasi kesehatan",
                ("Nama lengkap", "Jenis kelamin", "Kewarganegaraan"),
            ),
        ],
        [
            (
                "Berkas berisi NIK warga boleh disimpan di flashdisk pribadi asalkan tidak "
                "dibagikan.",
                False,
            ),
            (
                "Kegagalan pelindungan data pribadi wajib diberitahukan kepada pemilik data.",
                True,
            ),
            (
                "Layanan daring menghapus kewajiban unit menyediakan layanan tatap muka bagi "
                "warga yang membutuhkan.",
                False,
            ),
        ],
    ),
    "ADK-01": (
        [
            (
                "Nomor Induk Kependudukan (NIK) terdiri atas … digit.",
                "16",
                ("12", "15", "18"),
            ),
            (
                "Persyaratan penerbitan akta kelahiran antara lain …",
                "Surat keterangan kelahiran dari dokter, bidan atau penolong kelahiran",
                (
                    "Surat keterangan catatan kepolisian",
                    "NPWP orang tua",
                    "Ijazah terakhir orang tua",
                ),
            ),
            (
                "Identitas Kependudukan Digital (IKD) adalah …",
                "Dokumen kependudukan elektronik dalam aplikasi yang berlaku sebagai identitas",
                (
                    "Salinan pindaian KTP-el yang disimpan di ponsel",
                    "Nomor antrean perekaman KTP-el",
                    "Kartu pengganti sementara KTP-el yang hilang",
                ),
            ),
            (
                "NIK seorang warga tercatat ganda. Langkah yang tepat adalah …",
                "Memverifikasi data dan mengajukan penyelesaian data ganda melalui Disdukcapil",
                (
                    "Meminta warga memakai salah satu NIK saja",
                    "Menerbitkan NIK baru tanpa verifikasi",
                    "Menolak melayani sampai warga mengurus sendiri ke pusat",
                ),
            ),
            (
                "Perekaman KTP-el bagi lansia yang tidak dapat datang ke kantor dilakukan …",
                "Dengan layanan jemput bola ke rumah sesuai jadwal",
                (
                    "Tidak perlu karena lansia dikecualikan",
                    "Dengan mengirim foto lewat pesan singkat",
                    "Oleh keluarga yang datang mewakili",
                ),
            ),
            (
                "Penduduk WNI wajib memiliki KTP-el setelah berumur … atau sudah kawin.",
                "17 tahun",
                ("15 tahun", "18 tahun", "21 tahun"),
            ),
            (
                "Perubahan elemen data seperti pekerjaan atau pendidikan dicatat pada …",
                "Kartu Keluarga dan basis data kependudukan",
                ("Akta kelahiran", "Surat keterangan pindah", "Buku nikah"),
            ),
        ],
        [
            ("Penerbitan dokumen kependudukan tidak dipungut biaya.", True),
            (
                "Akta kelahiran hanya dapat diterbitkan bila orang tua memiliki buku nikah.",
                False,
            ),
            (
                "Surat pernyataan tanggung jawab mutlak (SPTJM) dapat dipakai bila dokumen "
                "persyaratan tertentu tidak dimiliki.",
                True,
            ),
        ],
    ),
    "IZN-01": (
        [
            (
                "Dalam perizinan berusaha berbasis risiko, usaha berisiko rendah cukup memiliki …",
                "Nomor Induk Berusaha (NIB)",
                ("Izin usaha dari kepala daerah", "Sertifikat standar terverifikasi", "SIUP"),
            ),
            (
                "Usaha berisiko menengah tinggi memerlukan …",
                "NIB dan sertifikat standar yang telah diverifikasi",
                ("NIB saja", "Izin gangguan dari kelurahan", "Rekomendasi DPRD"),
            ),
            (
                "KBLI digunakan untuk …",
                "Mengklasifikasikan kegiatan usaha",
                (
                    "Menentukan besar pajak daerah",
                    "Mencatat jumlah tenaga kerja",
                    "Menilai kelayakan kredit usaha",
                ),
            ),
            (
                "Sistem elektronik terintegrasi untuk perizinan berusaha adalah …",
                "OSS (Online Single Submission)",
                ("SIASN", "SP4N-LAPOR!", "SIPD"),
            ),
            (
                "Pemohon mendesak izinnya terbit hari ini padahal dokumen lingkungan belum "
                "lengkap. Tindakan yang tepat adalah …",
                "Menjelaskan kekurangannya dan jalur sah untuk melengkapinya",
                (
                    "Menerbitkan izin lalu meminta dokumen menyusul",
                    "Meminta persetujuan lisan kepala dinas",
                    "Menolak tanpa menjelaskan alasannya",
                ),
            ),
            (
                "Cara terbaik mencegah permohonan dikembalikan karena salah KBLI adalah …",
                "Membantu pemohon memilih KBLI sesuai kegiatannya sebelum mengajukan",
                (
                    "Memilihkan KBLI yang paling umum",
                    "Meminta pemohon mencoba beberapa KBLI sekaligus",
                    "Mengembalikan berkas tanpa penjelasan",
                ),
            ),
            (
                "Persetujuan Bangunan Gedung (PBG) menggantikan …",
                "Izin Mendirikan Bangunan (IMB)",
                ("Sertifikat Laik Fungsi", "Izin Lokasi", "Izin Gangguan"),
            ),
        ],
        [
            (
                "NIB usaha mikro dan kecil berisiko rendah berlaku sekaligus sebagai perizinan "
                "tunggal.",
                True,
            ),
            (
                "Izin boleh diterbitkan sebelum persyaratan lengkap bila pemohon dikenal pejabat.",
                False,
            ),
            ("Setiap permohonan yang ditolak harus disertai alasan penolakan.", True),
        ],
    ),
    "KES-01": (
        [
            (
                "Komunikasi terapeutik bertujuan …",
                "Membantu pemulihan pasien melalui hubungan saling percaya",
                (
                    "Mempercepat waktu pemeriksaan",
                    "Mengurangi jumlah pasien yang berobat",
                    "Menggantikan pemeriksaan fisik",
                ),
            ),
            (
                "Keluarga pasien menuntut rujukan padahal dokter menilai belum ada indikasi. "
                "Langkah yang tepat adalah …",
                "Menjelaskan hasil pemeriksaan, tanda bahaya, dan jadwal kontrol",
                (
                    "Langsung membuat rujukan agar keluarga tenang",
                    "Meminta keluarga mencari puskesmas lain",
                    "Menghindari keluarga sampai mereka tenang",
                ),
            ),
            (
                "Triase menentukan urutan pelayanan berdasarkan …",
                "Tingkat kegawatan kondisi pasien",
                ("Urutan kedatangan", "Jenis kepesertaan jaminan", "Usia pasien"),
            ),
            (
                "Teknik SBAR untuk komunikasi antartenaga kesehatan terdiri atas …",
                "Situation, Background, Assessment, Recommendation",
                (
                    "Sign, Body, Action, Result",
                    "Symptom, Blood, Airway, Response",
                    "Status, Begin, Act, Report",
                ),
            ),
            (
                "Hak pasien atas informasi mencakup penjelasan tentang …",
                "Diagnosis, tindakan, risiko, dan alternatifnya",
                (
                    "Jadwal dinas petugas",
                    "Pendapatan puskesmas",
                    "Riwayat penyakit pasien lain",
                ),
            ),
            (
                "Saat memberi penjelasan kepada pasien lanjut usia, petugas sebaiknya …",
                "Berbicara pelan dan jelas lalu meminta pasien mengulang pesan pentingnya",
                (
                    "Memberi brosur tanpa penjelasan",
                    "Menjelaskan dengan istilah medis yang lengkap",
                    "Hanya berbicara kepada pendamping pasien",
                ),
            ),
            (
                "Persetujuan tindakan kedokteran diberikan oleh …",
                "Pasien atau keluarga terdekatnya setelah mendapat penjelasan",
                ("Kepala puskesmas", "Perawat yang bertugas", "Petugas pendaftaran"),
            ),
        ],
        [
            ("Informasi rujukan yang jelas mengurangi pengaduan keluarga pasien.", True),
            ("Rahasia medis pasien boleh diceritakan kepada tetangga yang menanyakan.", False),
            (
                "Pasien dalam keadaan gawat darurat dilayani tanpa harus membawa surat rujukan.",
                True,
            ),
        ],
    ),
    "KOL-01": (
        [
            (
                "Mal Pelayanan Publik adalah …",
                "Tempat pelayanan publik berbagai instansi yang diselenggarakan secara terpadu",
                (
                    "Pusat perbelanjaan milik pemerintah daerah",
                    "Kantor Disdukcapil yang diperluas",
                    "Aplikasi daring perizinan",
                ),
            ),
            (
                "Warga datang ke loket yang salah. Sikap kolaboratif yang tepat adalah …",
                "Mengantar atau menghubungi loket yang benar dan memastikan warga dilayani",
                (
                    "Menyebut nomor loket lain lalu memanggil antrean berikutnya",
                    "Meminta warga mengambil antrean ulang",
                    "Menerima berkas walau bukan kewenangannya",
                ),
            ),
            (
                "Pelayanan terpadu satu pintu berarti …",
                "Proses dari permohonan sampai terbitnya dokumen dilakukan di satu tempat",
                (
                    "Semua layanan ditangani satu petugas",
                    "Warga hanya boleh mengurus satu layanan per hari",
                    "Satu loket dibuka untuk semua OPD bergantian",
                ),
            ),
            (
                "Alat yang paling membantu koordinasi antarloket adalah …",
                "Alur rujukan antarloket yang disepakati dan diketahui semua petugas",
                (
                    "Papan pengumuman jam istirahat",
                    "Daftar nomor telepon pribadi pejabat",
                    "Formulir pengaduan di setiap loket",
                ),
            ),
            (
                "Alamat pada KTP pemohon berbeda dengan lokasi usahanya. Petugas DPMPTSP "
                "sebaiknya …",
                "Berkoordinasi langsung dengan loket Disdukcapil di MPP",
                (
                    "Menolak permohonan",
                    "Meminta pemohon pindah domisili dahulu",
                    "Mengganti alamat usaha sesuai KTP",
                ),
            ),
            (
                "Manfaat utama MPP bagi warga adalah …",
                "Menghemat waktu dan biaya karena banyak layanan ada di satu lokasi",
                (
                    "Biaya layanan menjadi lebih mahal tetapi cepat",
                    "Warga tidak perlu membawa persyaratan",
                    "Layanan hanya tersedia secara daring",
                ),
            ),
            (
                "Kerja sama antarpetugas dari OPD yang berbeda paling baik dibangun dengan …",
                "Pertemuan rutin membahas kasus layanan bersama",
                (
                    "Pemberian sanksi bagi loket yang lambat",
                    "Pemisahan ruang tunggu setiap OPD",
                    "Penambahan jumlah satpam",
                ),
            ),
        ],
        [
            ("Petugas di MPP tetap melayani sesuai standar pelayanan instansi asalnya.", True),
            (
                "Warga yang salah loket cukup diberi tahu nomor loket lain tanpa dipastikan "
                "dilayani.",
                False,
            ),
            ("Survei kepuasan masyarakat di MPP dapat dilakukan per jenis layanan.", True),
        ],
    ),
}
# A programme the demo does not know (the tests build their own): general ASN knowledge.
GENERAL = "ETK-01"


def items_for(code: str) -> tuple[list[Choice], list[Statement]]:
    return ITEMS.get(code, ITEMS[GENERAL])
