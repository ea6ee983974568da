"""Every write of the service app goes through these actions (DESIGN rule 2)."""

from kompeten.service.actions.complaints import (
    do_advance_complaint,
    do_bulk_add_complaints,
    do_create_complaint,
    do_escalate_complaint,
    do_import_complaints,
    do_rate_complaint,
    do_reopen_complaint,
)
from kompeten.service.actions.rollups import (
    do_fold_skm_responses,
    do_rebuild_rollups,
    increment_rollups,
)
from kompeten.service.actions.skm import (
    do_bulk_add_skm_responses,
    do_create_questionnaire,
    do_create_service,
    do_create_service_unit,
    do_ensure_service_unit,
    do_import_skm_records,
    do_import_skm_summary,
    do_issue_tickets,
    do_submit_skm_response,
    do_update_service_unit,
)

__all__ = [
    "do_advance_complaint",
    "do_bulk_add_complaints",
    "do_bulk_add_skm_responses",
    "do_create_complaint",
    "do_create_questionnaire",
    "do_create_service",
    "do_create_service_unit",
    "do_ensure_service_unit",
    "do_escalate_complaint",
    "do_fold_skm_responses",
    "do_import_complaints",
    "do_import_skm_records",
    "do_import_skm_summary",
    "do_issue_tickets",
    "do_rate_complaint",
    "do_rebuild_rollups",
    "do_reopen_complaint",
    "do_submit_skm_response",
    "do_update_service_unit",
    "increment_rollups",
]
