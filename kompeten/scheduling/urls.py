from django.urls import path

from kompeten.scheduling.views import duties, home, mine, planner, rules

app_name = "scheduling"

urlpatterns = [
    path("tugas/", duties.duty_list, name="duty_list"),
    path("tugas/ekspor.xlsx", duties.duty_export, name="duty_export"),
    path("tugas/tambah/", duties.duty_create, name="duty_create"),
    path("tugas/<int:pk>/hapus/", duties.duty_delete, name="duty_delete"),
    path("tugas/impor/", duties.duty_import, name="duty_import"),
    path("pola-kerja/", duties.work_pattern, name="work_pattern"),
    path("aturan/", rules.rule_list, name="rule_list"),
    path("aturan/<int:pk>/nonaktif/", rules.rule_deactivate, name="rule_deactivate"),
    path("masa-sibuk/<int:pk>/hapus/", rules.peak_delete, name="peak_delete"),
    path("perencana/", planner.plan_list, name="plan_list"),
    path("perencana/baru/", planner.plan_new, name="plan_new"),
    path("perencana/<int:pk>/", planner.plan_detail, name="plan_detail"),
    path("perencana/<int:pk>/pratinjau/", planner.plan_preview_page, name="plan_preview"),
    path("perencana/<int:pk>/terapkan/", planner.plan_apply, name="plan_apply"),
    path("perencana/<int:pk>/ulang/", planner.plan_replan, name="plan_replan"),
    path("saya/", mine.my_schedule, name="my_schedule"),
    path("saya/<int:pk>/pilih/", mine.pick_batch, name="pick_batch"),
    path("kalender/baru/", mine.feed_create, name="feed_create"),
    path("kalender/<int:pk>/cabut/", mine.feed_revoke, name="feed_revoke"),
    path("ical/<str:token>.ics", mine.ical_feed, name="ical_feed"),
    path("analitik/", home.analytics, name="analytics"),
]
