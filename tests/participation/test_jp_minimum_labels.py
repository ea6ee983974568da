"""Every label and sentence that states the PNS yearly JP minimum reads it from
``kompeten.standards.jp`` (PP 11/2017 as amended, Pasal 203 ayat (4): at least 20 JP a year),
so a label never says "20 JP" while the count is taken at another threshold."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from django.urls import reverse
from django.utils import translation

from kompeten.core import formatting
from kompeten.participation import queries
from kompeten.participation.models import JpEntry
from kompeten.reports import rules
from kompeten.standards import jp as jp_std
from tests import factories


@pytest.fixture
def minimum_24(monkeypatch: pytest.MonkeyPatch) -> None:
    """A JP table whose PNS minimum is 24, as a future regulation might set it."""
    pns = dataclasses.replace(jp_std.JP_TARGETS.targets["PNS"], minimum=Fraction(24))
    table = dataclasses.replace(
        jp_std.JP_TARGETS, targets={**jp_std.JP_TARGETS.targets, "PNS": pns}
    )
    monkeypatch.setattr(jp_std, "JP_TARGETS", table)


def test_the_minimum_is_the_regulations_20_jp() -> None:
    assert jp_std.pns_minimum() == Fraction(20)
    assert formatting.jp_minimum() == "20"


def test_the_pages_state_the_minimum_the_count_uses(client, world, minimum_24) -> None:  # type: ignore[no-untyped-def]
    JpEntry.objects.create(  # 22 JP: enough for 20, not for 24
        instansi=world.instansi,
        employee=world.dave_emp,
        year=2026,
        date=date(2026, 3, 2),
        minutes=Decimal(22 * 45),
        group="nonklasikal",
        form="e_learning",
        title="E-learning",
        source="sertifikat_eksternal",
    )
    client.force_login(world.alice)
    jp_page = client.get(reverse("participation:jp_dashboard") + "?year=2026").content.decode()
    assert "PNS di bawah 24 JP, per OPD" in jp_page and "20 JP" not in jp_page
    analytics = client.get(reverse("scheduling:analytics") + "?year=2026").content.decode()
    assert "Kepatuhan 24 JP (PNS) per akhir bulan" in analytics
    trend = queries.compliance_trend(world.alice, 2026)
    assert [t["met"] for t in trend] == [0] * 12  # 22 JP is below the minimum of 24


def test_the_generated_sentences_state_it_in_either_language(minimum_24) -> None:  # type: ignore[no-untyped-def]
    values = {"met": 3, "with_target": 4, "rate": 0.75}
    assert rules._jp_compliance_text(values).endswith("3 dari 4 PNS (75,0%) memenuhi 24 JP.")
    assert str(rules._SUBJECTS["jp_compliance"]) == "Pemenuhan 24 JP"
    with translation.override("en"):
        assert rules._jp_compliance_text(values).endswith("3 of 4 PNS (75.0%) reach 24 JP.")
        assert str(rules._SUBJECTS["jp_compliance"]) == "24 JP fulfilment"


def test_a_tree_of_opds_at_the_top_is_counted_per_opd_not_per_sekretariat(db) -> None:  # type: ignore[no-untyped-def]
    """A SIASN tree has every OPD at the top: the table 'per OPD' groups each OPD's
    Sekretariat under its OPD (it listed 'SEKRETARIAT' once per OPD, none told apart)."""
    from kompeten.core.models import Role

    instansi = factories.make_instansi("Pemerintah Kota Sawahlunto", "sawahlunto")
    for opd in ("DINAS KESEHATAN", "DINAS SOSIAL"):
        top = factories.make_unit(instansi, opd)
        sek = factories.make_unit(instansi, "SEKRETARIAT", parent=top, kind="sekretariat")
        factories.make_employee(sek, f"Staf {opd}")
        factories.make_employee(top, f"Kepala {opd}")
    admin = factories.make_user(instansi, "admin.bkpsdm", Role.ADMIN)
    rows = queries.jp_by_opd(admin, 2025)
    assert sorted((r["unit"].name, r["employees"]) for r in rows) == [
        ("DINAS KESEHATAN", 2),
        ("DINAS SOSIAL", 2),
    ]
