from django.urls import path

from kompeten.learning.views import akp, batches, competencies, objectives, programmes, proposals

app_name = "learning"

urlpatterns = [
    # needs analysis (landing page /kebutuhan/ is `cycle_kebutuhan` in kompeten/urls.py)
    path("kebutuhan/kampanye/baru/", akp.campaign_create, name="campaign_create"),
    path("kebutuhan/kampanye/<int:pk>/", akp.campaign_detail, name="campaign_detail"),
    path("kebutuhan/kampanye/<int:pk>/buka/", akp.campaign_open, name="campaign_open"),
    path("kebutuhan/kampanye/<int:pk>/tutup/", akp.campaign_close, name="campaign_close"),
    path("kebutuhan/kampanye/<int:pk>/ekspor.xlsx", akp.campaign_export, name="campaign_export"),
    path(
        "kebutuhan/kampanye/<int:pk>/penilaian-diri/", akp.self_assessment, name="self_assessment"
    ),
    path("kebutuhan/kampanye/<int:pk>/bawahan/", akp.report_list, name="report_list"),
    path(
        "kebutuhan/kampanye/<int:pk>/bawahan/<int:employee_pk>/",
        akp.assess_report,
        name="assess_report",
    ),
    # competency dictionary
    path("kebutuhan/kompetensi/", competencies.competency_list, name="competency_list"),
    path("kebutuhan/kompetensi/baru/", competencies.competency_create, name="competency_create"),
    path(
        "kebutuhan/kompetensi/<int:pk>/", competencies.competency_detail, name="competency_detail"
    ),
    path("kebutuhan/standar-jabatan/", competencies.required_levels, name="required_levels"),
    path(
        "kebutuhan/standar-jabatan/impor/",
        competencies.required_levels_import,
        name="required_levels_import",
    ),
    path(
        "kebutuhan/standar-jabatan/ekspor.xlsx",
        competencies.required_levels_export,
        name="required_levels_export",
    ),
    # proposals
    path("kebutuhan/usulan/", proposals.proposal_board, name="proposal_board"),
    path("kebutuhan/usulan/ekspor.xlsx", proposals.proposal_export, name="proposal_export"),
    path("kebutuhan/usulan/baru/", proposals.proposal_create, name="proposal_create"),
    path("kebutuhan/usulan/<int:pk>/", proposals.proposal_detail, name="proposal_detail"),
    path("kebutuhan/usulan/<int:pk>/suara/", proposals.proposal_vote, name="proposal_vote"),
    path("kebutuhan/usulan/<int:pk>/status/", proposals.proposal_status, name="proposal_status"),
    # programmes (catalogue /program/ is `cycle_program` in kompeten/urls.py)
    path("program/ekspor.xlsx", programmes.catalogue_export, name="catalogue_export"),
    path("program/baru/", programmes.programme_create, name="programme_create"),
    path("program/<int:pk>/", programmes.programme_detail, name="programme_detail"),
    path("program/<int:pk>/ubah/", programmes.programme_edit, name="programme_edit"),
    path("program/<int:pk>/tujuan/", objectives.programme_objectives, name="programme_objectives"),
    path("program/<int:pk>/modul/", programmes.module_add, name="module_add"),
    path("program/<int:pk>/biaya/", programmes.cost_add, name="cost_add"),
    path(
        "program/<int:pk>/kompetensi/", programmes.competency_add, name="programme_competency_add"
    ),
    path("program/<int:pk>/status/", programmes.programme_status, name="programme_status"),
    path("program/<int:pk>/adopsi/", programmes.adopt_proposals, name="adopt_proposals"),
    path("program/<int:pk>/masukan/", programmes.feedback_round_open, name="feedback_round_open"),
    path("program/masukan/<int:pk>/", programmes.feedback_give, name="feedback_give"),
    path("program/modul/<int:pk>/hapus/", programmes.module_delete, name="module_delete"),
    path("program/modul/<int:pk>/skenario/", programmes.scenario_edit, name="scenario_edit"),
    path("program/modul/<int:pk>/rubrik/", programmes.rubric_edit, name="rubric_edit"),
    path("program/biaya/<int:pk>/hapus/", programmes.cost_delete, name="cost_delete"),
    # batches and trainers
    path("program/<int:pk>/angkatan/baru/", batches.batch_create, name="batch_create"),
    path("program/angkatan/<int:pk>/", batches.batch_detail, name="batch_detail"),
    path("program/angkatan/<int:pk>/status/", batches.batch_status, name="batch_status"),
    path("program/sesi/<int:pk>/hapus/", batches.session_delete, name="session_delete"),
    path("program/pengajar/", batches.trainer_list, name="trainer_list"),
    path("program/pengajar/<int:pk>/", batches.trainer_detail, name="trainer_detail"),
]
