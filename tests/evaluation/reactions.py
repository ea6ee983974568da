"""Reaction questionnaires answered in a built scenario (see `builders.build`)."""

from __future__ import annotations

from collections.abc import Sequence

from kompeten.evaluation.actions.responses import ResponseInput, do_submit_responses
from kompeten.people.models import Employee
from tests.evaluation import builders


def answer_reaction(s: builders.Scenario, participants: Sequence[Employee] | None = None) -> None:
    """Each participant (all of the scenario's by default) rates every reaction item 4,
    the trainer included."""
    r = s.instruments["reaksi"]
    do_submit_responses(
        r,
        entries=[
            ResponseInput(e.pk, e.pk, builders.likert_answers(r, 4, [s.trainer.pk]))
            for e in (s.participants if participants is None else participants)
        ],
    )
