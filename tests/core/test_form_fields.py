"""Dates and times typed on a page stay in the supported years (kompeten.core.moments): a time
in year 1 cannot be moved to UTC to be stored, and no record here is dated before 1900."""

from __future__ import annotations

from datetime import date

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from kompeten.core.forms import DateField, DateTimeField
from kompeten.scheduling.models import DutyEntry


class Dates(forms.Form):
    day = DateField(widget=forms.DateInput(attrs={"type": "date"}))
    moment = DateTimeField(
        required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "3000-01-01", "9999-12-31"])
def test_a_date_outside_the_supported_years_is_refused_by_name(day) -> None:
    form = Dates({"day": day})
    assert not form.is_valid()
    assert form.errors["day"] == ["Tahunnya harus antara 1900 dan 2999."]
    with translation.override("en"):
        form = Dates({"day": day})
        assert form.errors["day"] == ["The year must lie between 1900 and 2999."]


def test_the_edges_of_the_supported_years_are_accepted() -> None:
    form = Dates({"day": "1900-01-01", "moment": "2999-12-31T23:59"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == date(1900, 1, 1)
    assert form.cleaned_data["moment"].year == 2999


def test_a_time_in_year_one_is_refused_before_it_reaches_the_database() -> None:
    form = Dates({"day": "2026-01-01", "moment": "0001-01-01T00:00"})
    assert form.errors["moment"] == ["Tahunnya harus antara 1900 dan 2999."]


def test_the_browsers_calendar_is_given_the_same_bounds() -> None:
    html = str(Dates())
    assert 'min="1900-01-01"' in html and 'max="2999-12-31"' in html
    assert 'min="1900-01-01T00:00"' in html and 'max="2999-12-31T23:59"' in html


def test_a_duty_typed_in_year_one_is_refused_by_the_year_rule(client, world) -> None:
    client.force_login(world.bob)
    response = client.post(
        reverse("scheduling:duty_create"),
        {
            "employee": world.erin_emp.pk,
            "kind": "cuti",
            "start": "0001-01-01T00:00",
            "end": "0001-01-01T06:00",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["start"] == ["Tahunnya harus antara 1900 dan 2999."]
    assert not DutyEntry.objects.exists()


def test_several_objects_picked_by_an_id_no_key_can_hold_are_not_a_choice(world) -> None:
    from kompeten.core.forms import ModelMultipleChoiceField
    from kompeten.people.models import Unit

    class Units(forms.Form):
        units = ModelMultipleChoiceField(queryset=Unit.objects.filter(instansi=world.instansi))

    for posted in ("99999999999999999999999", "-99999999999999999999999", "abc"):
        form = Units({"units": [str(world.layanan.pk), posted]})
        assert not form.is_valid()
        assert form.errors["units"] == [f"“{posted}” bukan nilai yang valid."]
    form = Units({"units": [str(world.layanan.pk), "-1"]})  # a key, of no unit: not a choice
    assert "units" in form.errors
    form = Units({"units": [str(world.layanan.pk)]})
    assert form.is_valid() and list(form.cleaned_data["units"]) == [world.layanan]


def test_a_date_typed_as_people_write_it_is_read() -> None:
    """The calendar sends 2025-06-26; a user (or `kompeten import training --end`) types
    26/06/2025 or 26 Juni 2025; anything else is refused naming the spellings it takes."""
    from datetime import date

    from django.core.exceptions import ValidationError

    from kompeten.core.forms import DateField

    field = DateField()
    for typed in ("2025-06-26", "26/06/2025", "26 Juni 2025", "Kamis, 26 Juni 2025"):
        assert field.clean(typed) == date(2025, 6, 26), typed
    for number in ("45000", "12345", "45000.5"):  # no date a person types (an Excel serial)
        with pytest.raises(ValidationError):
            field.clean(number)
    with pytest.raises(ValidationError) as refused:
        field.clean("kemarin")
    assert refused.value.messages == [
        "Masukkan tanggal yang valid, mis. 2025-06-24, 24/06/2025 atau 24 Juni 2025."
    ]
