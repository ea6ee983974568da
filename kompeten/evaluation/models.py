"""Evaluation: instruments (L1 reaction, L2 tests, L3 behaviour), responses, simulation scores,
follow-up invitations, and the inputs of the Phillips ROI (benefits, hourly costs).

Read ``docs/evaluation-method.md`` for how the levels are computed from these rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kompeten.core.models import Instansi, user_ref
from kompeten.learning.models import (
    Batch,
    Competency,
    Module,
    Programme,
    RubricCriterion,
    Trainer,
)
from kompeten.people.models import Employee, Unit


class InstrumentKind(models.TextChoices):
    REACTION = "reaksi", _("Kuesioner reaksi (L1)")
    PRETEST = "pretest", _("Pre-test (L2)")
    POSTTEST = "posttest", _("Post-test (L2)")
    BEHAVIOUR = "perilaku", _("Penilaian perilaku (L3)")


TEST_KINDS = (InstrumentKind.PRETEST, InstrumentKind.POSTTEST)


class Phase(models.TextChoices):
    """When a behaviour rating is taken."""

    NONE = "", _("—")
    BEFORE = "sebelum", _("Sebelum pelatihan")
    AFTER_3 = "3bulan", _("3 bulan setelah")
    AFTER_6 = "6bulan", _("6 bulan setelah")


class InstrumentStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    OPEN = "open", _("Dibuka")
    CLOSED = "closed", _("Ditutup")


class Instrument(models.Model):
    """A versioned questionnaire or test of a programme. Answers are accepted only while open.

    A new version is a copy (``do_new_version``); responses keep pointing at the version they
    answered, so an edit never changes what was asked of earlier respondents.
    """

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="instruments", verbose_name=_("program")
    )
    kind = models.CharField(_("jenis"), max_length=10, choices=InstrumentKind.choices)
    phase = models.CharField(_("tahap"), max_length=10, choices=Phase.choices, blank=True)
    version = models.PositiveSmallIntegerField(_("versi"), default=1)
    form_label = models.CharField(
        _("bentuk paralel"), max_length=4, blank=True, help_text=_("Mis. A atau B.")
    )
    title = models.CharField(_("judul"), max_length=200)
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=InstrumentStatus.choices,
        default=InstrumentStatus.DRAFT,
    )
    scale_max = models.PositiveSmallIntegerField(_("skala Likert maksimum"), default=5)
    scores_only = models.BooleanField(
        _("nilai total saja"),
        default=False,
        help_text=_(
            "Tes yang hanya dicatat nilai totalnya (mis. rekap nilai panitia), tanpa butir."
        ),
    )
    created = models.DateTimeField(auto_now_add=True)
    created_by = user_ref()

    class Meta:
        ordering = ["programme", "kind", "phase", "form_label", "-version"]
        verbose_name = verbose_name_plural = _("instrumen")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "kind", "phase", "form_label", "version"],
                name="instrument_version_unique",
            ),
        ]

    def __str__(self) -> str:
        label = f" {self.form_label}" if self.form_label else ""
        return f"{self.title}{label} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("evaluation:instrument_detail", args=[self.pk])

    @property
    def is_test(self) -> bool:
        return self.kind in TEST_KINDS


class Section(models.TextChoices):
    SARANA = "sarana", _("Sarana dan prasarana")
    MATERI = "materi", _("Materi")
    PELAYANAN = "pelayanan", _("Pelayanan panitia")
    ADMINISTRASI = "administrasi", _("Administrasi")
    TRAINER = "pengajar", _("Pengajar")
    RELEVANCE = "relevansi", _("Relevansi dengan pekerjaan")
    OPEN = "terbuka", _("Pertanyaan terbuka")
    TEST = "tes", _("Soal")
    BEHAVIOUR = "perilaku", _("Perilaku sasaran")
    ROI = "roi", _("Dampak dan atribusi (L5)")
    GENERAL = "umum", _("Umum")


ORGANISER_SECTIONS = (Section.SARANA, Section.MATERI, Section.PELAYANAN, Section.ADMINISTRASI)


class ItemKind(models.TextChoices):
    LIKERT = "likert", _("Skala Likert")
    OPEN = "terbuka", _("Isian terbuka")
    MULTIPLE_CHOICE = "pg", _("Pilihan ganda")
    TRUE_FALSE = "bs", _("Benar/salah")
    SHORT = "singkat", _("Jawaban singkat (dinilai manual)")
    PERCENT = "persen", _("Persentase 0–100")


class RoiRole(models.TextChoices):
    NONE = "", _("—")
    ATTRIBUTION = "atribusi", _("Bagian perbaikan yang disebabkan pelatihan (%)")
    CONFIDENCE = "keyakinan", _("Keyakinan atas perkiraan (%)")


class BankItem(models.Model):
    """A test question in a programme's item bank (multiple choice, true/false, short answer)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="bank_items")
    kind = models.CharField(_("jenis soal"), max_length=10, choices=ItemKind.choices)
    text = models.TextField(_("soal"))
    options = models.JSONField(_("pilihan"), default=list, blank=True)
    correct = models.CharField(_("kunci jawaban"), max_length=300, blank=True)
    points = models.DecimalField(_("bobot"), max_digits=6, decimal_places=2, default=1)
    competency = models.ForeignKey(
        Competency, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["programme", "id"]
        verbose_name = _("soal bank")
        verbose_name_plural = _("bank soal")

    def __str__(self) -> str:
        return self.text[:60]


class Item(models.Model):
    """One question of an instrument. Trainer items are answered once per trainer of the batch."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("urutan"))
    section = models.CharField(_("bagian"), max_length=14, choices=Section.choices)
    kind = models.CharField(_("jenis"), max_length=10, choices=ItemKind.choices)
    text = models.TextField(_("pertanyaan"))
    options = models.JSONField(_("pilihan"), default=list, blank=True)
    correct = models.CharField(_("kunci jawaban"), max_length=300, blank=True)
    points = models.DecimalField(_("bobot"), max_digits=6, decimal_places=2, default=1)
    aspect = models.CharField(_("aspek"), max_length=40, blank=True)
    roi_role = models.CharField(max_length=10, choices=RoiRole.choices, blank=True)
    bank_item = models.ForeignKey(
        BankItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="uses"
    )
    competency = models.ForeignKey(
        Competency, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    required = models.BooleanField(_("wajib"), default=True)
    scale_max = models.PositiveSmallIntegerField(
        _("skala maksimum butir"),
        null=True,
        blank=True,
        help_text=_("Kosong: skala instrumen. Skala berlabel: jumlah label."),
    )
    source_column = models.CharField(
        _("kolom sumber"),
        max_length=300,
        blank=True,
        help_text=_("Judul kolom berkas tempat butir ini berasal (impor)."),
    )

    class Meta:
        ordering = ["instrument", "order"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "order"], name="item_order_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.text[:60]}"

    @property
    def is_trainer_item(self) -> bool:
        return self.section == Section.TRAINER

    @property
    def option_list(self) -> list[str]:
        return [str(o) for o in (self.options or [])]

    @property
    def is_labelled_scale(self) -> bool:
        """A Likert item whose levels are words (``options``, lowest first), e.g. Kurang … Baik."""
        return self.kind == ItemKind.LIKERT and bool(self.options)

    def top_of_scale(self, instrument_scale_max: int) -> int:
        """The highest level of this item's own scale."""
        if self.is_labelled_scale:
            return len(self.option_list)
        return self.scale_max or instrument_scale_max


class RaterRole(models.TextChoices):
    SELF = "peserta", _("Peserta (diri sendiri)")
    ATASAN = "atasan", _("Atasan langsung")


class Response(models.Model):
    """One completed instrument: who was rated (``subject``) and who answered (``rater``).

    Unique per instrument, subject and rater role: a test cannot be answered twice and an atasan
    rates a report once per phase. ``score`` (tests) is the sum of the answers' points; it stays
    provisional while short answers await hand marking (``needs_marking``).

    An anonymous reaction questionnaire (a form that asked no NIP or name, imported) has no
    subject, rater or unit: only its batch, and ``anonymous_key``, a digest of its answers and
    its time that keeps the same form answer from being stored twice. No other kind of response
    is anonymous.
    """

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="responses")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=InstrumentKind.choices)
    phase = models.CharField(max_length=10, choices=Phase.choices, blank=True)
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey(
        Employee, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rater = models.ForeignKey(
        Employee, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rater_role = models.CharField(max_length=10, choices=RaterRole.choices)
    anonymous_key = models.CharField(max_length=64, blank=True, default="")
    submitted_at = models.DateTimeField()
    score = models.FloatField(null=True, blank=True)
    max_score = models.FloatField(null=True, blank=True)
    needs_marking = models.BooleanField(default=False)
    note = models.CharField(_("keterangan"), max_length=300, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = verbose_name_plural = _("jawaban instrumen")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "kind", "phase", "subject", "rater_role"],
                name="response_once_per_subject",
            ),
            models.UniqueConstraint(
                fields=["programme", "kind", "anonymous_key"],
                condition=~models.Q(anonymous_key=""),
                name="response_anonymous_once",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(anonymous_key="", subject__isnull=False, rater__isnull=False)
                    & models.Q(unit__isnull=False)
                )
                | models.Q(
                    ~models.Q(anonymous_key=""),
                    kind=InstrumentKind.REACTION,
                    subject__isnull=True,
                    rater__isnull=True,
                    unit__isnull=True,
                ),
                name="response_anonymous_reaction_only",
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "kind"], name="eval_response_prog_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_id}/{self.subject_id}/{self.rater_role}"

    @property
    def score_pct(self) -> float | None:
        if self.score is None or not self.max_score:
            return None
        return self.score / self.max_score * 100


class Answer(models.Model):
    """One answer. ``value`` holds Likert levels, percentages and choice indexes; ``points`` the
    test points (NULL while a short answer awaits marking); ``text`` free text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="answers")
    trainer = models.ForeignKey(
        Trainer, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    value = models.FloatField(null=True, blank=True)
    text = models.TextField(blank=True)
    points = models.FloatField(null=True, blank=True)
    marked_by = user_ref()

    class Meta:
        ordering = ["response", "item", "trainer"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "item", "trainer"], name="answer_unique_trainer"
            ),
            models.UniqueConstraint(
                fields=["response", "item"],
                condition=models.Q(trainer__isnull=True),
                name="answer_unique_plain",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response_id}/{self.item_id}"


class FollowUp(models.Model):
    """An invitation to answer an instrument, for one subject and one designated rater.

    Sent when due (end of the batch for reaction and post-test; before the batch and +3/+6
    months for behaviour), reminded at most three times two days apart, then escalated to the
    rater's own atasan. ``response`` is filled when the designated rater answers.
    """

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="follow_ups")
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="+")
    subject = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    rater = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    rater_role = models.CharField(max_length=10, choices=RaterRole.choices)
    due_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalated_to = models.ForeignKey(
        Employee, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    response = models.OneToOneField(
        Response, on_delete=models.SET_NULL, null=True, blank=True, related_name="follow_up"
    )

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "subject", "rater_role"], name="follow_up_unique"
            ),
        ]
        indexes = [models.Index(fields=["rater", "response"], name="eval_followup_rater")]

    def __str__(self) -> str:
        return f"{self.instrument_id}/{self.subject_id}/{self.rater_role}"

    def get_absolute_url(self) -> str:
        return reverse("evaluation:answer", args=[self.pk])


class SimulationScore(models.Model):
    """One observer's level on one rubric criterion for one participant's role-play."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="+")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="+")
    subject = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+")
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    criterion = models.ForeignKey(RubricCriterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("skor"))
    created = models.DateTimeField()

    class Meta:
        ordering = ["batch", "module", "subject", "observer", "criterion"]
        constraints = [
            models.UniqueConstraint(
                fields=["module", "subject", "observer", "criterion"],
                name="simulation_score_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.module_id}/{self.subject_id}/{self.observer_id}/{self.criterion_id}"


class HourlyCostTable(models.Model):
    """A version of the hourly employment cost by golongan (LOW: editable, cite the source)."""

    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("nama"), max_length=200)
    effective_from = models.DateField(_("berlaku mulai"))
    source = models.CharField(_("sumber"), max_length=300)
    confidence = models.CharField(_("keyakinan"), max_length=4, default="LOW")
    created = models.DateTimeField(auto_now_add=True)
    created_by = user_ref()

    class Meta:
        ordering = ["-effective_from", "-id"]
        verbose_name = verbose_name_plural = _("tabel biaya per jam")

    def __str__(self) -> str:
        return f"{self.name} ({self.effective_from:%Y-%m-%d})"


class HourlyCostRate(models.Model):
    """Rupiah per working hour for one golongan group (I, II, III, IV, PPPK)."""

    table = models.ForeignKey(HourlyCostTable, on_delete=models.CASCADE, related_name="rates")
    group = models.CharField(_("golongan"), max_length=6)
    hourly_cost = models.DecimalField(_("biaya per jam (Rp)"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["table", "group"]
        constraints = [
            models.UniqueConstraint(fields=["table", "group"], name="hourly_rate_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.group}: {self.hourly_cost}"


class BenefitKind(models.TextChoices):
    MONETISED = "moneter", _("Dirupiahkan")
    INTANGIBLE = "intangible", _("Tak berwujud (tidak dirupiahkan)")


class Isolation(models.TextChoices):
    """Phillips' ways to isolate the training's share of an improvement."""

    COMPARISON = "pembanding", _("Kelompok pembanding")
    TREND = "tren", _("Garis tren")
    ESTIMATE = "estimasi", _("Estimasi peserta × atribusi × keyakinan")


class IsolationOutcome(models.TextChoices):
    """The L4 outcome whose comparison-group (DiD) or trend-line (ITS) estimate isolates a
    benefit: the benefit is the monetised value of the improvement in this outcome."""

    NONE = "", _("—")
    IKM = "ikm", _("IKM unit layanan")
    COMPLAINTS = "pengaduan", _("Ketepatan waktu penyelesaian pengaduan")


class Benefit(models.Model):
    """A first-year benefit of a programme: hours saved × hourly cost, or rupiah; or intangible."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="benefits")
    kind = models.CharField(_("jenis"), max_length=12, choices=BenefitKind.choices)
    name = models.CharField(_("manfaat"), max_length=250)
    hours_per_year = models.DecimalField(
        _("jam kerja dihemat per tahun"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    golongan_group = models.CharField(_("golongan"), max_length=6, blank=True)
    amount_per_year = models.DecimalField(
        _("nilai per tahun (Rp)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    isolation = models.CharField(
        _("isolasi efek"), max_length=12, choices=Isolation.choices, blank=True
    )
    isolation_share = models.DecimalField(
        _("bagian karena pelatihan (0–1)"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    isolation_outcome = models.CharField(
        _("hasil L4 untuk isolasi"),
        max_length=12,
        choices=IsolationOutcome.choices,
        blank=True,
        help_text=_("Untuk kelompok pembanding (DiD) dan garis tren (ITS)."),
    )
    note = models.CharField(_("catatan/cara menghitung"), max_length=500, blank=True)

    class Meta:
        ordering = ["programme", "kind", "id"]
        verbose_name = verbose_name_plural = _("manfaat")

    def __str__(self) -> str:
        return self.name


class ParticipantEstimate(models.Model):
    """One participant's Phillips estimate for a benefit: the yearly value of their own
    improvement, the share of it they attribute to the training and their confidence in that
    estimate. Adjusted value = value × attribution × confidence (Phillips)."""

    benefit = models.ForeignKey(Benefit, on_delete=models.CASCADE, related_name="estimates")
    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="+", verbose_name=_("peserta")
    )
    annual_value = models.DecimalField(
        _("nilai perbaikan per tahun (Rp)"), max_digits=16, decimal_places=2
    )
    attribution = models.DecimalField(
        _("bagian karena pelatihan (%)"), max_digits=5, decimal_places=2
    )
    confidence = models.DecimalField(_("keyakinan (%)"), max_digits=5, decimal_places=2)
    basis = models.CharField(_("dasar perkiraan"), max_length=300, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    created_by = user_ref()

    class Meta:
        ordering = ["benefit", "employee_id"]
        verbose_name = verbose_name_plural = _("estimasi peserta")
        constraints = [
            models.UniqueConstraint(
                fields=["benefit", "employee"], name="participant_estimate_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.benefit_id}/{self.employee_id}"
