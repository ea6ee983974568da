"""The authorization matrix with real objects: every object URL is probed with an object that
exists and belongs to another instansi (a whole second city: units, employees, a programme with
its batch, sessions, enrolments, instruments and responses, a service unit, an AKP campaign and
a proposal), and the employee and unit URLs with objects of another unit of the same instansi.

tests/security/test_authorization_matrix.py proves that each role is refused before any lookup
(placeholders); this file proves that an existing object of someone else is refused too, for
every persona, by every method the matrix declares. A 200 here is a cross-tenant leak.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from kompeten.core.models import Role
from kompeten.evaluation.actions.responses import ResponseInput, do_submit_responses
from kompeten.evaluation.models import FollowUp, Response
from kompeten.learning.actions import akp, codesign, competencies
from kompeten.learning.models import Competency, Session
from kompeten.participation.models import Enrolment
from kompeten.people.models import UnitKind
from tests import factories
from tests.conftest import World
from tests.evaluation import builders
from tests.learning.conftest import draft_campaign, open_feedback_round
from tests.security.matrix import MATRIX
from tests.security.personas import ANON, ROLES, clients
from tests.security.walk import all_urls, concrete_path, is_denied, request_as
from tests.service.helpers import make_service_unit

Objects = dict[str, Any]


def _second_city(world: World) -> World:
    """The same shape as `world`, in the other instansi (mallory's)."""
    other = world.mallory.instansi
    root = factories.make_unit(other, "Pemerintah Kabupaten Lain", kind=UnitKind.OTHER, code="K")
    alfa = factories.make_unit(other, "Dinas Lain Alfa", parent=root, code="L-ALFA")
    layanan = factories.make_unit(
        other, "Bidang Lain", parent=alfa, kind=UnitKind.BAGIAN, code="L-LAY"
    )
    beta = factories.make_unit(other, "Dinas Lain Beta", parent=root, code="L-BETA")
    bob_emp = factories.make_employee(alfa, "Budi Lain")
    carol_emp = factories.make_employee(layanan, "Citra Lain", sex="P", jabatan_kind="pengawas")
    dave_emp = factories.make_employee(layanan, "Dedi Lain", supervisor=carol_emp)
    erin_emp = factories.make_employee(beta, "Eka Lain", sex="P")
    return World(
        instansi=other,
        alfa=alfa,
        layanan=layanan,
        beta=beta,
        carol_emp=carol_emp,
        dave_emp=dave_emp,
        erin_emp=erin_emp,
        bob_emp=bob_emp,
        alice=world.mallory,
        bob=factories.make_user(other, "budi", Role.PENGELOLA, employee=bob_emp, managed_unit=alfa),
        carol=factories.make_user(other, "citra", Role.PEGAWAI, employee=carol_emp),
        dave=factories.make_user(other, "dedi", Role.PEGAWAI, employee=dave_emp),
        erin=factories.make_user(other, "eka", Role.PEGAWAI, employee=erin_emp),
        pia=factories.make_user(other, "pimpinan-lain", Role.PIMPINAN),
        mallory=world.mallory,
    )


@pytest.fixture
def foreign(world) -> Objects:
    return city_objects(_second_city(world))


def city_objects(w2: World) -> Objects:
    """An object of every kind FOREIGN's arguments name, in the instansi of ``w2`` (also used,
    in the world's own instansi, by the form robustness sweep)."""
    s = builders.build(w2, n=2)
    pre = s.instruments["pretest"]
    do_submit_responses(
        pre,
        entries=[ResponseInput(w2.dave_emp.pk, w2.dave_emp.pk, builders.test_answers(pre, 5))],
    )
    campaign = draft_campaign(w2, "AKP Lain")
    competency = Competency.objects.filter(instansi=w2.instansi).first()
    competencies.do_set_required_level(
        instansi=w2.instansi,
        jabatan_kind="pelaksana",
        jabatan_name="",
        competency=competency,
        level=3,
    )
    akp.do_open_campaign(campaign, actor=w2.alice)
    proposal = codesign.do_create_proposal(
        campaign=campaign,
        actor=w2.dave,
        title="Usulan kota lain",
        problem="Masalah di kota lain.",
        learning_type="pelatihan",
    )
    feedback_round = open_feedback_round(s.programme, outline="Draf")
    return {
        "w2": w2,
        "scenario": s,
        "programme": s.programme,
        "batch": s.batch,
        "module": s.module,
        "trainer": s.trainer,
        "instrument": pre,
        "session": Session.objects.filter(batch=s.batch).order_by("pk").first(),
        "enrolment": Enrolment.objects.get(batch=s.batch, employee=w2.dave_emp),
        "follow_up": FollowUp.objects.filter(subject=w2.dave_emp).order_by("pk").first(),
        "response": Response.objects.get(subject=w2.dave_emp, kind="pretest"),
        "service_unit": make_service_unit(w2.alfa, code="loket-lain"),
        "campaign": campaign,
        "proposal": proposal,
        "feedback_round": feedback_round,
        "competency": competency,
        "when": date.today(),
    }


def _pk(key: str) -> Callable[[Objects], dict[str, Any]]:
    return lambda o: {"pk": o[key].pk}


# URL name -> its arguments from the other instansi's objects.
FOREIGN: dict[str, Callable[[Objects], dict[str, Any]]] = {
    "people:employee_detail": lambda o: {"pk": o["w2"].dave_emp.pk},
    **{
        f"people:unit_{v}": lambda o: {"pk": o["w2"].layanan.pk}
        for v in ("detail", "edit", "move", "close", "reopen")
    },
    **{
        f"service:{v}": _pk("service_unit")
        for v in (
            "ikm_unit",
            "poster",
            "manage_unit",
            "manage_service_create",
            "manage_questionnaire",
            "manage_tickets",
        )
    },
    **{
        f"learning:{v}": _pk("campaign")
        for v in (
            "campaign_detail",
            "campaign_open",
            "campaign_close",
            "campaign_export",
            "self_assessment",
            "report_list",
        )
    },
    "learning:assess_report": lambda o: {
        "pk": o["campaign"].pk,
        "employee_pk": o["w2"].dave_emp.pk,
    },
    **{
        f"learning:{v}": _pk("proposal")
        for v in ("proposal_detail", "proposal_vote", "proposal_status")
    },
    **{
        f"learning:{v}": _pk("programme")
        for v in (
            "programme_detail",
            "programme_edit",
            "programme_objectives",
            "module_add",
            "cost_add",
            "programme_competency_add",
            "programme_status",
            "adopt_proposals",
            "feedback_round_open",
            "batch_create",
        )
    },
    "learning:feedback_give": _pk("feedback_round"),
    **{f"learning:{v}": _pk("module") for v in ("module_delete", "scenario_edit", "rubric_edit")},
    **{f"learning:{v}": _pk("batch") for v in ("batch_detail", "batch_status")},
    "learning:trainer_detail": _pk("trainer"),
    "learning:session_delete": _pk("session"),
    **{f"participation:{v}": _pk("enrolment") for v in ("accept", "decline", "enrolment_detail")},
    **{
        f"participation:{v}": _pk("batch")
        for v in ("batch_participants", "participant_search", "participant_add")
    },
    **{
        f"participation:{v}": _pk("session")
        for v in ("qr_screen", "qr_svg", "check_in", "roll_call")
    },
    **{
        f"evaluation:{v}": _pk("programme")
        for v in ("programme", "instruments", "add_benefit", "add_estimate")
    },
    "evaluation:instrument_detail": _pk("instrument"),
    "evaluation:answer": _pk("follow_up"),
    "evaluation:mark": _pk("response"),
    "evaluation:simulation": lambda o: {"batch_pk": o["batch"].pk, "module_pk": o["module"].pk},
    "reports:programme_report": _pk("programme"),
    "reports:programme_by_code": lambda o: {"code": o["programme"].code},
    "reports:programme_download": lambda o: {"pk": o["programme"].pk, "fmt": "xlsx"},
    "reports:ip_opd": lambda o: {"pk": o["w2"].alfa.pk},
    "reports:ip_employee": lambda o: {"pk": o["w2"].dave_emp.pk},
    "records:employee": lambda o: {"pk": o["w2"].dave_emp.pk},
    "scheduling:pick_batch": _pk("enrolment"),  # the URL takes the enrolment to move
    "api:get_employee": lambda o: {"ref": o["w2"].dave_emp.nip},
    "api:update_employee": lambda o: {"ref": o["w2"].dave_emp.pk},
    **{
        f"api:{v}": lambda o: {"unit_id": o["w2"].layanan.pk}
        for v in ("get_unit", "update_unit", "close_unit", "reopen_unit")
    },
    **{
        f"api:{v}": lambda o: {"programme_id": o["programme"].pk}
        for v in ("get_programme", "set_programme_status", "programme_evaluation")
    },
    **{
        f"api:{v}": lambda o: {"batch_id": o["batch"].pk}
        for v in ("get_batch", "set_batch_status", "add_sessions")
    },
    "api:get_session": lambda o: {"session_id": o["session"].pk},
    "api:get_enrolment": lambda o: {"enrolment_id": o["enrolment"].pk},
    "api:get_response": lambda o: {"response_id": o["response"].pk},
}

# Object URLs not probed here yet, each with the reason (keep this list short and explained).
NOT_PROBED = {
    # public by design: anyone with the code or number may open them
    "survey",
    "survey_thanks",
    "survey_service",
    "survey_kiosk",
    "survey_kiosk_thanks",
    "certificate_verify",
    "scheduling:ical_feed",
    "account_link",
    "password_reset_confirm",
    # per-user tokens of the import engine (bound to the uploader; tests/core/importing)
    "imports:upload",
    "imports:mapping",
    "imports:next_sheet",
    "imports:preview",
    "imports:problems",
    "imports:commit",
    "imports:cancel",
    "people:import_mapping",
    "people:import_preview",
    "people:import_confirm",
    "people:import_error_report",
    "people:import_cancel",
    "people:employee_export",
}


# Writes whose payload is checked before the object is looked up: probed with a valid body,
# so that a refusal comes from the object's scope, not from an empty payload.
BODIES: dict[str, Callable[[Objects], dict[str, Any]]] = {
    "api:set_programme_status": lambda o: {"status": "archived"},
    "api:set_batch_status": lambda o: {"status": "cancelled"},
    "api:add_sessions": lambda o: {
        "sessions": [{"start": "2026-04-01T08:00:00+07:00", "end": "2026-04-01T12:00:00+07:00"}]
    },
    "api:update_employee": lambda o: {
        "nip": o["w2"].dave_emp.nip,
        "name": "Diubah Orang Luar",
        "sex": "L",
        "birth_date": str(o["w2"].dave_emp.birth_date),
        "status": "PNS",
        "jabatan_kind": "pelaksana",
        "jabatan_name": "Pengadministrasi Umum",
        "education": "S-1",
        "unit_id": o["w2"].layanan.pk,
        "golongan": "III/b",
    },
}


def _request_with_body(client: Client, method: str, path: str, body: dict[str, Any]) -> Any:
    with transaction.atomic():
        response = client.generic(method, path, json.dumps(body), content_type="application/json")
        transaction.set_rollback(True)
    return response


def _object_urls() -> list[Any]:
    return [u for u in all_urls() if "<" in u.route and not u.name.startswith("admin:")]


def test_every_probed_name_exists_and_is_in_the_matrix():
    names = {u.name for u in all_urls()}
    assert not sorted(set(FOREIGN) - names)
    assert not sorted(set(FOREIGN) - set(MATRIX))


def test_every_persona_is_refused_another_instansis_existing_objects(world, foreign):
    personas = clients(world)
    problems: list[str] = []
    probed = 0
    for url in _object_urls():
        if url.name not in FOREIGN:
            continue
        rule = MATRIX[url.name]
        path = concrete_path(url.route, FOREIGN[url.name](foreign))
        body = BODIES.get(url.name)
        for role in ROLES:
            if body is None:
                response = request_as(personas[role], rule.method, path)
            else:
                response = _request_with_body(personas[role], rule.method, path, body(foreign))
            probed += 1
            if response.status_code >= 500 or not is_denied(response):
                problems.append(
                    f"{url.name} {rule.method} {path} as {role}: {response.status_code}"
                )
    assert probed >= 80 * len(ROLES) // 2
    assert not problems, "Another instansi's objects reached:\n" + "\n".join(problems)


# Objects of another unit of the same instansi (erin in Dinas Beta): refused to the pengelola of
# Dinas Alfa, to carol (dave's atasan) and to dave; the admin and pimpinan read them.
OTHER_UNIT: dict[str, Callable[[World], dict[str, Any]]] = {
    "people:employee_detail": lambda w: {"pk": w.erin_emp.pk},
    "people:unit_detail": lambda w: {"pk": w.beta.pk},
    "people:unit_edit": lambda w: {"pk": w.beta.pk},
    "records:employee": lambda w: {"pk": w.erin_emp.pk},
    "reports:ip_employee": lambda w: {"pk": w.erin_emp.pk},
    "reports:ip_opd": lambda w: {"pk": w.beta.pk},
    "api:get_employee": lambda w: {"ref": w.erin_emp.nip},
    "api:get_unit": lambda w: {"unit_id": w.beta.pk},
}


def test_another_units_objects_are_refused_to_those_outside_it(world):
    personas = clients(world)
    routes = {u.name: u.route for u in all_urls()}
    problems = []
    for name, kwargs in OTHER_UNIT.items():
        rule = MATRIX[name]
        path = concrete_path(routes[name], kwargs(world))
        for role in ("pengelola", "atasan", "pegawai", ANON):
            response = request_as(personas[role], rule.method, path)
            if not is_denied(response):
                problems.append(f"{name} {path} as {role}: {response.status_code}")
        if "admin" in rule.allowed:
            response = request_as(personas["admin"], rule.method, path)
            if is_denied(response):
                problems.append(f"{name} {path}: the admin is refused (the probe proves nothing)")
    assert not problems, "\n".join(problems)


def test_the_object_urls_left_unprobed_are_only_the_listed_ones():
    unprobed = {u.name for u in _object_urls()} - set(FOREIGN) - NOT_PROBED
    # listed here with the reason they are not probed yet; a new object URL must join FOREIGN
    assert unprobed <= KNOWN_GAPS, sorted(unprobed - KNOWN_GAPS)


# Object URLs whose foreign object this file does not build yet (duties, planner runs, feeds,
# complaints, trainers' reviews, reports by cycle, API tokens, kiosks): still covered before
# lookup by test_authorization_matrix.py.
KNOWN_GAPS = {
    "account_issue_link",
    "imports:pending_edit",
    "imports:result",
    "service:manage_kiosks",
    "service:manage_kiosk_revoke",
    "service:complaint_detail",
    "service:complaint_flag",
    "learning:competency_detail",
    "learning:cost_delete",
    "scheduling:duty_delete",
    "scheduling:rule_deactivate",
    "scheduling:peak_delete",
    "scheduling:plan_detail",
    "scheduling:plan_preview",
    "scheduling:plan_apply",
    "scheduling:plan_replan",
    "scheduling:feed_revoke",
    "participation:batch_edit",
    "participation:attendance_count",
    "participation:review",
    "participation:external_file",
    "participation:certificate_pdf",
    "reports:programme_evidence",
    "reports:cycle",
    "reports:cycle_download",
    "reports:cycle_evidence",
    "reports:recommendation",
    "reports:dashboard_evidence",
    "api_tokens:revoke",
}


# Personal pages: their owner in the other instansi is the employee (dedi) or the atasan (citra),
# not the admin.
PERSONAL = {
    "learning:self_assessment": "dave",
    "learning:report_list": "carol",
    "learning:assess_report": "carol",
    "scheduling:pick_batch": "dave",
    "participation:accept": "dave",
    "participation:decline": "dave",
    "evaluation:answer": "dave",
}


def test_the_owner_admin_reaches_the_same_objects(world, foreign):
    """Guard: the probes use objects their own instansi's admin may open, so a refusal above
    comes from the tenant boundary, not from a broken probe."""
    problems = []
    for url in _object_urls():
        if url.name not in FOREIGN or "admin" not in MATRIX[url.name].allowed:
            continue
        rule = MATRIX[url.name]
        owner = Client()
        owner.force_login(getattr(foreign["w2"], PERSONAL.get(url.name, "alice")))
        path = concrete_path(url.route, FOREIGN[url.name](foreign))
        body = BODIES.get(url.name)
        if body is None:
            response = request_as(owner, rule.method, path)
        else:
            response = _request_with_body(owner, rule.method, path, body(foreign))
        if response.status_code >= 500 or response.status_code in (401, 403, 404):
            problems.append(f"{url.name} {rule.method} {path}: {response.status_code}")
    assert not problems, "The owner is refused its own objects:\n" + "\n".join(problems)
