"""The accepted-answer fast path of the public survey agrees with the full form on any input."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from hypothesis import given, settings
from hypothesis import strategies as st

from kompeten.service.forms import HONEYPOT, SurveyForm, clean_survey_fast
from kompeten.service.models import AgeGroup, Occupation, RespondentEducation, Service, Sex
from kompeten.standards.ikm import SKM_2004, SKM_2017

SERVICES = [Service(pk=7, name="KTP-el", code="ktp"), Service(pk=9, name="KK", code="kk")]
# Edge values for any field: blanks, out-of-range and malformed scores, unknown ids, a NUL,
# a ticket and a suggestion one character over their limits and exactly at them.
EDGES = ["", " ", "0", "5", "1.0", " 2", "x", "\x00", "8", "10", "l", "A-1", "  B-22  "]
EDGES += ["T" * 40, "X" * 41, "s" * 2000, "s" * 2001, " " + "s" * 2000, "a\x00b", "Antrian lama"]


def _valid(version: Any) -> dict[str, str]:
    post = {f"u_{u.slug}": str(1 + i % 4) for i, u in enumerate(version.unsur)}
    post.update(
        {
            "service": "9",
            "sex": Sex.values[1],
            "age_group": AgeGroup.values[2],
            "education": RespondentEducation.values[3],
            "occupation": Occupation.values[1],
            "ticket": "A-7",
            "suggestion": "Antrian lama",
            HONEYPOT: "",
        }
    )
    return post


@settings(max_examples=500, deadline=None)
@given(
    version=st.sampled_from([SKM_2017, SKM_2004]),
    services=st.sampled_from([SERVICES, []]),
    fixed=st.booleans(),
    ticket_mode=st.sampled_from(["optional", "required", "off"]),
    mutations=st.lists(
        st.tuples(
            st.integers(0, 30), st.sampled_from(["drop", "set", "twice"]), st.sampled_from(EDGES)
        ),
        max_size=2,
    ),
)
def test_the_fast_path_accepts_exactly_what_the_form_accepts(
    version, services, fixed, ticket_mode, mutations
) -> None:  # type: ignore[no-untyped-def]
    # A valid answer with up to two fields dropped, replaced or sent twice (the last wins).
    post = QueryDict(mutable=True)
    for key, value in _valid(version).items():
        post[key] = value
    for index, action, value in mutations:
        key = sorted(post.keys())[index % len(post)]
        if action == "drop":
            del post[key]
        elif action == "set":
            post[key] = value
        else:
            post.setlist(key, [post[key], value])
    kwargs: dict[str, Any] = {
        "version": version,
        "services": services,
        "fixed_service": services[0] if fixed and services else None,
        "ticket_mode": ticket_mode,
    }
    _agree(post, kwargs)


def _agree(post: QueryDict, kwargs: dict[str, Any]) -> None:
    form = SurveyForm(post, **kwargs)
    fast = clean_survey_fast(post, **kwargs)
    if form.is_valid():
        assert fast == form.cleaned_data
    else:
        assert fast is None, (dict(post), form.errors)


def test_every_single_field_edge_agrees_with_the_form() -> None:
    """Exhaustive over one changed field: each field × drop/replace/send twice × each edge
    value, under each ticket mode and with and without a choice of service."""
    cases = 0
    version = SKM_2017  # (the 2004 set is drawn by the property test above)
    base = _valid(version)
    keys = sorted(base)
    for ticket_mode, services, fixed in (
        ("optional", SERVICES, False),
        ("required", SERVICES, True),
        ("off", [], False),
        ("required", [], False),
    ):
        kwargs: dict[str, Any] = {
            "version": version,
            "services": services,
            "fixed_service": services[0] if fixed and services else None,
            "ticket_mode": ticket_mode,
        }
        for key in keys:
            for action, value in [("drop", "")] + [(a, v) for a in ("set", "twice") for v in EDGES]:
                post = QueryDict(mutable=True)
                for k, v in base.items():
                    post[k] = v
                if action == "drop":
                    del post[key]
                elif action == "set":
                    post[key] = value
                else:
                    post.setlist(key, [value, base[key]] if value == "x" else [base[key], value])
                _agree(post, kwargs)
                cases += 1
    assert cases > 2_500


def test_a_complete_answer_is_taken_by_the_fast_path() -> None:
    post = QueryDict(mutable=True)
    for u in SKM_2017.unsur:
        post[f"u_{u.slug}"] = "4"
    post.update({"sex": "P", "age_group": "30-39", "education": "SMA", "occupation": "swasta"})
    cleaned = clean_survey_fast(
        post, version=SKM_2017, services=SERVICES, fixed_service=None, ticket_mode="optional"
    )
    assert cleaned is not None
    assert cleaned["u_persyaratan"] == 4 and cleaned["service"] == "" and cleaned["ticket"] == ""
