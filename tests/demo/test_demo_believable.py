"""The Sawahlunto demo is believable to an officer of a kota of ~68,000 people.

Builds the whole demo once for the module (the same `build_demo` as `kompeten demo`) and checks
the organisation (golongan consistent with the post, no staff member above their supervisor),
the IP ASN distribution, the item bank, trained and untrained service units, the demo Pegawai's
history and the seed's story from needs to the next cycle.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from kompeten.demo import build
from kompeten.demo.people import GOLONGAN, rank
from tests.demo.built import demo_for_the_module

pytestmark = pytest.mark.django_db(transaction=False)

JENJANG_BAND = {
    "Ahli Pertama": ("III/a", "III/b"),
    "Ahli Muda": ("III/c", "III/d"),
    "Ahli Madya": ("IV/a", "IV/c"),
    "Pemula": ("II/a", "II/a"),
    "Terampil": ("II/b", "II/d"),
    "Mahir": ("III/a", "III/b"),
    "Penyelia": ("III/c", "III/d"),
}
POST_BAND = {
    "pengawas": ("III/c", "III/d"),
    "administrator": ("III/d", "IV/a"),
    "jpt": ("IV/b", "IV/e"),
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    with demo_for_the_module(django_db_blocker, tmp_path_factory) as built:
        yield built


def _pns(ctx):
    from kompeten.people.models import Employee

    return Employee.objects.filter(instansi=ctx.instansi, status="PNS")


def test_no_pelaksana_is_golongan_iv_and_most_are_ii_c_to_iii_b(demo) -> None:
    ctx, _out = demo
    golongan = list(_pns(ctx).filter(jabatan_kind="pelaksana").values_list("golongan", flat=True))
    assert len(golongan) > 300
    assert [g for g in golongan if g.startswith("IV/")] == []
    middle = sum(rank("II/c") <= rank(g) <= rank("III/b") for g in golongan)
    high = sum(rank(g) >= rank("III/c") for g in golongan)
    assert middle / len(golongan) >= 0.55, Counter(golongan)
    assert high / len(golongan) <= 0.2, Counter(golongan)


def test_fungsional_jenjang_and_managerial_golongan_follow_the_post(demo) -> None:
    ctx, _out = demo
    wrong = []
    for kind, name, golongan in _pns(ctx).values_list("jabatan_kind", "jabatan_name", "golongan"):
        if kind == "fungsional":
            level = next((j for j in JENJANG_BAND if name.endswith(" " + j)), None)
            if level is None:
                wrong.append((name, golongan, "tanpa jenjang"))
                continue
            low, high = JENJANG_BAND[level]
        elif kind in POST_BAND:
            low, high = POST_BAND[kind]
        else:
            continue
        if not rank(low) <= rank(golongan) <= rank(high):
            wrong.append((name, golongan))
    assert wrong == []
    # a manager has served for years before the post: the TMT CPNS in the NIP (digits 9-12)
    served = {"pengawas": 8, "administrator": 12, "jpt": 18}
    for kind, nip in _pns(ctx).filter(jabatan_kind__in=served).values_list("jabatan_kind", "nip"):
        assert 2026 - int(nip[8:12]) >= served[kind], (kind, nip)


def test_no_staff_member_outranks_their_supervisor(demo) -> None:
    ctx, _out = demo
    pairs = (
        _pns(ctx)
        .filter(supervisor__status="PNS")
        .values_list("nip", "golongan", "supervisor__golongan")
    )
    above = [p for p in pairs if GOLONGAN.index(p[1]) > GOLONGAN.index(p[2])]
    assert len(pairs) > 1000
    assert above == []


def test_the_ip_asn_distribution_is_mostly_rendah_and_sedang(demo) -> None:
    from kompeten.people.models import Employee
    from kompeten.reports.ipasn import ip_for_employees, summarise

    ctx, _out = demo
    employees = Employee.objects.filter(instansi=ctx.instansi, is_active=True)
    summary = summarise(ip_for_employees(employees, 2026))
    share = {k: v / summary.n for k, v in summary.categories.items()}
    assert share.get("Rendah", 0) + share.get("Sedang", 0) >= 0.5, summary.categories
    assert 0.03 <= share.get("Tinggi", 0) <= 0.35, summary.categories
    assert share.get("Sangat Rendah", 0) <= 0.15, summary.categories
    assert share.get("Sangat Tinggi", 0) <= 0.05, summary.categories


PLACEHOLDER = re.compile(r"\bSoal \d|Pernyataan tentang|\bnomor \d|\bLangkah [A-D]\b|«|»|[Ll]orem")


def test_the_test_bank_has_real_items(demo) -> None:
    from kompeten.evaluation.models import BankItem, ItemKind

    ctx, _out = demo
    items = list(BankItem.objects.filter(programme__instansi=ctx.instansi))
    assert len(items) >= 40
    assert [i.text for i in items if PLACEHOLDER.search(i.text)] == []
    by_programme = Counter(i.programme_id for i in items)
    texts = Counter((i.programme_id, i.text) for i in items)
    assert max(texts.values()) == 1  # no item repeated within a programme
    assert min(by_programme.values()) >= 8
    for item in items:
        if item.kind == ItemKind.MULTIPLE_CHOICE:
            assert len(set(item.options)) == 4 and item.correct in item.options, item.text
            assert not any(PLACEHOLDER.search(o) for o in item.options), item.options
        else:
            assert item.correct in ("benar", "salah")


def test_some_service_units_are_trained_and_some_are_not(demo) -> None:
    from kompeten.learning.models import Programme
    from kompeten.participation.models import Enrolment
    from kompeten.reports import collect as c
    from kompeten.reports.impact import participating_service_units
    from kompeten.service.models import ServiceUnit

    ctx, _out = demo
    tree = c.unit_tree(ctx.instansi.pk)
    trained = c.trained_units(Enrolment.objects.filter(instansi=ctx.instansi), tree)
    units = list(ServiceUnit.objects.filter(instansi=ctx.instansi, is_active=True))
    split = Counter(tree.opd_of(u.unit_id).pk in trained for u in units)
    assert split[True] >= 2 and split[False] >= 2, split
    # the complaint-handling course's report has comparison units for its DiD
    took_part, others = participating_service_units(
        Programme.objects.get(instansi=ctx.instansi, code="PP-01"), units, tree
    )
    assert took_part and len(others) >= 2


def test_trained_and_untrained_units_both_have_a_monthly_ikm_and_complaints(demo) -> None:
    """The dashboard's trained-vs-untrained charts have two series: the units on each side
    (an OPD with a completion or not, as the dashboard groups them) have data in 2026."""
    from datetime import date

    from kompeten.participation.models import Enrolment
    from kompeten.reports import collect as c
    from kompeten.service import queries as service_q
    from kompeten.service.models import Complaint, ServiceUnit

    ctx, _out = demo
    tree = c.unit_tree(ctx.instansi.pk)
    trained = c.trained_units(Enrolment.objects.filter(instansi=ctx.instansi), tree)
    units = list(ServiceUnit.objects.filter(instansi=ctx.instansi, is_active=True))
    for side in (True, False):
        ids = [u.pk for u in units if (tree.opd_of(u.unit_id).pk in trained) == side]
        series = service_q.monthly_ikm_series(ids, date(2026, 1, 1), date(2026, 12, 1))
        months = {s["month"] for s in series if s["ikm_unit"] is not None}
        assert len(months) >= 10, (side, len(months))
        unit_ids = [u.unit_id for u in units if u.pk in ids]
        assert Complaint.objects.filter(unit_id__in=unit_ids).count() > 100, side


@pytest.mark.usefixtures("demo")
def test_the_demo_pegawai_is_a_pelaksana_with_a_history() -> None:
    from kompeten.evaluation.models import InstrumentKind, Response
    from kompeten.participation.models import Certificate, JpEntry
    from kompeten.people.models import Employee

    rows = build.demo_logins()
    pegawai = [r for r in rows if r[0].startswith("Pegawai")]
    atasan = [r for r in rows if r[0].startswith("Atasan")]
    assert len(pegawai) == 1 and len(atasan) == 1
    staff = Employee.objects.get(nip=pegawai[0][1])
    assert staff.jabatan_kind == "pelaksana" and staff.status == "PNS"
    assert rank("II/c") <= rank(staff.golongan) <= rank("III/b")
    assert staff.supervisor is not None and staff.supervisor.nip == atasan[0][1]
    assert rank(staff.supervisor.golongan) >= rank(staff.golongan)
    assert staff.unit.code == "DUKCAPIL" and staff.supervisor.jabatan_kind != "jpt"
    years = set(JpEntry.objects.filter(employee=staff).values_list("year", flat=True))
    assert len(years) >= 2 and 2026 in years
    assert Certificate.objects.filter(employee=staff, enrolment__completed_at__isnull=False)
    assert Response.objects.filter(subject=staff, kind=InstrumentKind.REACTION).exists()


def test_the_story_runs_from_needs_to_the_next_cycle(demo) -> None:
    from kompeten.evaluation.models import InstrumentKind, Response
    from kompeten.learning.models import AkpCampaign, Programme, Proposal
    from kompeten.participation.models import Enrolment, EnrolmentSource
    from kompeten.reports.models import ReportCycle
    from kompeten.scheduling.models import PlanRun

    ctx, output = demo
    i = ctx.instansi
    assert AkpCampaign.objects.filter(instansi=i, year=2026).exists()  # needs
    assert Proposal.objects.filter(campaign__instansi=i, votes__isnull=False).exists()  # co-design
    assert Programme.objects.filter(instansi=i).count() >= 8
    assert PlanRun.objects.filter(instansi=i).exists()  # flexible schedule
    assert Enrolment.objects.filter(instansi=i, source=EnrolmentSource.PLAN).exists()
    assert Enrolment.objects.filter(instansi=i, completed_at__isnull=False).count() > 100
    kinds = set(Response.objects.filter(programme__instansi=i).values_list("kind", flat=True))
    assert {InstrumentKind.REACTION, InstrumentKind.PRETEST, InstrumentKind.POSTTEST} <= kinds
    assert InstrumentKind.BEHAVIOUR in kinds
    assert ReportCycle.objects.filter(instansi=i, code="2026").exists()  # report
    # the next cycle: the units left for 2027 still have their needs, and nobody of theirs
    # took part this year
    assert not Enrolment.objects.filter(
        instansi=i, employee__unit__code__in=["RSUD", "KEC-BARANGIN"]
    ).exists()
    assert "sertifikat pengembangan kompetensi terdahulu" in output
