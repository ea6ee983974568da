"""What to teach and how: competencies, needs analysis (AKP), co-design, programmes, batches.

Read `docs/learning.md` for the model list and how other apps use it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kompeten.core.models import Instansi, user_ref
from kompeten.people.models import Employee, JabatanKind, Unit

LEVEL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


# --- competencies -----------------------------------------------------------------------------


class CompetencyGroup(models.TextChoices):
    """PermenPANRB 38/2017: the three groups of a jabatan's competency standard."""

    MANAJERIAL = "manajerial", _("Manajerial")
    SOSIAL_KULTURAL = "sosial_kultural", _("Sosial kultural")
    TEKNIS = "teknis", _("Teknis")


class Competency(models.Model):
    """One competency of the dictionary, with proficiency levels 1–5."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="competencies")
    code = models.CharField(_("kode"), max_length=30)
    name = models.CharField(_("nama"), max_length=200)
    group = models.CharField(_("kelompok"), max_length=20, choices=CompetencyGroup.choices)
    description = models.TextField(_("definisi"), blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["group", "code"]
        verbose_name = verbose_name_plural = _("kompetensi")
        constraints = [
            models.UniqueConstraint(fields=["instansi", "code"], name="competency_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("learning:competency_detail", args=[self.pk])


class CompetencyLevel(models.Model):
    """A proficiency level (1–5) of a competency and its behaviour indicators."""

    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField(_("level"), validators=LEVEL_VALIDATORS)
    description = models.TextField(_("deskripsi"), blank=True)
    indicators = models.TextField(
        _("indikator perilaku"), blank=True, help_text=_("Satu indikator per baris.")
    )

    class Meta:
        ordering = ["competency", "level"]
        verbose_name = verbose_name_plural = _("level kompetensi")
        constraints = [
            models.UniqueConstraint(fields=["competency", "level"], name="competency_level_unique"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5), name="competency_level_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competency.code} L{self.level}"

    @property
    def indicator_list(self) -> list[str]:
        return [line.strip() for line in self.indicators.splitlines() if line.strip()]


class RequiredLevel(models.Model):
    """The level a jabatan requires of a competency.

    `jabatan_name` blank means every post of `jabatan_kind`; a row with a name overrides the
    kind-wide row for that post.
    """

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    jabatan_kind = models.CharField(_("jenis jabatan"), max_length=20, choices=JabatanKind.choices)
    jabatan_name = models.CharField(_("nama jabatan"), max_length=200, blank=True)
    competency = models.ForeignKey(
        Competency, on_delete=models.CASCADE, related_name="required_levels"
    )
    level = models.PositiveSmallIntegerField(_("level dipersyaratkan"), validators=LEVEL_VALIDATORS)

    class Meta:
        ordering = ["jabatan_kind", "jabatan_name", "competency"]
        verbose_name = verbose_name_plural = _("level dipersyaratkan")
        constraints = [
            models.UniqueConstraint(
                fields=["instansi", "jabatan_kind", "jabatan_name", "competency"],
                name="required_level_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5), name="required_level_1_5"
            ),
        ]

    def __str__(self) -> str:
        post = self.jabatan_name or self.get_jabatan_kind_display()
        return f"{post}: {self.competency.code} ≥ {self.level}"


# --- needs analysis (AKP) -----------------------------------------------------------------------


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    OPEN = "open", _("Dibuka")
    CLOSED = "closed", _("Ditutup")


class AkpCampaign(models.Model):
    """A round of needs analysis: self and atasan assessments, topic proposals and votes.

    Assessments and votes are accepted only while the campaign is open and `opens_at <= now <
    closes_at`.
    """

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("nama"), max_length=200)
    year = models.PositiveSmallIntegerField(_("tahun"))
    opens_at = models.DateTimeField(_("dibuka"))
    closes_at = models.DateTimeField(_("ditutup"))
    status = models.CharField(
        _("status"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    created_by = user_ref()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at", "-id"]
        verbose_name = verbose_name_plural = _("kampanye AKP")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("learning:campaign_detail", args=[self.pk])


class AkpEntry(models.Model):
    """One employee × competency in a campaign: the required level and the two ratings.

    Created when the campaign opens (a snapshot of the post's required level). Self and atasan
    levels are filled independently; a missing rating stays NULL (never copied from the other).
    """

    campaign = models.ForeignKey(AkpCampaign, on_delete=models.CASCADE, related_name="entries")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="akp_entries")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    required_level = models.PositiveSmallIntegerField(validators=LEVEL_VALIDATORS)
    self_level = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=LEVEL_VALIDATORS
    )
    self_at = models.DateTimeField(null=True, blank=True)
    atasan_level = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=LEVEL_VALIDATORS
    )
    atasan_at = models.DateTimeField(null=True, blank=True)
    atasan = models.ForeignKey(
        Employee, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["campaign", "employee", "competency"]
        verbose_name = verbose_name_plural = _("butir AKP")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "employee", "competency"], name="akp_entry_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(self_level__isnull=True)
                | models.Q(self_level__gte=1, self_level__lte=5),
                name="akp_self_level_1_5",
            ),
            models.CheckConstraint(
                condition=models.Q(atasan_level__isnull=True)
                | models.Q(atasan_level__gte=1, atasan_level__lte=5),
                name="akp_atasan_level_1_5",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "unit", "competency"]),
            models.Index(fields=["campaign", "competency"]),
            # Covering indexes: the heat map and the progress count read only these columns.
            models.Index(
                fields=[
                    "campaign",
                    "unit",
                    "competency",
                    "required_level",
                    "atasan_level",
                    "self_level",
                ],
                name="akp_heatmap_cover",
            ),
            models.Index(
                fields=["campaign", "employee", "self_level", "atasan_level"],
                name="akp_progress_cover",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.employee_id}/{self.competency_id}"


class AkpRollup(models.Model):
    """Sufficient counts per campaign × unit × competency, kept up to date by the AKP actions.

    The heat map and the ranked needs read these (a few thousand rows), never the raw entries.
    Rebuilt from the entries by `actions.akp.rebuild_rollups` (`kompeten akp_rebuild_rollups`).
    """

    campaign = models.ForeignKey(AkpCampaign, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="+")
    n_required = models.PositiveIntegerField(default=0)
    self_n = models.PositiveIntegerField(default=0)
    self_gap_n = models.PositiveIntegerField(default=0)
    self_gap_sum = models.PositiveIntegerField(default=0)
    atasan_n = models.PositiveIntegerField(default=0)
    atasan_gap_n = models.PositiveIntegerField(default=0)
    atasan_gap_sum = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["campaign", "unit", "competency"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "unit", "competency"], name="akp_rollup_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.unit_id}/{self.competency_id}"


class AkpUnitProgress(models.Model):
    """People per campaign × unit, and how many have completed each kind of assessment."""

    campaign = models.ForeignKey(AkpCampaign, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    n_people = models.PositiveIntegerField(default=0)
    n_self_done = models.PositiveIntegerField(default=0)
    n_atasan_done = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["campaign", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="akp_unit_progress_unique")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.unit_id}"


class AkpReminder(models.Model):
    """A reminder sent to someone who has not yet answered (so nobody is nagged twice a day)."""

    class Kind(models.TextChoices):
        SELF = "self", _("Penilaian diri")
        ATASAN = "atasan", _("Penilaian atasan")

    campaign = models.ForeignKey(AkpCampaign, on_delete=models.CASCADE, related_name="reminders")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["campaign", "employee", "kind"])]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.employee_id}/{self.kind}@{self.sent_at:%Y-%m-%d}"


# --- learning types -----------------------------------------------------------------------------


class LearningType(models.TextChoices):
    """Peraturan LAN 10/2018 forms of competency development; slugs match `standards.jp.JP_FORMS`.

    Whether a form is klasikal or nonklasikal comes from `standards.jp.classify`, overridden per
    instansi by `LearningTypeMode` rows (sosialisasi and magang vary by region).
    """

    PELATIHAN = "pelatihan", _("Pelatihan")
    SEMINAR = "seminar", _("Seminar/konferensi/sarasehan")
    WORKSHOP = "workshop", _("Workshop/lokakarya")
    KURSUS = "kursus", _("Kursus")
    PENATARAN = "penataran", _("Penataran")
    BIMBINGAN_TEKNIS = "bimbingan_teknis", _("Bimbingan teknis")
    SOSIALISASI = "sosialisasi", _("Sosialisasi")
    COACHING = "coaching", _("Coaching")
    MENTORING = "mentoring", _("Mentoring")
    E_LEARNING = "e_learning", _("E-learning")
    DISTANCE_LEARNING = "distance_learning", _("Pelatihan jarak jauh")
    DETASERING = "detasering", _("Detasering (secondment)")
    OUTBOUND = "outbound", _("Pembelajaran alam terbuka (outbound)")
    BENCHMARKING = "benchmarking", _("Patok banding (benchmarking)")
    PERTUKARAN_PEGAWAI = "pertukaran_pegawai", _("Pertukaran PNS dengan pegawai swasta/BUMN/BUMD")
    BELAJAR_MANDIRI = "belajar_mandiri", _("Belajar mandiri")
    KOMUNITAS_BELAJAR = "komunitas_belajar", _("Komunitas belajar")
    BIMBINGAN_DI_TEMPAT_KERJA = "bimbingan_di_tempat_kerja", _("Bimbingan di tempat kerja")
    MAGANG = "magang", _("Magang/praktik kerja")
    # pelatihan struktural kepemimpinan and pelatihan fungsional (klasikal; see standards.jp)
    PKN_1 = "pkn_1", _("Pelatihan Kepemimpinan Nasional Tingkat I (PKN I; dahulu Diklatpim I)")
    PKN_2 = "pkn_2", _("Pelatihan Kepemimpinan Nasional Tingkat II (PKN II; dahulu Diklatpim II)")
    PKA = "pka", _("Pelatihan Kepemimpinan Administrator (PKA; dahulu Diklatpim III)")
    PKP = "pkp", _("Pelatihan Kepemimpinan Pengawas (PKP; dahulu Diklatpim IV)")
    PELATIHAN_FUNGSIONAL = (
        "pelatihan_fungsional",
        _("Pelatihan fungsional (diklat jabatan fungsional)"),
    )


class LearningMode(models.TextChoices):
    KLASIKAL = "klasikal", _("Klasikal")
    NONKLASIKAL = "nonklasikal", _("Nonklasikal")


class LearningTypeMode(models.Model):
    """An instansi's override of whether a learning type counts as klasikal or nonklasikal."""

    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="+")
    learning_type = models.CharField(max_length=30, choices=LearningType.choices)
    mode = models.CharField(max_length=12, choices=LearningMode.choices)

    class Meta:
        ordering = ["learning_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["instansi", "learning_type"], name="learning_type_mode_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.learning_type}: {self.mode}"


# --- participatory design -------------------------------------------------------------------------


class ProposalStatus(models.TextChoices):
    NEW = "baru", _("Baru")
    REVIEWED = "ditinjau", _("Ditinjau")
    ADOPTED = "diadopsi", _("Diadopsi")
    DECLINED = "ditolak", _("Tidak diadopsi")


class Proposal(models.Model):
    """A topic and format an ASN proposes, with the problem they face at work."""

    campaign = models.ForeignKey(AkpCampaign, on_delete=models.PROTECT, related_name="proposals")
    proposer = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="proposals")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    jabatan_kind = models.CharField(max_length=20, choices=JabatanKind.choices)
    title = models.CharField(_("topik"), max_length=200)
    problem = models.TextField(_("masalah yang dihadapi di tempat kerja"))
    learning_type = models.CharField(
        _("bentuk yang diusulkan"), max_length=30, choices=LearningType.choices
    )
    competency = models.ForeignKey(
        Competency,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("kompetensi terkait"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.NEW
    )
    vote_count = models.PositiveIntegerField(default=0, editable=False)
    comment_count = models.PositiveIntegerField(default=0, editable=False)
    created = models.DateTimeField()

    class Meta:
        ordering = ["-vote_count", "-created", "-id"]
        verbose_name = verbose_name_plural = _("usulan topik")
        indexes = [models.Index(fields=["campaign", "-vote_count"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("learning:proposal_detail", args=[self.pk])


class ProposalVote(models.Model):
    """One vote of one person for one proposal (unique)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="proposal_votes")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    jabatan_kind = models.CharField(max_length=20, choices=JabatanKind.choices)
    created = models.DateTimeField()

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "voter"], name="one_vote_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.voter_id} → {self.proposal_id}"


class Remark(models.Model):
    """What a user wrote in the co-design, oldest first: a comment on a proposal or feedback on a
    draft (the concrete model names what it is about and how its text is labelled)."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField()

    class Meta:
        abstract = True
        ordering = ["created", "id"]


class ProposalComment(Remark):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    text = models.TextField(_("komentar"))

    def __str__(self) -> str:
        return f"{self.author_id} @ {self.proposal_id}"


# --- programmes ---------------------------------------------------------------------------------


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    PUBLISHED = "published", _("Diumumkan untuk masukan")
    FINAL = "final", _("Final")
    ARCHIVED = "archived", _("Diarsipkan")


class Programme(models.Model):
    """A training programme: objectives, target competencies, modules, costs, batches."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="programmes")
    code = models.CharField(_("kode"), max_length=30)
    title = models.CharField(_("judul"), max_length=200)
    description = models.TextField(_("deskripsi"), blank=True)
    objectives = models.TextField(
        _("tujuan terukur"), blank=True, help_text=_("Satu tujuan per baris.")
    )
    learning_type = models.CharField(
        _("bentuk pembelajaran"), max_length=30, choices=LearningType.choices
    )
    total_jp = models.DecimalField(_("total JP"), max_digits=6, decimal_places=2)
    status = models.CharField(
        _("status"), max_length=10, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT
    )
    year = models.PositiveSmallIntegerField(_("tahun"), null=True, blank=True)
    # target participants (criteria)
    target_jabatan_kinds = models.JSONField(_("jenis jabatan sasaran"), default=list, blank=True)
    target_units = models.ManyToManyField(
        Unit, blank=True, related_name="+", verbose_name=_("OPD sasaran")
    )
    target_min_gap = models.PositiveSmallIntegerField(
        _("kesenjangan minimal"), null=True, blank=True
    )
    target_jp_deficit = models.BooleanField(_("prioritaskan yang JP-nya kurang"), default=False)
    target_notes = models.TextField(_("catatan sasaran"), blank=True)
    campaign = models.ForeignKey(
        AkpCampaign,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="programmes",
        verbose_name=_("kampanye AKP"),
    )
    adopted_proposals = models.ManyToManyField(
        Proposal, blank=True, related_name="programmes", verbose_name=_("usulan diadopsi")
    )
    created_by = user_ref()
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = _("program")
        constraints = [
            models.UniqueConstraint(fields=["instansi", "code"], name="programme_code_unique"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("learning:programme_detail", args=[self.pk])

    @property
    def objective_list(self) -> list[str]:
        return [line.strip() for line in self.objectives.splitlines() if line.strip()]


class ObjectiveIndicator(models.TextChoices):
    """What an objective is judged by (``docs/evaluation-method.md``, Tujuan program). Each
    indicator's unit: points on 0–100 for tests and the simulation score, 0–1 for the normalised
    gain, percent (or percentage points for a change) for shares, the rating's own scale for
    behaviour and for the rubric levels, the IKM's 25–100 scale, working days for complaint
    handling."""

    POST_MEAN = "post_test", _("Rata-rata post-test (0–100)")
    GAIN = "gain", _("Kenaikan skor pre-test ke post-test (poin)")
    NORMALISED_GAIN = "n_gain", _("Gain ternormalisasi kelas (Hake, 0–1)")
    COMPLETION = "completion", _("Tingkat penyelesaian peserta (%)")
    SIMULATION = "simulation", _("Skor simulasi/rubrik rata-rata (0–100)")
    SIMULATION_LEVEL = (
        "simulation_level",
        _("Level rubrik simulasi rata-rata (skala rubrik, mis. 1–4)"),
    )
    BEHAVIOUR = "behaviour", _("Penilaian perilaku oleh atasan sesudah pelatihan (rata-rata)")
    BEHAVIOUR_CHANGE = (
        "behaviour_change",
        _("Perubahan penilaian perilaku oleh atasan (sesudah − sebelum)"),
    )
    SKP = "skp_improved", _("Pegawai dengan predikat SKP membaik (%)")
    IKM_CHANGE = "ikm_change", _("Perubahan IKM unit layanan (sesudah − sebelum, poin)")
    COMPLAINT_DAYS_CHANGE = (
        "complaint_days",
        _("Perubahan median hari kerja penyelesaian pengaduan (sesudah − sebelum)"),
    )
    COMPLAINT_SLA_CHANGE = (
        "complaint_sla",
        _("Perubahan pengaduan selesai dalam batas waktu (poin persen)"),
    )
    ROI = "roi", _("ROI (%)")


#: indicators that are a change (after − before): "naik/turun sedikitnya" apply to them only
CHANGE_INDICATORS = frozenset(
    str(i.value)
    for i in (
        ObjectiveIndicator.GAIN,
        ObjectiveIndicator.BEHAVIOUR_CHANGE,
        ObjectiveIndicator.IKM_CHANGE,
        ObjectiveIndicator.COMPLAINT_DAYS_CHANGE,
        ObjectiveIndicator.COMPLAINT_SLA_CHANGE,
    )
)


class ObjectiveComparison(models.TextChoices):
    AT_LEAST = "gte", _("≥ (sedikitnya)")
    AT_MOST = "lte", _("≤ (paling banyak)")
    INCREASE = "increase", _("naik sedikitnya")
    DECREASE = "decrease", _("turun sedikitnya")


class ProgrammeObjective(models.Model):
    """How one of a programme's objectives (a line of ``Programme.objectives``, matched by its
    text) is judged: the indicator, the comparison and the target. A line without a row, or
    with a blank indicator, is reported "belum dapat dinilai" (indicator not chosen)."""

    programme = models.ForeignKey(
        "Programme", on_delete=models.CASCADE, related_name="objective_measures"
    )
    text = models.CharField(_("tujuan"), max_length=500)
    indicator = models.CharField(
        _("indikator"), max_length=20, choices=ObjectiveIndicator.choices, blank=True
    )
    comparison = models.CharField(
        _("pembanding"), max_length=10, choices=ObjectiveComparison.choices, blank=True
    )
    target = models.DecimalField(
        _("target"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["programme", "order", "id"]
        verbose_name = verbose_name_plural = _("ukuran tujuan program")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "text"], name="programme_objective_text_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id}: {self.text}"

    def get_absolute_url(self) -> str:
        return reverse("learning:programme_objectives", args=[self.programme_id])


class ProgrammeCompetency(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="competencies")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    target_level = models.PositiveSmallIntegerField(_("level sasaran"), validators=LEVEL_VALIDATORS)

    class Meta:
        ordering = ["programme", "competency"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "competency"], name="programme_competency_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id}: {self.competency_id} → {self.target_level}"


class TrainerKind(models.TextChoices):
    WIDYAISWARA = "widyaiswara", _("Widyaiswara (internal)")
    FASILITATOR = "fasilitator", _("Fasilitator (internal)")
    EXTERNAL = "external", _("Narasumber eksternal")


class Trainer(models.Model):
    """A trainer: an internal widyaiswara/fasilitator (an employee) or an external expert."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="trainers")
    employee = models.ForeignKey(
        Employee, on_delete=models.SET_NULL, null=True, blank=True, related_name="trainer_roles"
    )
    external_name = models.CharField(_("nama (eksternal)"), max_length=150, blank=True)
    kind = models.CharField(_("jenis"), max_length=12, choices=TrainerKind.choices)
    institution = models.CharField(_("lembaga"), max_length=200, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    expertise = models.CharField(_("keahlian"), max_length=300, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["external_name", "id"]
        verbose_name = verbose_name_plural = _("pengajar")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if self.employee_id is not None and not self.external_name:
            return self.employee.full_name  # type: ignore[union-attr]
        return self.external_name


class TrainerAvailability(models.Model):
    """A period in which a trainer is (or is not) available."""

    trainer = models.ForeignKey(Trainer, on_delete=models.CASCADE, related_name="availability")
    start = models.DateTimeField(_("mulai"))
    end = models.DateTimeField(_("selesai"))
    available = models.BooleanField(_("tersedia"), default=True)
    note = models.CharField(_("catatan"), max_length=200, blank=True)

    class Meta:
        ordering = ["trainer", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="availability_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.trainer_id} {self.start:%Y-%m-%d %H:%M}–{self.end:%H:%M}"


class ModuleKind(models.TextChoices):
    TEORI = "teori", _("Teori")
    PRAKTIK = "praktik", _("Praktik")
    SIMULASI = "simulasi", _("Simulasi")


class Module(models.Model):
    """A part of a programme: theory, practice or a scored simulation, with its JP."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="modules")
    order = models.PositiveSmallIntegerField(_("urutan"))
    title = models.CharField(_("judul"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=10, choices=ModuleKind.choices)
    method = models.CharField(_("metode"), max_length=200, blank=True)
    jp = models.DecimalField(_("JP"), max_digits=6, decimal_places=2)
    trainer = models.ForeignKey(
        Trainer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="modules",
        verbose_name=_("pengajar"),
    )
    description = models.TextField(_("uraian"), blank=True)

    class Meta:
        ordering = ["programme", "order"]
        verbose_name = verbose_name_plural = _("modul")
        constraints = [
            models.UniqueConstraint(fields=["programme", "order"], name="module_order_unique"),
            models.CheckConstraint(condition=models.Q(jp__gt=0), name="module_jp_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class SimulationScenario(models.Model):
    """The role-play situation of a simulation module.

    `roles` is a list of {"role": ..., "brief": ...} objects.
    """

    module = models.OneToOneField(Module, on_delete=models.CASCADE, related_name="scenario")
    title = models.CharField(_("judul skenario"), max_length=200)
    situation = models.TextField(_("situasi"))
    roles = models.JSONField(_("peran"), default=list)

    class Meta:
        ordering = ["module"]
        verbose_name = verbose_name_plural = _("skenario simulasi")

    def __str__(self) -> str:
        return self.title


class Rubric(models.Model):
    """How a simulation is scored: weighted criteria × levels with descriptors."""

    scenario = models.OneToOneField(
        SimulationScenario, on_delete=models.CASCADE, related_name="rubric"
    )
    name = models.CharField(_("nama rubrik"), max_length=200)

    class Meta:
        ordering = ["scenario"]
        verbose_name = verbose_name_plural = _("rubrik")

    def __str__(self) -> str:
        return self.name


class RubricCriterion(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("urutan"))
    name = models.CharField(_("kriteria"), max_length=200)
    weight = models.DecimalField(_("bobot (%)"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["rubric", "order"]
        constraints = [
            models.UniqueConstraint(fields=["rubric", "order"], name="rubric_criterion_order"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight} %)"


class RubricLevel(models.Model):
    criterion = models.ForeignKey(RubricCriterion, on_delete=models.CASCADE, related_name="levels")
    score = models.PositiveSmallIntegerField(_("skor"))
    label = models.CharField(_("label"), max_length=60, blank=True)
    descriptor = models.TextField(_("deskriptor"))

    class Meta:
        ordering = ["criterion", "score"]
        constraints = [
            models.UniqueConstraint(fields=["criterion", "score"], name="rubric_level_score"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.score}"


class CostCategory(models.TextChoices):
    """Phillips' fully loaded cost categories for the ROI (L5)."""

    NEEDS_DESIGN = "desain", _("Analisis kebutuhan dan desain")
    TRAINER = "pengajar", _("Honor pengajar/narasumber")
    VENUE = "tempat", _("Tempat dan fasilitas")
    MATERIALS = "bahan", _("Bahan dan modul")
    TRAVEL = "perjalanan", _("Perjalanan, akomodasi dan konsumsi")
    PARTICIPANT_TIME = "waktu_peserta", _("Waktu peserta (gaji selama pelatihan)")
    ADMINISTRATION = "administrasi", _("Administrasi dan overhead")
    EVALUATION = "evaluasi", _("Evaluasi")
    OTHER = "lainnya", _("Lainnya")


class CostItem(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="cost_items")
    category = models.CharField(_("kategori"), max_length=20, choices=CostCategory.choices)
    amount = models.DecimalField(_("jumlah (Rp)"), max_digits=16, decimal_places=2)
    note = models.CharField(_("catatan"), max_length=300, blank=True)

    class Meta:
        ordering = ["programme", "category", "id"]
        verbose_name = verbose_name_plural = _("biaya")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="cost_amount_nonneg")
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.amount}"


# --- co-design feedback rounds ----------------------------------------------------------------


class FeedbackRound(models.Model):
    """A published draft outline of a programme on which ASN give feedback."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="feedback_rounds"
    )
    number = models.PositiveSmallIntegerField(_("putaran"))
    outline = models.TextField(_("ringkasan draf"))
    opens_at = models.DateTimeField(_("dibuka"))
    closes_at = models.DateTimeField(_("ditutup"))
    summary = models.TextField(_("tindak lanjut masukan"), blank=True)

    class Meta:
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="feedback_round_number"),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} #{self.number}"


class Feedback(Remark):
    round = models.ForeignKey(FeedbackRound, on_delete=models.CASCADE, related_name="feedback")
    text = models.TextField(_("masukan"))

    def __str__(self) -> str:
        return f"{self.author_id} @ {self.round_id}"


# --- batches and sessions -----------------------------------------------------------------------


class BatchStatus(models.TextChoices):
    PLANNED = "planned", _("Direncanakan")
    OPEN = "open", _("Pendaftaran dibuka")
    RUNNING = "running", _("Berlangsung")
    DONE = "done", pgettext_lazy("status", "Selesai")
    CANCELLED = "cancelled", _("Dibatalkan")


class Batch(models.Model):
    """An angkatan (cohort) of a programme."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="batches")
    code = models.CharField(_("kode"), max_length=40)
    name = models.CharField(_("nama"), max_length=100)
    capacity = models.PositiveIntegerField(_("kapasitas"))
    location = models.CharField(_("tempat"), max_length=200, blank=True)
    online_link = models.URLField(_("tautan daring"), blank=True)
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal selesai"))
    trainers = models.ManyToManyField(
        Trainer, blank=True, related_name="batches", verbose_name=_("pengajar")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.PLANNED
    )

    class Meta:
        ordering = ["start_date", "code"]
        verbose_name = verbose_name_plural = _("angkatan")
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="batch_code_unique"),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="batch_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.title} — {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("learning:batch_detail", args=[self.pk])


class Session(models.Model):
    """One meeting of a batch (aware datetimes, Asia/Jakarta in the UI)."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="sessions")
    module = models.ForeignKey(
        Module, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    start = models.DateTimeField(_("mulai"))
    end = models.DateTimeField(_("selesai"))
    location = models.CharField(_("tempat"), max_length=200, blank=True)
    trainer = models.ForeignKey(
        Trainer, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )

    class Meta:
        ordering = ["start", "id"]
        verbose_name = verbose_name_plural = _("sesi")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="session_end_after_start"
            )
        ]
        indexes = [models.Index(fields=["batch", "start"])]

    def __str__(self) -> str:
        return f"{self.batch_id} {self.start:%Y-%m-%d %H:%M}"
