"""The programme page shows, before the training, the smallest IKM change the programme's units
and chosen months can detect (80 % power, two-sided 5 %), from the units' monthly IKM history."""

from __future__ import annotations

import random
from datetime import date, datetime
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine

from kompeten.evaluation.power import programme_power
from kompeten.learning.models import Programme
from kompeten.participation.actions.enrolment import do_invite
from kompeten.service.actions.skm import (
    SkmRecord,
    do_bulk_add_skm_responses,
    do_create_service_unit,
)
from kompeten.service.models import ServiceUnit
from kompeten.stats.impact import minimum_detectable_change, monthly_spread
from tests import factories
from tests.participation.builders import at, make_batch, make_programme
from tests.service.helpers import SLUGS, ikm_by_hand

JKT = ZoneInfo("Asia/Jakarta")
TODAY = datetime(2026, 3, 2, 10, 0, tzinfo=JKT)
HISTORY = [(2024 + (m - 1) // 12, (m - 1) % 12 + 1) for m in range(3, 27)]  # 2024-03 … 2026-02


def _planned(world, title: str, code: str) -> Programme:  # type: ignore[no-untyped-def]
    """A programme with one batch on 14 July 2026, Dave invited to it in March."""
    programme = make_programme(world.instansi, title, code=code)
    batch = make_batch(programme, [(date(2026, 7, 14), 8, 16)], capacity=10)
    do_invite(
        batch=batch,
        employee=world.dave_emp,
        actor=world.alice,
        notify=False,
        check_clash=False,
        now=at(date(2026, 3, 1), 9),
    )
    return programme


@pytest.fixture
def planned(world):  # type: ignore[no-untyped-def]
    """A training planned for July 2026, staff of Bidang Layanan invited; service units in
    Dinas Alfa (trained), Dinas Beta and two other OPDs (comparison), each with monthly SKM
    answers over the two years before."""
    rng = random.Random(21)
    with time_machine.travel(TODAY, tick=False):
        programme = _planned(world, "Pelayanan Prima", "PP-26")
        units = [(world.alfa, "alfa"), (world.layanan, "loket"), (world.beta, "beta")]
        for name in ("Gamma", "Delta"):
            unit = factories.make_unit(world.instansi, f"Dinas {name}", parent=world.beta.parent)
            units.append((unit, name.lower()))
        history: dict[str, dict[tuple[int, int], float]] = {}
        for unit, code in units:
            su = do_create_service_unit(unit=unit, code=code, name=f"Layanan {code}")
            records, by_month = [], {}
            for y, m in HISTORY:
                good = rng.uniform(0.2, 0.6)
                month = [
                    SkmRecord(
                        submitted=datetime(y, m, 1 + k, 10, tzinfo=JKT),
                        scores={s: 4 if rng.random() < good else rng.choice([2, 3]) for s in SLUGS},
                    )
                    for k in range(8)
                ]
                records += month
                by_month[(y, m)] = ikm_by_hand(month).ikm_unit
            do_bulk_add_skm_responses(su, records)
            history[su.name] = by_month
    return programme, history


def test_the_minimum_detectable_change_comes_from_the_units_monthly_history(
    world, client, planned, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    programme, history = planned
    # independently: the spread of the IKM computed from the answers, the formula's figure
    cells = [
        (u, y * 12 + m - 1, v) for u, months in history.items() for (y, m), v in months.items()
    ]
    spread = monthly_spread([c[0] for c in cells], [c[1] for c in cells], [c[2] for c in cells])
    assert spread is not None
    # Layanan alfa and Layanan loket hold the invited participant's unit; three others compare
    expected = minimum_detectable_change(spread, 2, 3, 9, 6)
    assert expected is not None
    with time_machine.travel(TODAY, tick=False):
        p = programme_power(programme, 9, 6)
        assert (p.n_treated, p.n_comparison) == (2, 3)
        assert p.treated == ("Layanan alfa", "Layanan loket")
        assert (p.history_start, p.history_end) == (date(2024, 3, 1), date(2026, 2, 1))
        assert p.change == pytest.approx(expected[0], rel=1e-9)
        client.force_login(world.alice)
        url = f"/evaluasi/program/{programme.pk}/"
        with django_assert_max_num_queries(50):
            page = client.get(url, {"tab": "l4", "bulan_sebelum": "9", "bulan_sesudah": "6"})
        html = unescape(page.content.decode())
        shown = f"{expected[0]:.1f}".replace(".", ",")
        assert (
            "Dengan 2 unit terlatih dan 3 unit pembanding, 9 bulan sebelum dan 6 bulan sesudah "
            f"pelatihan, perubahan IKM terkecil yang dapat dideteksi (daya uji 80%, uji dua sisi "
            f"5%) adalah {shown} poin."
        ) in html
        # more months after the training detect a smaller change
        longer = programme_power(programme, 9, 12)
        assert longer.change is not None and longer.change < expected[0]
        bad = unescape(client.get(url, {"tab": "l4", "bulan_sesudah": "tiga"}).content.decode())
    assert "Jumlah bulan sesudah harus bilangan bulat 1–36, bukan 'tiga'." in bad
    assert "6 bulan sebelum dan 6 bulan sesudah pelatihan" in bad  # the defaults meanwhile


def test_without_history_the_page_says_why(world, client) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(TODAY, tick=False):
        programme = _planned(world, "Etika", "ETK-26")
        do_create_service_unit(unit=world.alfa, code="alfa", name="Layanan alfa")
        client.force_login(world.alice)
        html = client.get(f"/evaluasi/program/{programme.pk}/", {"tab": "l4"}).content.decode()
    assert "Unit terlatih belum punya IKM bulanan sedikitnya dua bulan dalam 24 bulan" in html


def test_two_trained_units_without_comparison_units_get_their_figure_not_an_error(
    world, client, planned
) -> None:  # type: ignore[no-untyped-def]
    # the sample customer's case: two trained service units, none to compare (df = 1)
    programme, history = planned
    ServiceUnit.objects.exclude(name__in=("Layanan alfa", "Layanan loket")).update(is_active=False)
    cells = [
        (u, y * 12 + m - 1, v)
        for u, months in history.items()
        if u in ("Layanan alfa", "Layanan loket")
        for (y, m), v in months.items()
    ]
    spread = monthly_spread([c[0] for c in cells], [c[1] for c in cells], [c[2] for c in cells])
    assert spread is not None
    expected = minimum_detectable_change(spread, 2, 0, 9, 6)
    assert expected is not None and expected[2] == 1
    with time_machine.travel(TODAY, tick=False):
        client.force_login(world.alice)
        page = client.get(
            f"/evaluasi/program/{programme.pk}/",
            {"tab": "l4", "bulan_sebelum": "9", "bulan_sesudah": "6"},
        )
    assert page.status_code == 200
    html = unescape(page.content.decode())
    shown = f"{expected[0]:.1f}".replace(".", ",")
    assert "Dengan 2 unit terlatih dan 0 unit pembanding, 9 bulan sebelum" in html
    assert f"adalah {shown} poin." in html
    assert "Tanpa unit pembanding, perubahan sebesar itu pun belum tentu karena pelatihan." in html
