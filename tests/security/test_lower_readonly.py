"""Pimpinan reads and writes nothing; the proposal vote redirects only inside the site."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kompeten.core.models import Role
from kompeten.learning.actions import codesign
from kompeten.learning.models import FeedbackRound, Proposal, ProposalComment, ProposalVote
from tests import factories
from tests.learning.conftest import Learning, learning, open_feedback_round  # noqa: F401 - the fixture
from tests.learning.test_programmes import make_programme


@pytest.fixture
def sekda(learning):  # noqa: F811
    """A pimpinan who is also an ASN (the sekda has an employee record)."""
    w = learning.world
    emp = factories.make_employee(w.alfa, "Sekda Kota")
    return factories.make_user(w.instansi, "sekda", Role.PIMPINAN, employee=emp)


def _proposal(learning: Learning) -> Proposal:  # noqa: F811
    return codesign.do_create_proposal(
        campaign=learning.campaign,
        actor=learning.world.dave,
        title="Menghadapi warga marah",
        problem="Warga marah karena KTP-el belum jadi.",
        learning_type="pelatihan",
        competency=learning.pp,
    )


def test_pimpinan_cannot_vote_comment_or_propose_on_the_pages(learning, sekda, client):  # noqa: F811
    proposal = _proposal(learning)
    client.force_login(sekda)
    vote = client.post(reverse("learning:proposal_vote", args=[proposal.pk]))
    comment = client.post(
        reverse("learning:proposal_detail", args=[proposal.pk]), {"text": "Setuju"}
    )
    create = client.post(
        reverse("learning:proposal_create"),
        {"title": "T", "problem": "P", "learning_type": "pelatihan"},
    )
    assert (vote.status_code, comment.status_code, create.status_code) == (403, 403, 403)
    assert not ProposalVote.objects.exists()
    assert not ProposalComment.objects.exists()
    assert Proposal.objects.count() == 1
    # reading stays allowed, without the forms that would be refused
    page = client.get(reverse("learning:proposal_detail", args=[proposal.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Kirim komentar" not in html and "Dukung" not in html
    client.force_login(learning.world.erin)
    html = client.get(reverse("learning:proposal_detail", args=[proposal.pk])).content.decode()
    assert "Kirim komentar" in html and "Dukung" in html


def test_pimpinan_cannot_give_feedback_on_a_draft_programme(learning, sekda, client):  # noqa: F811
    programme = make_programme(learning.world)
    feedback_round = open_feedback_round(programme)
    client.force_login(sekda)
    response = client.post(
        reverse("learning:feedback_give", args=[feedback_round.pk]), {"text": "Tambah simulasi"}
    )
    assert response.status_code == 403
    assert not FeedbackRound.objects.get(pk=feedback_round.pk).feedback.exists()


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "http://testserver.evil/"]
)
def test_the_vote_does_not_redirect_to_another_site(learning, client, target):  # noqa: F811
    proposal = _proposal(learning)
    client.force_login(learning.world.erin)
    response = client.post(reverse("learning:proposal_vote", args=[proposal.pk]), {"next": target})
    assert response.status_code == 302
    assert response["Location"] == proposal.get_absolute_url()
    assert ProposalVote.objects.filter(proposal=proposal).count() == 1


def test_the_vote_returns_to_a_page_of_the_site(learning, client):  # noqa: F811
    proposal = _proposal(learning)
    client.force_login(learning.world.erin)
    board = reverse("learning:proposal_board") + "?sort=votes"
    response = client.post(reverse("learning:proposal_vote", args=[proposal.pk]), {"next": board})
    assert response["Location"] == board
