"""Tables to and from JSON: the dicts the admin's stored versions hold must not change shape."""

from __future__ import annotations

import importlib
import json
import pkgutil
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

import kompeten.standards
from kompeten.standards._tables import RegulationTable
from kompeten.standards.jp import JP_UNIT
from kompeten.standards.nip import PPPK_NIP_PATTERN
from kompeten.standards.sampling import SLOVIN

# Tables with structured values that no one edits, so they have no dict form.
NOT_STORED = {
    "discipline.SANCTIONS": "kinds",
    "pangkat.PANGKAT_2002": "golongan",
    "skp.SKP_2022": "cells",
}


def _package_tables() -> dict[str, RegulationTable]:
    tables = {}
    for module_info in pkgutil.iter_modules(kompeten.standards.__path__):
        module = importlib.import_module(f"kompeten.standards.{module_info.name}")
        for name, value in vars(module).items():
            if isinstance(value, RegulationTable):
                tables[f"{module_info.name}.{name}"] = value
    return tables


TABLES = _package_tables()


def test_the_package_tables_are_all_found() -> None:
    assert {"jp.JP_UNIT", "nip.PPPK_NIP_PATTERN", "sampling.SLOVIN", "ip_asn.IP_ASN_2019"} <= set(
        TABLES
    )
    assert set(NOT_STORED) <= set(TABLES)


@pytest.mark.parametrize("name", sorted(set(TABLES) - set(NOT_STORED)))
def test_every_stored_table_comes_back_from_json_unchanged(name: str) -> None:
    table = TABLES[name]
    data = json.loads(json.dumps(table.to_dict()))
    assert data == table.to_dict()
    assert type(table).from_dict(data) == table


@pytest.mark.parametrize("name", sorted(NOT_STORED))
def test_a_table_with_structured_values_and_no_dict_form_says_so(name: str) -> None:
    table = TABLES[name]
    with pytest.raises(TypeError, match=rf"{type(table).__name__}\.{NOT_STORED[name]}\b"):
        table.to_dict()


def test_the_jp_unit_keeps_its_stored_shape() -> None:
    assert JP_UNIT.to_dict() == {
        "regulation": "Lembaga Administrasi Negara: 1 jam pelajaran (JP) = 45 menit (practice "
        "of LAN training regulations)",
        "effective_from": "2018-01-01",
        "confidence": "MED",
        "minutes_per_jp": 45,
    }


def test_the_pppk_nip_pattern_keeps_its_stored_shape() -> None:
    assert PPPK_NIP_PATTERN.to_dict() == {
        "regulation": "Nomor Induk PPPK as issued by BKN (tanggal lahir, tahun pengangkatan, "
        "kode 21, jenis kelamin, nomor urut); pattern observed in practice, no regulation text "
        "seen",
        "effective_from": "2019-01-01",
        "confidence": "MED",
        "marker": "21",
    }


def test_the_slovin_table_keeps_its_stored_shape() -> None:
    data = SLOVIN.to_dict()
    assert data == {
        "regulation": "Slovin's formula n = N/(1 + N·e²), e = 5% by convention",
        "effective_from": "2017-01-01",
        "confidence": "MED",
        "error": "0.05",
    }
    assert list(data) == ["regulation", "effective_from", "confidence", "error"]


@dataclass(frozen=True)
class EveryScalar(RegulationTable):
    count: int
    name: str
    share: Decimal
    ratio: Fraction
    start: date
    active: bool
    places: int = 2


@dataclass(frozen=True)
class WithBands(RegulationTable):
    bands: tuple[str, ...]


HEAD = {"regulation": "x", "effective_from": "2020-01-01", "confidence": "LOW"}
# one value of each scalar type, as the default to_dict() writes it
STORED = {
    **HEAD,
    "count": 3,
    "name": "n",
    "share": "0.10",
    "ratio": "1/3",
    "start": "2024-02-29",
    "active": False,
    "places": 4,
}


def test_the_default_dict_writes_each_scalar_in_its_json_form() -> None:
    table = EveryScalar.from_dict(STORED)
    assert table == EveryScalar(
        regulation="x",
        effective_from=date(2020, 1, 1),
        confidence="LOW",
        count=3,
        name="n",
        share=Decimal("0.10"),
        ratio=Fraction(1, 3),
        start=date(2024, 2, 29),
        active=False,
        places=4,
    )
    data = table.to_dict()
    assert json.dumps(data) == json.dumps(STORED)
    assert EveryScalar.from_dict(json.loads(json.dumps(data))) == table


def test_a_missing_value_with_a_default_takes_the_default() -> None:
    data = {**HEAD, "count": 3, "name": "n", "share": 1, "ratio": 2, "start": "2024-01-01"}
    with pytest.raises(KeyError, match="active"):
        EveryScalar.from_dict(data)
    table = EveryScalar.from_dict({**data, "active": True})
    assert table.places == 2
    assert table.share == Decimal("1")


def test_the_default_dict_refuses_a_field_it_cannot_write() -> None:
    table = WithBands(
        regulation="x", effective_from=date(2020, 1, 1), confidence="LOW", bands=("a",)
    )
    with pytest.raises(TypeError, match=r"WithBands\.bands"):
        table.to_dict()
    with pytest.raises(TypeError, match=r"WithBands\.bands"):
        WithBands.from_dict({**HEAD, "bands": ["a"]})
