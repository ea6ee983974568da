"""The programme's objectives page: the indicator, comparison and target each is judged by."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompeten.core.forminput import input_from
from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.permissions import admin_required
from kompeten.learning import queries
from kompeten.learning.actions.objectives import ObjectiveInput, do_set_objective_measures
from kompeten.learning.models import ObjectiveComparison, ObjectiveIndicator, ProgrammeObjective
from kompeten.learning.objectives import guess_measure


class ObjectiveMeasureForm(forms.Form):
    """One objective line's measure (the page shows one per line, prefixed by its number)."""

    text = forms.CharField(widget=forms.HiddenInput, max_length=500)
    indicator = forms.ChoiceField(
        label=gettext_lazy("Indikator"),
        required=False,
        choices=[("", gettext_lazy("— indikator belum dipilih —")), *ObjectiveIndicator.choices],
    )
    comparison = forms.ChoiceField(
        label=gettext_lazy("Pembanding"),
        required=False,
        choices=[("", "—"), *ObjectiveComparison.choices],
    )
    target = forms.CharField(label=gettext_lazy("Target"), required=False, max_length=30)


def _initial(text: str, saved: ProgrammeObjective | None) -> tuple[dict[str, Any], bool]:
    """(the row's initial values, whether they are a guess from the text to confirm)."""
    if saved is not None and saved.indicator:
        target = "" if saved.target is None else f"{saved.target.normalize():f}"
        return {
            "text": text,
            "indicator": saved.indicator,
            "comparison": saved.comparison,
            "target": target.replace(".", ","),
        }, False
    guess = guess_measure(text)
    if guess is None:
        return {"text": text}, False
    return {
        "text": text,
        "indicator": guess.indicator,
        "comparison": guess.comparison,
        "target": f"{guess.target.normalize():f}".replace(".", ","),
    }, True


@admin_required
def programme_objectives(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET: each objective line with its measure, or a guess from its text marked for the admin
    to confirm; POST: store every line's measure through the action (all or nothing)."""
    programme = queries.get_programme_for_user(request.user, pk)
    lines = programme.objective_list
    saved = {o.text: o for o in ProgrammeObjective.objects.filter(programme=programme)}
    rows: list[dict[str, Any]] = []
    forms_: list[ObjectiveMeasureForm] = []
    for number, text in enumerate(lines, start=1):
        initial, guessed = _initial(text, saved.get(text))
        form = ObjectiveMeasureForm(
            request.POST if request.method == "POST" else None,
            initial=initial,
            prefix=f"o{number}",
        )
        forms_.append(form)
        rows.append(
            {
                "number": number,
                "text": text,
                "form": form,
                "guessed": guessed,
                "saved": saved.get(text),
            }
        )
    error = ""
    if request.method == "POST":
        valid = [f.is_valid() for f in forms_]  # every row validated: each shows its errors
        if all(valid):
            inputs = [input_from(ObjectiveInput, f.cleaned_data) for f in forms_]
            try:
                do_set_objective_measures(programme=programme, rows=inputs, actor=request.user)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(request, _("Ukuran tujuan program tersimpan."))
                return redirect(programme)
        else:
            error = _("Periksa isian yang ditandai.")
    return render(
        request,
        "learning/programme_objectives.html",
        {"programme": programme, "rows": rows, "error": error},
        status=400 if error else 200,
    )
