"""Participatory design: proposals, votes (htmx), comments, demand, feedback, the co-design record."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from python_calamine import CalamineWorkbook

from kompeten.learning import queries
from kompeten.learning.actions import codesign
from kompeten.learning.models import Proposal, ProposalStatus, ProposalVote
from tests import factories
from tests.learning.conftest import Learning, open_feedback_round
from tests.learning.test_programmes import make_programme


def propose(learning: Learning, actor=None, title: str = "Menghadapi warga marah") -> Proposal:  # type: ignore[no-untyped-def]
    return codesign.do_create_proposal(
        campaign=learning.campaign,
        actor=actor or learning.world.dave,
        title=title,
        problem="Warga marah karena KTP-el belum jadi tiga minggu.",
        learning_type="pelatihan",
        competency=learning.pp,
    )


def test_a_pegawai_proposes_a_topic_with_the_problem_they_face(learning: Learning) -> None:
    proposal = propose(learning)
    assert proposal.unit == learning.world.layanan and proposal.jabatan_kind == "pelaksana"
    with pytest.raises(ValidationError) as caught:
        codesign.do_create_proposal(
            campaign=learning.campaign,
            actor=learning.world.dave,
            title="",
            problem="x",
            learning_type="kuliah",
        )
    assert set(caught.value.message_dict) == {"title", "problem", "learning_type"}
    with pytest.raises(ValidationError, match="terhubung ke pegawai"):
        propose(learning, actor=learning.world.alice)


def test_one_vote_per_person_per_proposal(learning: Learning) -> None:
    proposal = propose(learning)
    codesign.do_vote(proposal=proposal, actor=learning.world.erin)
    with pytest.raises(ValidationError, match="sudah memberi suara"):
        codesign.do_vote(proposal=proposal, actor=learning.world.erin)
    proposal.refresh_from_db()
    assert proposal.vote_count == 1 and ProposalVote.objects.count() == 1


@pytest.mark.parametrize(
    ("lang", "twice", "outside"),
    [
        (
            "id",
            "Anda sudah memberi suara untuk usulan ini; satu orang satu suara.",
            "Suara ditolak: di luar masa kampanye AKP Uji ({start} s.d. {end} WIB).",
        ),
        (
            "en",
            "You have already voted for this proposal; one person, one vote.",
            "Vote refused: outside the period of campaign AKP Uji ({start} to {end} WIB).",
        ),
    ],
)
def test_a_vote_is_refused_in_the_voters_language(
    learning: Learning, lang: str, twice: str, outside: str
) -> None:
    proposal = propose(learning)
    codesign.do_vote(proposal=proposal, actor=learning.world.erin)
    with translation.override(lang), pytest.raises(ValidationError) as refused:
        codesign.do_vote(proposal=proposal, actor=learning.world.erin)
    assert refused.value.messages == [twice]
    campaign = learning.campaign
    with translation.override(lang), pytest.raises(ValidationError) as refused:
        codesign.do_vote(proposal=proposal, actor=learning.world.bob, now=campaign.closes_at)
    start, end = (
        timezone.localtime(t).strftime("%d-%m-%Y %H:%M")
        for t in (campaign.opens_at, campaign.closes_at)
    )
    assert refused.value.messages == [outside.format(start=start, end=end)]


def test_it_refuses_a_vote_outside_the_campaign_window(learning: Learning) -> None:
    proposal = propose(learning)
    with pytest.raises(ValidationError, match="di luar masa kampanye"):
        codesign.do_vote(
            proposal=proposal,
            actor=learning.world.erin,
            now=learning.campaign.opens_at - timedelta(seconds=1),
        )
    with pytest.raises(ValidationError, match="di luar masa kampanye"):
        codesign.do_vote(
            proposal=proposal, actor=learning.world.erin, now=learning.campaign.closes_at
        )
    assert not ProposalVote.objects.exists()


def test_the_bulk_vote_import_keeps_the_same_rules(learning: Learning) -> None:
    proposal = propose(learning)
    at = timezone.now()
    w = learning.world
    with pytest.raises(ValidationError, match="sudah memberi suara"):
        codesign.record_votes_bulk([(proposal, w.erin_emp, at), (proposal, w.erin_emp, at)])
    assert not ProposalVote.objects.exists()
    assert codesign.record_votes_bulk([(proposal, w.erin_emp, at), (proposal, w.bob_emp, at)]) == 2
    proposal.refresh_from_db()
    assert proposal.vote_count == 2


def test_voting_through_htmx_returns_the_widget(learning: Learning, client) -> None:  # type: ignore[no-untyped-def]
    proposal = propose(learning)
    client.force_login(learning.world.erin)
    url = reverse("learning:proposal_vote", args=[proposal.pk])
    response = client.post(url, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and 'id="vote-' in body and "Tarik suara" in body
    response = client.post(url, HTTP_HX_REQUEST="true")  # a second plain vote is refused
    assert response.status_code == 200
    proposal.refresh_from_db()
    assert proposal.vote_count == 1
    client.post(url, {"withdraw": "1"}, HTTP_HX_REQUEST="true")
    proposal.refresh_from_db()
    assert proposal.vote_count == 0


def test_the_second_vote_error_is_shown(learning: Learning, client) -> None:  # type: ignore[no-untyped-def]
    proposal = propose(learning)
    codesign.do_vote(proposal=proposal, actor=learning.world.erin)
    client.force_login(learning.world.erin)
    response = client.post(
        reverse("learning:proposal_vote", args=[proposal.pk]), HTTP_HX_REQUEST="true"
    )
    assert "sudah memberi suara" in response.content.decode()


def test_the_board_uses_constant_queries_and_exports_its_rows(
    learning: Learning,
    client,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    propose(learning)
    client.force_login(learning.world.erin)
    url = reverse("learning:proposal_board")
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    others = [
        factories.make_user(
            learning.world.instansi,
            f"p{i}",
            employee=factories.make_employee(learning.world.beta, f"Peg {i}"),
        )
        for i in range(8)
    ]
    for i, user in enumerate(others):
        p = propose(learning, actor=user, title=f"Topik {i}")
        codesign.do_comment(proposal=p, actor=learning.world.erin, text="Setuju")
    with django_assert_max_num_queries(12):
        response = client.get(url, {"q": "Topik"})
    assert response.content.decode().count("Topik ") >= 8
    export = client.get(reverse("learning:proposal_export"), {"q": "Topik"})
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(export.content)).get_sheet_by_index(0).to_python()
    )
    assert len(rows) == 9
    assert rows[1][5] == ""  # a pegawai's export does not name proposers


def test_a_comment_through_the_page(learning: Learning, client) -> None:  # type: ignore[no-untyped-def]
    proposal = propose(learning)
    client.force_login(learning.world.carol)
    response = client.post(
        reverse("learning:proposal_detail", args=[proposal.pk]), {"text": "Perlu praktik"}
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.comment_count == 1
    client.force_login(learning.world.mallory)
    assert client.get(reverse("learning:proposal_detail", args=[proposal.pk])).status_code == 404


def test_only_the_admin_changes_a_proposals_status(learning: Learning, client) -> None:  # type: ignore[no-untyped-def]
    proposal = propose(learning)
    url = reverse("learning:proposal_status", args=[proposal.pk])
    client.force_login(learning.world.dave)
    assert client.post(url, {"status": "ditinjau"}).status_code == 403
    client.force_login(learning.world.alice)
    client.post(url, {"status": "ditinjau"})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REVIEWED


def test_demand_by_opd_competency_and_jabatan(learning: Learning) -> None:
    w = learning.world
    proposal = propose(learning)
    codesign.do_vote(proposal=proposal, actor=w.erin)
    codesign.do_vote(proposal=proposal, actor=w.carol)
    demand = queries.demand(learning.campaign)
    assert (demand.n_proposals, demand.n_votes, demand.n_voters) == (1, 2, 2)
    by_opd = {r.label: (r.n_proposals, r.n_votes) for r in demand.by_opd}
    assert by_opd == {"Dinas Alfa": (1, 1), "Dinas Beta": (0, 1)}
    assert demand.by_competency[0].label == "Pelayanan Publik"
    assert {r.label for r in demand.by_jabatan} == {"Pelaksana", "Pengawas"}


def test_the_codesign_record_of_a_programme(
    learning: Learning, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    w = learning.world
    proposal = propose(learning)
    codesign.do_vote(proposal=proposal, actor=w.erin)
    codesign.do_comment(proposal=proposal, actor=w.carol, text="Setuju")
    codesign.do_comment(proposal=proposal, actor=w.alice, text="Akan dibahas")  # no employee
    programme = make_programme(w)
    codesign.do_adopt_proposals(programme=programme, proposals=[proposal], actor=w.alice)
    feedback_round = open_feedback_round(programme)
    codesign.do_give_feedback(feedback_round=feedback_round, actor=w.bob, text="Tambah simulasi")
    with pytest.raises(ValidationError, match="tidak sedang dibuka"):
        codesign.do_give_feedback(
            feedback_round=feedback_round,
            actor=w.bob,
            text="Terlambat",
            now=feedback_round.closes_at + timedelta(days=1),
        )
    with django_assert_max_num_queries(8):
        record = queries.codesign_record(programme)
    assert [p.title for p in record.proposals] == [proposal.title]
    assert (record.n_votes, record.n_comments, record.n_feedback) == (1, 2, 1)
    assert record.participant_ids == {w.dave_emp.pk, w.erin_emp.pk, w.carol_emp.pk, w.bob_emp.pk}
    assert record.rounds[0].n_people == 1
    assert dict(record.participants_by_opd) == {"Dinas Alfa": 3, "Dinas Beta": 1}
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ADOPTED
    programme.refresh_from_db()
    assert programme.status == "published"


@pytest.mark.parametrize(
    "next_page", ["-1", "home", "sepuluh", "//evil.example/", "https://evil.example/"]
)
def test_a_vote_returns_to_a_page_of_this_site_only(learning: Learning, client, next_page) -> None:  # type: ignore[no-untyped-def]
    """`next` is a path on this site, or the proposal's page: a bare word is not a view name
    to reverse (it was a server error) and another site is not a place to send a voter."""
    proposal = propose(learning)
    client.force_login(learning.world.erin)
    url = reverse("learning:proposal_vote", args=[proposal.pk])
    response = client.post(url, {"next": next_page})
    assert response.status_code == 302 and response["Location"] == proposal.get_absolute_url()
    response = client.post(url, {"withdraw": "1", "next": "/kebutuhan/usulan/"})
    assert response["Location"] == "/kebutuhan/usulan/"
