"""Forms of the learning app. They parse input; the actions validate the rules and write."""

from __future__ import annotations

from datetime import datetime, time
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompeten.core.forms import (
    DateField,
    DateTimeField,
    ModelMultipleChoiceField,
    ScopedChoicesForm,
)
from kompeten.core.moments import FIRST_YEAR, LAST_YEAR
from kompeten.learning.actions.programmes import CriterionInput, RoleInput
from kompeten.learning.models import (
    CompetencyGroup,
    CostCategory,
    LearningType,
    ModuleKind,
    Programme,
    ProgrammeStatus,
    ProposalStatus,
    TrainerKind,
)
from kompeten.people.models import JabatanKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
# A batch seats at most this many people (a national e-learning run included), on the page
# and in the API alike.
MAX_CAPACITY = 100_000


def _empty(label: StrOrPromise) -> list[tuple[str, StrOrPromise]]:
    return [("", label)]


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Nama kampanye"), max_length=200)
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)
    opens_at = DateTimeField(label=_("Dibuka"), widget=DATETIME, input_formats=DT_FORMATS)
    closes_at = DateTimeField(label=_("Ditutup"), widget=DATETIME, input_formats=DT_FORMATS)


class CompetencyForm(forms.Form):
    code = forms.CharField(label=_("Kode"), max_length=30)
    name = forms.CharField(label=_("Nama"), max_length=200)
    group = forms.ChoiceField(label=_("Kelompok"), choices=CompetencyGroup.choices)
    description = forms.CharField(label=_("Definisi"), widget=forms.Textarea, required=False)


class CompetencyLevelForm(forms.Form):
    level = forms.IntegerField(label=_("Level"), min_value=1, max_value=5)
    description = forms.CharField(label=_("Deskripsi"), widget=forms.Textarea, required=False)
    indicators = forms.CharField(
        label=_("Indikator perilaku (satu per baris)"), widget=forms.Textarea, required=False
    )


class RequiredLevelForm(ScopedChoicesForm):
    jabatan_kind = forms.ChoiceField(label=_("Jenis jabatan"), choices=JabatanKind.choices)
    jabatan_name = forms.CharField(
        label=_("Nama jabatan (kosong = semua jabatan jenis ini)"), max_length=200, required=False
    )
    competency: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Kompetensi"), queryset=None
    )
    level = forms.IntegerField(
        label=_("Level (kosong = hapus)"), min_value=1, max_value=5, required=False
    )

    scoped_choices = {"competencies": "competency"}


class ProposalForm(ScopedChoicesForm):
    title = forms.CharField(label=_("Topik yang diusulkan"), max_length=200)
    problem = forms.CharField(
        label=_("Masalah yang Anda hadapi di tempat kerja"), widget=forms.Textarea
    )
    learning_type = forms.ChoiceField(
        label=_("Bentuk yang diusulkan"), choices=LearningType.choices
    )
    competency: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Kompetensi terkait"),
        queryset=None,
        required=False,
    )

    scoped_choices = {"competencies": "competency"}


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Komentar"), widget=forms.Textarea(attrs={"rows": 3}))


class ProposalFilterForm(ScopedChoicesForm):
    q = forms.CharField(label=_("Cari"), required=False)
    campaign: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Kampanye"),
        queryset=None,
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=_empty(_("Semua")) + list(ProposalStatus.choices), required=False
    )
    competency: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Kompetensi"),
        queryset=None,
        required=False,
    )
    sort = forms.ChoiceField(
        label=_("Urutan"),
        choices=[("votes", _("Suara terbanyak")), ("new", _("Terbaru"))],
        required=False,
    )

    scoped_choices = {"campaigns": "campaign", "competencies": "competency"}


class ProgrammeForm(ScopedChoicesForm):
    code = forms.CharField(label=_("Kode"), max_length=30)
    title = forms.CharField(label=_("Judul"), max_length=200)
    learning_type = forms.ChoiceField(label=_("Bentuk pembelajaran"), choices=LearningType.choices)
    total_jp = forms.DecimalField(label=_("Total JP"), max_digits=6, decimal_places=2, min_value=0)
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100, required=False)
    description = forms.CharField(label=_("Deskripsi"), widget=forms.Textarea, required=False)
    objectives = forms.CharField(
        label=_("Tujuan terukur (satu per baris)"), widget=forms.Textarea, required=False
    )
    target_jabatan_kinds = forms.MultipleChoiceField(
        label=_("Jenis jabatan sasaran"),
        choices=JabatanKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_units = ModelMultipleChoiceField(
        label=_("OPD sasaran"),
        queryset=None,
        required=False,
    )
    target_min_gap = forms.IntegerField(
        label=_("Kesenjangan kompetensi minimal"), min_value=1, max_value=4, required=False
    )
    target_jp_deficit = forms.BooleanField(
        label=_("Prioritaskan pegawai yang JP-nya belum terpenuhi"), required=False
    )
    target_notes = forms.CharField(
        label=_("Catatan sasaran peserta"), widget=forms.Textarea, required=False
    )
    campaign: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Kampanye AKP"),
        queryset=None,
        required=False,
    )

    scoped_choices = {"units": "target_units", "campaigns": "campaign"}


class ProgrammeFilterForm(ScopedChoicesForm):
    q = forms.CharField(label=_("Cari"), required=False)
    learning_type = forms.ChoiceField(
        label=_("Bentuk"), choices=_empty(_("Semua")) + list(LearningType.choices), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=_empty(_("Semua")) + list(ProgrammeStatus.choices),
        required=False,
    )
    competency: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Kompetensi"),
        queryset=None,
        required=False,
    )
    module_kind = forms.ChoiceField(
        label=_("Memuat modul"),
        choices=_empty(_("Semua")) + list(ModuleKind.choices),
        required=False,
    )
    year = forms.IntegerField(
        label=_("Tahun"), min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False
    )

    scoped_choices = {"competencies": "competency"}


class ModuleForm(ScopedChoicesForm):
    title = forms.CharField(label=_("Judul modul"), max_length=200)
    kind = forms.ChoiceField(label=_("Jenis"), choices=ModuleKind.choices)
    method = forms.CharField(label=_("Metode"), max_length=200, required=False)
    jp = forms.DecimalField(label=_("JP"), max_digits=6, decimal_places=2)
    trainer: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Pengajar"),
        queryset=None,
        required=False,
    )

    scoped_choices = {"trainers": "trainer"}


class ProgrammeCompetencyForm(ScopedChoicesForm):
    competency: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Kompetensi"), queryset=None
    )
    target_level = forms.IntegerField(label=_("Level sasaran"), min_value=1, max_value=5)

    scoped_choices = {"competencies": "competency"}


class ScenarioForm(forms.Form):
    title = forms.CharField(label=_("Judul skenario"), max_length=200)
    situation = forms.CharField(label=_("Situasi"), widget=forms.Textarea)
    roles = forms.CharField(
        label=_("Peran (satu per baris: nama peran | arahan)"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_roles(self) -> list[RoleInput]:
        roles = []
        for line in self.cleaned_data["roles"].splitlines():
            if not line.strip():
                continue
            role, _sep, brief = line.partition("|")
            roles.append(RoleInput(role=role.strip(), brief=brief.strip()))
        return roles


RUBRIC_HELP = _(
    "Satu kriteria per blok. Baris kriteria: '# Nama kriteria | bobot %'. "
    "Baris level di bawahnya: 'skor | label | deskriptor'."
)


def parse_rubric_text(text: str) -> list[CriterionInput]:
    criteria: list[CriterionInput] = []
    name: str | None = None
    weight = ""
    levels: list[tuple[int, str, str]] = []
    errors: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if name is not None:
                criteria.append(CriterionInput(name=name, weight=weight, levels=levels))
            head, _sep, weight = line[1:].partition("|")
            name, weight, levels = head.strip(), weight.strip().rstrip("%").strip(), []
            continue
        if name is None:
            errors.append(f"Baris {number}: level sebelum baris kriteria ('# nama | bobot').")
            continue
        parts = [p.strip() for p in line.split("|", 2)]
        if len(parts) != 3 or not parts[0].isdigit():
            errors.append(f"Baris {number}: format level harus 'skor | label | deskriptor'.")
            continue
        levels.append((int(parts[0]), parts[1], parts[2]))
    if name is not None:
        criteria.append(CriterionInput(name=name, weight=weight, levels=levels))
    if errors:
        raise ValidationError(errors)
    return criteria


class RubricForm(forms.Form):
    name = forms.CharField(label=_("Nama rubrik"), max_length=200)
    criteria = forms.CharField(
        label=_("Kriteria dan level"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=RUBRIC_HELP,
    )

    def clean_criteria(self) -> list[CriterionInput]:
        return parse_rubric_text(self.cleaned_data["criteria"])


class CostForm(forms.Form):
    category = forms.ChoiceField(label=_("Kategori"), choices=CostCategory.choices)
    amount = forms.DecimalField(label=_("Jumlah (Rp)"), max_digits=16, decimal_places=2)
    note = forms.CharField(label=_("Catatan"), max_length=300, required=False)


class FeedbackRoundForm(forms.Form):
    outline = forms.CharField(
        label=_("Ringkasan draf untuk dimintakan masukan"), widget=forms.Textarea
    )
    opens_at = DateTimeField(label=_("Dibuka"), widget=DATETIME, input_formats=DT_FORMATS)
    closes_at = DateTimeField(label=_("Ditutup"), widget=DATETIME, input_formats=DT_FORMATS)


class FeedbackForm(forms.Form):
    text = forms.CharField(label=_("Masukan Anda"), widget=forms.Textarea(attrs={"rows": 3}))


class TrainerForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis"), choices=TrainerKind.choices)
    employee_nip = forms.CharField(
        label=_("NIP (pengajar internal)"), max_length=18, required=False
    )
    external_name = forms.CharField(label=_("Nama (eksternal)"), max_length=150, required=False)
    institution = forms.CharField(label=_("Lembaga"), max_length=200, required=False)
    email = forms.EmailField(label=_("Surel"), required=False)
    expertise = forms.CharField(label=_("Keahlian"), max_length=300, required=False)


class AvailabilityForm(forms.Form):
    start = DateTimeField(label=_("Mulai"), widget=DATETIME, input_formats=DT_FORMATS)
    end = DateTimeField(label=_("Selesai"), widget=DATETIME, input_formats=DT_FORMATS)
    available = forms.TypedChoiceField(
        label=_("Status"),
        choices=[("0", _("Tidak tersedia")), ("1", _("Tersedia"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label=_("Catatan"), max_length=200, required=False)


class BatchForm(ScopedChoicesForm):
    code = forms.CharField(label=_("Kode"), max_length=40)
    name = forms.CharField(label=_("Nama (mis. Angkatan I)"), max_length=100)
    capacity = forms.IntegerField(label=_("Kapasitas"), min_value=1, max_value=MAX_CAPACITY)
    start_date = DateField(label=_("Tanggal mulai"), widget=DATE)
    end_date = DateField(label=_("Tanggal selesai"), widget=DATE)
    location = forms.CharField(label=_("Tempat"), max_length=200, required=False)
    online_link = forms.URLField(label=_("Tautan daring"), required=False, assume_scheme="https")
    trainers = ModelMultipleChoiceField(
        label=_("Pengajar"),
        queryset=None,
        required=False,
    )

    scoped_choices = {"trainers": "trainers"}


class SessionForm(ScopedChoicesForm):
    date = DateField(label=_("Tanggal"), widget=DATE)
    start = forms.TimeField(label=_("Mulai"), widget=TIME)
    end = forms.TimeField(label=_("Selesai"), widget=TIME)
    module: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Modul"),
        queryset=None,
        required=False,
    )
    trainer: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Pengajar"),
        queryset=None,
        required=False,
    )
    location = forms.CharField(label=_("Tempat"), max_length=200, required=False)

    scoped_choices = {"modules": "module", "trainers": "trainer"}

    def datetimes(self) -> tuple[datetime, datetime]:
        day = self.cleaned_data["date"]
        start: time = self.cleaned_data["start"]
        end: time = self.cleaned_data["end"]
        tz = timezone.get_current_timezone()
        return (
            datetime.combine(day, start, tzinfo=tz),
            datetime.combine(day, end, tzinfo=tz),
        )


def filter_programmes(qs: QuerySet[Programme], data: dict[str, Any]) -> QuerySet[Programme]:
    """The programme filter of the catalogue page, its export and the API listing: ``data`` is
    a valid :class:`ProgrammeFilterForm`'s ``cleaned_data``."""
    if data.get("q"):
        qs = qs.filter(
            Q(title__icontains=data["q"])
            | Q(code__icontains=data["q"])
            | Q(description__icontains=data["q"])
        )
    for name, lookup in (
        ("learning_type", "learning_type"),
        ("status", "status"),
        ("competency", "competencies__competency"),
        ("module_kind", "modules__kind"),
        ("year", "year"),
    ):
        if data.get(name):
            qs = qs.filter(**{lookup: data[name]})
    return qs
