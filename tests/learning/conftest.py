"""A small learning world on top of the personas (see tests/conftest.py).

Competencies: two managerial (INT, PP) and one technical (ADU). Pelaksana posts require INT 2 and
PP 3; the post "Petugas Loket" also requires ADU 3; pengawas posts require INT 3 and PP 4.
The campaign is open from yesterday to ten days from now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from kompeten.learning.actions import akp, codesign, competencies
from kompeten.learning.models import (
    AkpCampaign,
    Competency,
    CompetencyGroup,
    FeedbackRound,
    Programme,
)
from tests.conftest import World


@dataclass
class Learning:
    world: World
    integ: Competency
    pp: Competency
    adu: Competency
    campaign: AkpCampaign


def make_competencies(world: World) -> tuple[Competency, Competency, Competency]:
    levels = [competencies.LevelInput(level=i, description=f"Level {i}") for i in range(1, 6)]
    integ, pp = (
        competencies.do_create_competency(
            instansi=world.instansi,
            code=code,
            name=name,
            group=CompetencyGroup.MANAJERIAL,
            levels=levels,
        )
        for code, name in [("INT", "Integritas"), ("PP", "Pelayanan Publik")]
    )
    adu = competencies.do_create_competency(
        instansi=world.instansi,
        code="ADU",
        name="Penanganan Pengaduan",
        group=CompetencyGroup.TEKNIS,
    )
    for kind, name, comp, level in [
        ("pelaksana", "", integ, 2),
        ("pelaksana", "", pp, 3),
        ("pelaksana", "Petugas Loket", adu, 3),
        ("pengawas", "", integ, 3),
        ("pengawas", "", pp, 4),
    ]:
        competencies.do_set_required_level(
            instansi=world.instansi,
            jabatan_kind=kind,
            jabatan_name=name,
            competency=comp,
            level=level,
        )
    return integ, pp, adu


def open_feedback_round(programme: Programme, outline: str = "Draf 12 JP") -> FeedbackRound:
    """A feedback round on ``programme``'s draft ``outline``, opened an hour ago for three days."""
    now = timezone.now()
    return codesign.do_open_feedback_round(
        programme=programme,
        outline=outline,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=3),
    )


def draft_campaign(world: World, name: str) -> AkpCampaign:
    """A draft AKP campaign ``name`` of ``world``'s instansi for this year, created by alice, its
    window from yesterday to ten days from now (opening it snapshots the required levels)."""
    now = timezone.now()
    return akp.do_create_campaign(
        instansi=world.instansi,
        name=name,
        year=now.year,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=10),
        actor=world.alice,
    )


@pytest.fixture
def learning(world: World) -> Learning:
    integ, pp, adu = make_competencies(world)
    campaign = draft_campaign(world, "AKP Uji")
    akp.do_open_campaign(campaign, actor=world.alice)
    return Learning(world=world, integ=integ, pp=pp, adu=adu, campaign=campaign)
