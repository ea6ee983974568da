"""Forms of the OPD tree: create, rename and move a unit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kompeten.people.models import UnitKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class UnitChoiceField(forms.ModelChoiceField):
    """A unit picker that shows the tree: each unit indented by its depth."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{'— ' * obj.depth}{obj.display_name}"


def _unit_fields() -> dict[str, forms.Field]:
    return {
        "name": forms.CharField(label=_("Nama unit"), max_length=200),
        "short_name": forms.CharField(
            label=_("Singkatan"),
            max_length=60,
            required=False,
            help_text=_("Nama pendek yang dipakai di berkas lain, misalnya Disdukcapil."),
        ),
        "code": forms.CharField(
            label=_("Kode"),
            max_length=40,
            help_text=_("Unik dalam instansi, tanpa '/'; dari SIASN: UNOR ID."),
        ),
        "kind": forms.ChoiceField(label=_("Jenis"), choices=UnitKind.choices),
    }


def _parent_field(parents: Any, allow_top: bool, label: StrOrPromise) -> UnitChoiceField:
    """The parent picker: the units the user may use, and "top level" only where allowed."""
    return UnitChoiceField(
        queryset=parents,
        label=label,
        required=not allow_top,
        empty_label=_("— tingkat teratas (OPD) —") if allow_top else _("— pilih —"),
    )


class UnitForm(forms.Form):
    """A new unit: its parent (only those the user may use) and its own fields."""

    def __init__(self, *args: Any, parents: Any, allow_top: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"] = _parent_field(parents, allow_top, _("Unit induk"))
        self.fields.update(_unit_fields())


class UnitEditForm(forms.Form):
    """Rename a unit: name, short name, code and kind (moving is its own form)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(_unit_fields())


class UnitMoveForm(forms.Form):
    """Move a unit (with its sub-units) under another parent."""

    def __init__(self, *args: Any, parents: Any, allow_top: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"] = _parent_field(parents, allow_top, _("Induk baru"))
