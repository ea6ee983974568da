from django.urls import URLPattern, URLResolver, include, path

from kompeten.learning.views import akp, batches, competencies, objectives, programmes, proposals

app_name = "learning"

# needs analysis (landing page /kebutuhan/ is `cycle_kebutuhan` in kompeten/urls.py)
campaign = [
    path("", akp.campaign_detail, name="campaign_detail"),
    path("buka/", akp.campaign_open, name="campaign_open"),
    path("tutup/", akp.campaign_close, name="campaign_close"),
    path("ekspor.xlsx", akp.campaign_export, name="campaign_export"),
    path("penilaian-diri/", akp.self_assessment, name="self_assessment"),
    path("bawahan/", akp.report_list, name="report_list"),
    path("bawahan/<int:employee_pk>/", akp.assess_report, name="assess_report"),
]

competency_dictionary = [
    path("kompetensi/", competencies.competency_list, name="competency_list"),
    path("kompetensi/baru/", competencies.competency_create, name="competency_create"),
    path("kompetensi/<int:pk>/", competencies.competency_detail, name="competency_detail"),
    path("standar-jabatan/", competencies.required_levels, name="required_levels"),
    path(
        "standar-jabatan/impor/",
        competencies.required_levels_import,
        name="required_levels_import",
    ),
    path(
        "standar-jabatan/ekspor.xlsx",
        competencies.required_levels_export,
        name="required_levels_export",
    ),
]

proposal_board = [
    path("", proposals.proposal_board, name="proposal_board"),
    path("ekspor.xlsx", proposals.proposal_export, name="proposal_export"),
    path("baru/", proposals.proposal_create, name="proposal_create"),
    path("<int:pk>/", proposals.proposal_detail, name="proposal_detail"),
    path("<int:pk>/suara/", proposals.proposal_vote, name="proposal_vote"),
    path("<int:pk>/status/", proposals.proposal_status, name="proposal_status"),
]

# programmes (catalogue /program/ is `cycle_program` in kompeten/urls.py)
programme = [
    path("", programmes.programme_detail, name="programme_detail"),
    path("ubah/", programmes.programme_edit, name="programme_edit"),
    path("tujuan/", objectives.programme_objectives, name="programme_objectives"),
    path("modul/", programmes.module_add, name="module_add"),
    path("biaya/", programmes.cost_add, name="cost_add"),
    path("kompetensi/", programmes.competency_add, name="programme_competency_add"),
    path("status/", programmes.programme_status, name="programme_status"),
    path("adopsi/", programmes.adopt_proposals, name="adopt_proposals"),
    path("masukan/", programmes.feedback_round_open, name="feedback_round_open"),
    path("angkatan/baru/", batches.batch_create, name="batch_create"),
]

programme_parts: list[URLPattern | URLResolver] = [
    path("ekspor.xlsx", programmes.catalogue_export, name="catalogue_export"),
    path("baru/", programmes.programme_create, name="programme_create"),
    path("<int:pk>/", include(programme)),
    path("masukan/<int:pk>/", programmes.feedback_give, name="feedback_give"),
    path("modul/<int:pk>/hapus/", programmes.module_delete, name="module_delete"),
    path("modul/<int:pk>/skenario/", programmes.scenario_edit, name="scenario_edit"),
    path("modul/<int:pk>/rubrik/", programmes.rubric_edit, name="rubric_edit"),
    path("biaya/<int:pk>/hapus/", programmes.cost_delete, name="cost_delete"),
    # batches and trainers
    path("angkatan/<int:pk>/", batches.batch_detail, name="batch_detail"),
    path("angkatan/<int:pk>/status/", batches.batch_status, name="batch_status"),
    path("sesi/<int:pk>/hapus/", batches.session_delete, name="session_delete"),
    path("pengajar/", batches.trainer_list, name="trainer_list"),
    path("pengajar/<int:pk>/", batches.trainer_detail, name="trainer_detail"),
]

urlpatterns = [
    path("kebutuhan/kampanye/baru/", akp.campaign_create, name="campaign_create"),
    path("kebutuhan/kampanye/<int:pk>/", include(campaign)),
    path("kebutuhan/", include(competency_dictionary)),
    path("kebutuhan/usulan/", include(proposal_board)),
    path("program/", include(programme_parts)),
]
