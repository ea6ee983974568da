"""THE authorization matrix: every URL of the project → the roles allowed to use it.

`tests/security/test_authorization_matrix.py` walks every URL pattern (django's resolver) and
requests it as each persona (anonymous, admin, pengelola, fasilitator, pimpinan, atasan, pegawai),
asserting allow or deny from this table. A URL missing here FAILS the test: declare every new URL.

- allowed: the roles that may use the URL; every other role must be refused (401, 403, 404 or a
  redirect to the login page).
- method: the method probed (POST-only views are probed with an empty POST, inside a rolled-back
  transaction).
- kwargs: URL arguments from the `world` personas (tests/conftest.py). Without them, placeholders
  are used (999999, "x"); then an allowed role may also get 404 (the object does not exist), so
  the entry only proves that the other roles are refused before the object is looked up.
- API endpoints are probed with the browser session of each persona (tokens are tested in
  tests/api/): admins may write, every logged-in role may read within the scoping helper.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.security.personas import (
    ADMIN,
    ANON,
    ATASAN,
    FASILITATOR,
    PEGAWAI,
    PENGELOLA,
    PIMPINAN,
    ROLES,
)

EVERYONE = frozenset(ROLES)
LOGGED_IN = EVERYONE - {ANON}
ADMIN_ONLY = frozenset({ADMIN})
NOBODY: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Access:
    allowed: frozenset[str] | set[str]
    method: str = "GET"
    kwargs: Callable[[Any], dict[str, Any]] | None = field(default=None, compare=False)


# Whole namespaces declared at once. The Django admin (/django-admin/) is for staff accounts
# only; no Kompeten role is staff, so every persona is sent to the admin's login page.
NAMESPACES: dict[str, Access] = {
    "admin": Access(NOBODY),
}
# ... except its own login and logout pages, which anyone may open.
ADMIN_SITE_PUBLIC = {"admin:login", "admin:logout"}

MATRIX: dict[str, Access] = {
    **{name: Access(EVERYONE) for name in ADMIN_SITE_PUBLIC},
    "home": Access(LOGGED_IN),
    # The first run exists only while no instansi does: with the personas' instansi, a 404.
    "firstrun": Access(NOBODY),
    "firstrun_next": Access(ADMIN_ONLY),
    "login": Access(EVERYONE),
    "logout": Access(NOBODY, method="POST"),
    "set_language": Access(EVERYONE),
    "health": Access(EVERYONE),
    "audit_log": Access(ADMIN_ONLY),
    # Accounts: everyone changes their own password; reset pages and one-time links are public
    # (an unknown link is a 404 for everyone); the account list and links are the admin's.
    "password_change": Access(LOGGED_IN),
    "password_reset": Access(EVERYONE),
    "password_reset_done": Access(EVERYONE),
    "password_reset_confirm": Access(EVERYONE),
    "password_reset_complete": Access(EVERYONE),
    "account_link": Access(EVERYONE),
    "account_list": Access(ADMIN_ONLY),
    "account_activation": Access(ADMIN_ONLY, method="POST"),
    "account_issue_link": Access(ADMIN_ONLY, method="POST", kwargs=lambda w: {"pk": w.dave.pk}),
    "people:employee_list": Access(LOGGED_IN),
    "people:employee_export": Access(LOGGED_IN, kwargs=lambda w: {"fmt": "csv"}),
    # dave"s record: himself, his atasan carol, bob (pengelola of Dinas Alfa), admin, pimpinan.
    "people:employee_detail": Access(
        {ADMIN, PENGELOLA, PIMPINAN, ATASAN, PEGAWAI}, kwargs=lambda w: {"pk": w.dave_emp.pk}
    ),
    # The employee import: admin (whole instansi) and pengelola OPD (their subtree only).
    "people:import_employees": Access({ADMIN, PENGELOLA}),
    "people:import_mapping": Access({ADMIN, PENGELOLA}),
    "people:import_preview": Access({ADMIN, PENGELOLA}),
    "people:import_confirm": Access({ADMIN, PENGELOLA}, method="POST"),
    "people:import_error_report": Access({ADMIN, PENGELOLA}),
    "people:import_cancel": Access({ADMIN, PENGELOLA}, method="POST"),
    # The one import engine (/impor/): the index and the pending rows for admin and pengelola
    # (each sees the imports its declarations allow); the steps of one import per declaration
    # (complaints: admin only). Tokens and runs are placeholders here (404 for the allowed).
    "imports:index": Access({ADMIN, PENGELOLA}),
    "imports:pending": Access({ADMIN, PENGELOLA}),
    "imports:pending_retry": Access({ADMIN, PENGELOLA}, method="POST"),
    "imports:pending_edit": Access({ADMIN, PENGELOLA}),
    "imports:result": Access({ADMIN}),
    "imports:upload": Access(ADMIN_ONLY, kwargs=lambda w: {"key": "complaints"}),
    "imports:mapping": Access(ADMIN_ONLY),
    "imports:next_sheet": Access(ADMIN_ONLY),
    "imports:preview": Access(ADMIN_ONLY),
    "imports:problems": Access(ADMIN_ONLY),
    "imports:commit": Access(ADMIN_ONLY, method="POST"),
    "imports:cancel": Access(ADMIN_ONLY, method="POST"),
    "people:unit_tree": Access(LOGGED_IN),
    "people:unit_detail": Access(
        {ADMIN, PENGELOLA, PIMPINAN, ATASAN, PEGAWAI}, kwargs=lambda w: {"pk": w.layanan.pk}
    ),
    # Changing the OPD tree: admin (whole instansi), pengelola OPD inside its subtree (Bidang
    # Layanan is inside bob's Dinas Alfa); those who only see the unit get 403.
    "people:unit_create": Access({ADMIN, PENGELOLA}),
    "people:unit_edit": Access({ADMIN, PENGELOLA}, kwargs=lambda w: {"pk": w.layanan.pk}),
    "people:unit_move": Access({ADMIN, PENGELOLA}, kwargs=lambda w: {"pk": w.layanan.pk}),
    "people:unit_close": Access(
        {ADMIN, PENGELOLA}, method="POST", kwargs=lambda w: {"pk": w.layanan.pk}
    ),
    "people:unit_reopen": Access(
        {ADMIN, PENGELOLA}, method="POST", kwargs=lambda w: {"pk": w.layanan.pk}
    ),
    "service:home": Access({ADMIN, PENGELOLA, PIMPINAN}),
    "service:ikm_unit": Access({ADMIN, PENGELOLA, PIMPINAN}),
    "service:poster": Access({ADMIN, PENGELOLA, PIMPINAN}),
    "service:upload": Access({ADMIN, PENGELOLA}),
    "service:complaints": Access({ADMIN, PENGELOLA, PIMPINAN}),
    "service:complaint_list": Access({ADMIN, PENGELOLA, PIMPINAN}),
    "service:complaint_create": Access({ADMIN, PENGELOLA}),
    "service:complaint_detail": Access({ADMIN, PENGELOLA, PIMPINAN}),
    "service:complaint_flag": Access({ADMIN, PENGELOLA}, method="POST"),
    "service:manage_list": Access({ADMIN, PENGELOLA}),
    "service:manage_create": Access({ADMIN, PENGELOLA}),
    "service:manage_unit": Access({ADMIN, PENGELOLA}),
    "service:manage_service_create": Access({ADMIN, PENGELOLA}, method="POST"),
    "service:manage_questionnaire": Access({ADMIN, PENGELOLA}),
    "service:manage_tickets": Access({ADMIN, PENGELOLA}),
    "service:manage_kiosks": Access({ADMIN, PENGELOLA}),
    "service:manage_kiosk_revoke": Access({ADMIN, PENGELOLA}, method="POST"),
    "survey": Access(EVERYONE),
    "survey_thanks": Access(EVERYONE),
    "survey_service": Access(EVERYONE),
    "survey_kiosk": Access(EVERYONE),
    "survey_kiosk_thanks": Access(EVERYONE),
    "survey_kiosk_enrol": Access(EVERYONE),
    "learning:campaign_create": Access(ADMIN_ONLY),
    "learning:campaign_detail": Access({ADMIN, PENGELOLA, PIMPINAN}),
    "learning:campaign_open": Access(ADMIN_ONLY, method="POST"),
    "learning:campaign_close": Access(ADMIN_ONLY, method="POST"),
    "learning:campaign_export": Access({ADMIN, PENGELOLA, PIMPINAN}),
    "learning:self_assessment": Access(LOGGED_IN),
    "learning:report_list": Access(LOGGED_IN),
    "learning:assess_report": Access(LOGGED_IN),
    "learning:competency_list": Access(LOGGED_IN),
    "learning:competency_create": Access(ADMIN_ONLY),
    "learning:competency_detail": Access(LOGGED_IN),
    "learning:required_levels": Access(LOGGED_IN),
    "learning:required_levels_import": Access(ADMIN_ONLY),
    "learning:required_levels_export": Access(LOGGED_IN),
    "learning:proposal_board": Access(LOGGED_IN),
    "learning:proposal_export": Access(LOGGED_IN),
    "learning:proposal_create": Access({PENGELOLA, ATASAN, PEGAWAI}),
    "learning:proposal_detail": Access(LOGGED_IN),
    "learning:proposal_vote": Access(LOGGED_IN - {PIMPINAN}, method="POST"),  # pimpinan reads only
    "learning:proposal_status": Access(ADMIN_ONLY, method="POST"),
    "learning:catalogue_export": Access(LOGGED_IN),
    "learning:programme_create": Access(ADMIN_ONLY),
    "learning:programme_detail": Access(LOGGED_IN),
    "learning:programme_edit": Access(ADMIN_ONLY),
    "learning:programme_objectives": Access(ADMIN_ONLY),
    "learning:module_add": Access(ADMIN_ONLY, method="POST"),
    "learning:cost_add": Access(ADMIN_ONLY, method="POST"),
    "learning:programme_competency_add": Access(ADMIN_ONLY, method="POST"),
    "learning:programme_status": Access(ADMIN_ONLY, method="POST"),
    "learning:adopt_proposals": Access(ADMIN_ONLY, method="POST"),
    "learning:feedback_round_open": Access(ADMIN_ONLY, method="POST"),
    "learning:feedback_give": Access(LOGGED_IN - {PIMPINAN}, method="POST"),
    "learning:module_delete": Access(ADMIN_ONLY, method="POST"),
    "learning:scenario_edit": Access(ADMIN_ONLY),
    "learning:rubric_edit": Access(ADMIN_ONLY),
    "learning:cost_delete": Access(ADMIN_ONLY, method="POST"),
    "learning:batch_create": Access(ADMIN_ONLY),
    "learning:batch_detail": Access(LOGGED_IN),
    "learning:batch_status": Access(ADMIN_ONLY, method="POST"),
    "learning:session_delete": Access(ADMIN_ONLY, method="POST"),
    "learning:trainer_list": Access(ADMIN_ONLY),
    "learning:trainer_detail": Access(ADMIN_ONLY),
    "cycle_kebutuhan": Access(LOGGED_IN),
    "cycle_program": Access(LOGGED_IN),
    "cycle_jadwal": Access(LOGGED_IN),
    "scheduling:duty_list": Access(LOGGED_IN),
    "scheduling:duty_export": Access(LOGGED_IN),
    "scheduling:duty_create": Access({ADMIN, PENGELOLA}),
    "scheduling:duty_delete": Access({ADMIN, PENGELOLA}, method="POST"),
    "scheduling:duty_import": Access({ADMIN, PENGELOLA}),
    "scheduling:work_pattern": Access({ADMIN, PENGELOLA}),
    "scheduling:rule_list": Access(LOGGED_IN),
    "scheduling:rule_deactivate": Access(LOGGED_IN, method="POST"),
    "scheduling:peak_delete": Access(LOGGED_IN, method="POST"),
    "scheduling:plan_list": Access({ADMIN, PIMPINAN}),
    "scheduling:plan_new": Access(ADMIN_ONLY),
    "scheduling:plan_detail": Access({ADMIN, PIMPINAN}),
    "scheduling:plan_preview": Access(ADMIN_ONLY),
    "scheduling:plan_apply": Access(ADMIN_ONLY, method="POST"),
    "scheduling:plan_replan": Access(ADMIN_ONLY, method="POST"),
    "scheduling:my_schedule": Access(LOGGED_IN),
    "scheduling:pick_batch": Access(LOGGED_IN),
    "scheduling:feed_create": Access(LOGGED_IN, method="POST"),
    "scheduling:feed_revoke": Access(LOGGED_IN, method="POST"),
    "scheduling:ical_feed": Access(EVERYONE),
    "scheduling:analytics": Access({ADMIN, PENGELOLA, PIMPINAN}),
    "cycle_pelaksanaan": Access(LOGGED_IN),
    "participation:notifications": Access(LOGGED_IN),
    "participation:notifications_read": Access(LOGGED_IN, method="POST"),
    "participation:invitations": Access(LOGGED_IN),
    "participation:accept": Access(LOGGED_IN, method="POST"),
    "participation:decline": Access(LOGGED_IN),
    "participation:enrolment_list": Access({ADMIN, PENGELOLA, PIMPINAN}),
    "participation:enrolment_export": Access({ADMIN, PENGELOLA, PIMPINAN}),
    "participation:enrolment_detail": Access(LOGGED_IN),
    "participation:session_list": Access(LOGGED_IN),
    "participation:qr_screen": Access(LOGGED_IN),
    "participation:qr_svg": Access(LOGGED_IN),
    "participation:attendance_count": Access(LOGGED_IN),
    "participation:check_in": Access(LOGGED_IN),
    "participation:roll_call": Access(LOGGED_IN),
    "participation:jp_dashboard": Access({ADMIN, PENGELOLA, PIMPINAN}),
    "participation:jp_export": Access({ADMIN, PENGELOLA, PIMPINAN}),
    "participation:my_jp": Access(LOGGED_IN),  # without an employee record: a friendly page
    "participation:upload_external": Access({PENGELOLA, ATASAN, PEGAWAI}),
    "participation:review_list": Access({ADMIN, PENGELOLA}),
    "participation:review": Access({ADMIN, PENGELOLA}),
    "participation:external_file": Access(LOGGED_IN),
    "participation:incentives": Access(LOGGED_IN),
    "participation:policy_edit": Access(ADMIN_ONLY),
    "participation:award_badges": Access(ADMIN_ONLY, method="POST"),
    "participation:recognition_export": Access({ADMIN, PENGELOLA, PIMPINAN}),
    "participation:certificate_pdf": Access(LOGGED_IN),
    "participation:batch_participants": Access(ADMIN_ONLY),
    "participation:participant_search": Access(ADMIN_ONLY),
    "participation:participant_add": Access(ADMIN_ONLY, method="POST"),
    "participation:batch_edit": Access(ADMIN_ONLY),
    "certificate_verify": Access(EVERYONE),
    "cycle_evaluasi": Access(LOGGED_IN),
    "cycle_laporan": Access({ADMIN, PENGELOLA, PIMPINAN, ATASAN, PEGAWAI}),
    "api:openapi-json": Access(EVERYONE),
    "api:openapi-view": Access(EVERYONE),
    "api:list_employees": Access(LOGGED_IN),
    "api:create_employee": Access(ADMIN_ONLY, method="POST"),
    "api:get_employee": Access(
        {ADMIN, PENGELOLA, PIMPINAN, ATASAN, PEGAWAI}, kwargs=lambda w: {"ref": w.dave_emp.nip}
    ),
    "api:update_employee": Access(
        ADMIN_ONLY, method="PUT", kwargs=lambda w: {"ref": w.dave_emp.pk}
    ),
    "api:list_units": Access(LOGGED_IN),
    "api:get_unit": Access(
        {ADMIN, PENGELOLA, PIMPINAN, ATASAN, PEGAWAI}, kwargs=lambda w: {"unit_id": w.layanan.pk}
    ),
    # Unit writes: an admin session (or a token with units:write); a pengelola's session reads.
    "api:create_unit": Access(ADMIN_ONLY, method="POST"),
    "api:update_unit": Access(
        ADMIN_ONLY, method="PATCH", kwargs=lambda w: {"unit_id": w.layanan.pk}
    ),
    "api:close_unit": Access(ADMIN_ONLY, method="POST", kwargs=lambda w: {"unit_id": w.layanan.pk}),
    "api:reopen_unit": Access(
        ADMIN_ONLY, method="POST", kwargs=lambda w: {"unit_id": w.layanan.pk}
    ),
    # Learning, participation, evaluation and service API: every logged-in role
    # reads within the scoping helper; writes need an admin session (or a token with the scope).
    "api:list_programmes": Access(LOGGED_IN),
    "api:get_programme": Access(LOGGED_IN),
    "api:set_programme_status": Access(ADMIN_ONLY, method="POST"),
    "api:list_batches": Access(LOGGED_IN),
    "api:get_batch": Access(LOGGED_IN),
    "api:create_batch": Access(ADMIN_ONLY, method="POST"),
    "api:set_batch_status": Access(ADMIN_ONLY, method="POST"),
    "api:add_sessions": Access(ADMIN_ONLY, method="POST"),
    "api:list_sessions": Access(LOGGED_IN),
    "api:get_session": Access(LOGGED_IN),
    "api:list_enrolments": Access(LOGGED_IN),
    "api:get_enrolment": Access(LOGGED_IN),
    "api:list_attendance": Access(LOGGED_IN),
    "api:mark_attendance": Access(ADMIN_ONLY, method="PUT"),
    "api:jp_compliance": Access(LOGGED_IN),
    "api:list_responses": Access(LOGGED_IN),
    "api:get_response": Access(LOGGED_IN),
    "api:submit_response": Access(ADMIN_ONLY, method="POST"),
    "api:programme_evaluation": Access(LOGGED_IN),
    "api:list_service_units": Access(LOGGED_IN),
    "api:submit_skm_response": Access(ADMIN_ONLY, method="POST"),
    "api:import_complaints": Access(ADMIN_ONLY, method="POST"),
    "api:ikm_results": Access(LOGGED_IN),
    "api:api-root": Access(NOBODY),  # ninja"s root: nothing there
    "api_tokens:list": Access(ADMIN_ONLY),
    "api_tokens:create": Access(ADMIN_ONLY),
    "api_tokens:revoke": Access(ADMIN_ONLY, method="POST"),
    # Drafted from observed behaviour (tests/security/draft_entries.py) while these apps were
    # being built; their owners review them.
    "evaluation:programme": Access(LOGGED_IN),
    "evaluation:instruments": Access(ADMIN_ONLY),
    "evaluation:add_benefit": Access(ADMIN_ONLY, method="POST"),
    "evaluation:add_estimate": Access(ADMIN_ONLY, method="POST"),
    "evaluation:instrument_detail": Access(ADMIN_ONLY),
    "evaluation:answer": Access(LOGGED_IN),
    "evaluation:mark": Access({ADMIN, FASILITATOR}),
    "evaluation:simulation": Access({ADMIN, FASILITATOR}),
    "evaluation:hourly_costs": Access(ADMIN_ONLY),
    "reports:programme_report": Access({ADMIN, PIMPINAN}),
    # by programme code (placeholder "x": 404 for the readers, refused before lookup otherwise)
    "reports:programme_by_code": Access({ADMIN, PIMPINAN}),
    "reports:programme_download": Access({ADMIN, PIMPINAN}),
    "reports:programme_evidence": Access({ADMIN, PIMPINAN}),
    "reports:add_narrative": Access(NOBODY, method="POST"),
    "reports:cycles": Access({ADMIN, PIMPINAN}),
    "reports:cycle_generate": Access(ADMIN_ONLY, method="POST"),
    "reports:cycle": Access({ADMIN, PIMPINAN}),
    "reports:cycle_download": Access({ADMIN, PIMPINAN}),
    "reports:cycle_evidence": Access({ADMIN, PIMPINAN}),
    "reports:recommendations": Access({ADMIN, PIMPINAN}),
    "reports:recommendation": Access({ADMIN, PIMPINAN}),
    "reports:dashboard": Access({ADMIN, PIMPINAN}),
    "reports:dashboard_refresh": Access(ADMIN_ONLY, method="POST"),
    "reports:dashboard_evidence": Access({ADMIN, PIMPINAN}),
    "reports:ip_city": Access({ADMIN, PIMPINAN}),
    "reports:ip_mine": Access({PENGELOLA, ATASAN, PEGAWAI}),
    "reports:ip_opd": Access({ADMIN, PENGELOLA, PIMPINAN}),
    "reports:ip_employee": Access(LOGGED_IN),
    "reports:settings": Access(ADMIN_ONLY),
    "reports:ip_table": Access(ADMIN_ONLY),
    "records:upload": Access(ADMIN_ONLY),
    "records:employee": Access(LOGGED_IN),
}
