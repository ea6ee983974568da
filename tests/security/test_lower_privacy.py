"""The data-subject export of an atasan holds the levels they gave, never their reports'
self-assessments (docs/privacy.md)."""

from __future__ import annotations

import json

from kompeten.learning.actions import akp
from kompeten.learning.models import AkpEntry
from kompeten.people.privacy import export_personal_data, export_personal_data_json
from tests.learning.conftest import learning  # noqa: F401 - the fixture


def _assess(learning):  # noqa: F811
    w = learning.world
    akp.do_submit_self_assessment(
        campaign=learning.campaign, employee=w.dave_emp, levels={learning.pp.pk: 2}, actor=w.dave
    )
    akp.do_submit_atasan_assessment(
        campaign=learning.campaign, employee=w.dave_emp, levels={learning.pp.pk: 4}, actor=w.carol
    )


def test_an_atasans_export_holds_the_ratings_they_gave_without_the_self_assessment(learning):  # noqa: F811
    _assess(learning)
    w = learning.world
    data = export_personal_data(w.carol_emp.nip)
    given = [
        r for r in data["related"]["learning.akpentry.atasan"] if r["employee_id"] == w.dave_emp.pk
    ]
    assert [r["atasan_level"] for r in given] == [4]
    assert all("self_level" not in r and "self_at" not in r for r in given)
    assert '"self_level": 2' not in export_personal_data_json(w.carol_emp.nip)


def test_the_employees_own_export_keeps_their_self_assessment(learning):  # noqa: F811
    _assess(learning)
    w = learning.world
    data = export_personal_data(w.dave_emp.nip)
    own = [
        r
        for r in data["related"]["learning.akpentry.employee"]
        if r["competency_id"] == learning.pp.pk
    ]
    assert [(r["self_level"], r["atasan_level"]) for r in own] == [(2, 4)]
    assert AkpEntry.objects.filter(employee=w.dave_emp, self_level=2).exists()
    json.loads(export_personal_data_json(w.dave_emp.nip))
