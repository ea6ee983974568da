from django.urls import path

from kompeten.reports.views import cycles, dashboard, ipasn, reports, settings

app_name = "reports"

urlpatterns = [
    path("program/<int:pk>/", reports.programme_report, name="programme_report"),
    path("program/kode/<str:code>/", reports.programme_by_code, name="programme_by_code"),
    path("program/<int:pk>/unduh.<str:fmt>", reports.programme_download, name="programme_download"),
    path(
        "program/<int:pk>/bukti/<slug:slug>/", reports.programme_evidence, name="programme_evidence"
    ),
    path("narasi/", reports.add_narrative, name="add_narrative"),
    path("siklus/", cycles.cycle_list, name="cycles"),
    path("siklus/buat/", cycles.cycle_generate, name="cycle_generate"),
    path("siklus/<str:code>/", cycles.cycle_detail, name="cycle"),
    path("siklus/<str:code>/unduh.<str:fmt>", cycles.cycle_download, name="cycle_download"),
    path("siklus/<str:code>/bukti/<slug:slug>/", cycles.cycle_evidence, name="cycle_evidence"),
    path("rekomendasi/", cycles.recommendation_list, name="recommendations"),
    path("rekomendasi/<int:pk>/", cycles.recommendation_detail, name="recommendation"),
    path("dasbor/", dashboard.dashboard, name="dashboard"),
    path("dasbor/hitung/", dashboard.dashboard_refresh, name="dashboard_refresh"),
    path("dasbor/bukti/<slug:slug>/", dashboard.dashboard_evidence, name="dashboard_evidence"),
    path("ip-asn/", ipasn.ip_city, name="ip_city"),
    path("ip-asn/saya/", ipasn.ip_mine, name="ip_mine"),
    path("ip-asn/tabel/", ipasn.ip_table, name="ip_table"),
    path("ip-asn/opd/<int:pk>/", ipasn.ip_opd, name="ip_opd"),
    path("ip-asn/pegawai/<int:pk>/", ipasn.ip_employee, name="ip_employee"),
    path("pengaturan/", settings.report_settings, name="settings"),
]
