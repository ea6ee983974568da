"""Forms of the evaluation pages (answer forms are built from the instrument's items)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kompeten.core.forms import DateField
from kompeten.core.params import MAX_ID
from kompeten.evaluation.actions.roi import GOLONGAN_GROUPS
from kompeten.evaluation.models import (
    BenefitKind,
    Isolation,
    IsolationOutcome,
    ItemKind,
    Section,
)

REACTION_SECTIONS = [
    (s.value, s.label)
    for s in Section
    if s not in (Section.TEST, Section.BEHAVIOUR, Section.ROI, Section.TRAINER)
]


class BankItemForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Jenis soal"),
        choices=[
            (k.value, k.label)
            for k in (ItemKind.MULTIPLE_CHOICE, ItemKind.TRUE_FALSE, ItemKind.SHORT)
        ],
    )
    text = forms.CharField(label=_("Soal"), widget=forms.Textarea(attrs={"rows": 3}))
    options = forms.CharField(
        label=_("Pilihan (satu per baris)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    correct = forms.CharField(label=_("Kunci jawaban"), required=False)
    points = forms.CharField(label=_("Bobot"), initial="1")


class BenefitForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis"), choices=BenefitKind.choices)
    name = forms.CharField(label=_("Manfaat"), max_length=250)
    hours_per_year = forms.CharField(label=_("Jam kerja dihemat per tahun"), required=False)
    golongan_group = forms.ChoiceField(
        label=_("Golongan"), required=False, choices=[("", "—")] + [(g, g) for g in GOLONGAN_GROUPS]
    )
    amount_per_year = forms.CharField(label=_("Atau nilai per tahun (Rp)"), required=False)
    isolation = forms.ChoiceField(
        label=_("Isolasi efek"), required=False, choices=[("", "—"), *Isolation.choices]
    )
    isolation_outcome = forms.ChoiceField(
        label=_("Hasil L4 untuk isolasi"), required=False, choices=IsolationOutcome.choices
    )
    isolation_share = forms.CharField(label=_("Bagian karena pelatihan (0–1)"), required=False)
    note = forms.CharField(label=_("Cara menghitung"), required=False, max_length=500)


class ParticipantEstimateForm(forms.Form):
    benefit = forms.IntegerField(label=_("Manfaat"), min_value=1, max_value=MAX_ID)
    nip = forms.CharField(label=_("NIP peserta"), max_length=30)
    annual_value = forms.CharField(label=_("Nilai perbaikan per tahun (Rp)"))
    attribution = forms.CharField(label=_("Bagian karena pelatihan (%)"))
    confidence = forms.CharField(label=_("Keyakinan (%)"))
    basis = forms.CharField(label=_("Dasar perkiraan"), required=False, max_length=300)


class HourlyCostForm(forms.Form):
    name = forms.CharField(label=_("Nama tabel"), max_length=200)
    effective_from = DateField(
        label=_("Berlaku mulai"), widget=forms.DateInput(attrs={"type": "date"})
    )
    source = forms.CharField(label=_("Sumber"), max_length=300)
    rate_I = forms.CharField(label=_("Golongan I (Rp/jam)"), required=False)
    rate_II = forms.CharField(label=_("Golongan II (Rp/jam)"), required=False)
    rate_III = forms.CharField(label=_("Golongan III (Rp/jam)"), required=False)
    rate_IV = forms.CharField(label=_("Golongan IV (Rp/jam)"), required=False)
    rate_PPPK = forms.CharField(label=_("PPPK (Rp/jam)"), required=False)


class ItemForm(forms.Form):
    """One reaction questionnaire item: its wording, kind and scale (numbers or labels)."""

    text = forms.CharField(label=_("Pertanyaan"), widget=forms.Textarea(attrs={"rows": 2}))
    kind = forms.ChoiceField(
        label=_("Jenis"),
        choices=[(k.value, k.label) for k in (ItemKind.LIKERT, ItemKind.OPEN)],
        initial=ItemKind.LIKERT,
    )
    section = forms.ChoiceField(label=_("Bagian"), choices=REACTION_SECTIONS, initial="umum")
    scale_max = forms.IntegerField(
        label=_("Skala 1–n"),
        required=False,
        min_value=2,
        max_value=10,
        help_text=_("Kosong: skala kuesioner."),
    )
    labels = forms.CharField(
        label=_("Atau label skala"),
        required=False,
        max_length=500,
        help_text=_("Dari tertinggi, mis. Sangat Baik / Baik / Cukup / Kurang / Sangat Kurang."),
    )
    required = forms.BooleanField(label=_("Wajib"), required=False, initial=True)


class ScaleForm(forms.Form):
    scale_max = forms.IntegerField(label=_("Skala Likert kuesioner 1–n"), min_value=2, max_value=10)
