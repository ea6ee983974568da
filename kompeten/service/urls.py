from django.urls import include, path

from kompeten.service.views import complaints, ikm, imports, manage

app_name = "service"

# the settings of one service unit
managed_unit = [
    path("", manage.unit_detail, name="manage_unit"),
    path("layanan/", manage.service_create, name="manage_service_create"),
    path("kuesioner/", manage.questionnaire, name="manage_questionnaire"),
    path("tiket/", manage.tickets, name="manage_tickets"),
    path("kios/", manage.kiosks, name="manage_kiosks"),
    path("kios/<int:device_pk>/cabut/", manage.kiosk_revoke, name="manage_kiosk_revoke"),
]

urlpatterns = [
    path("", ikm.home, name="home"),
    path("unit/<int:pk>/", ikm.unit_detail, name="ikm_unit"),
    path("unit/<int:pk>/poster.pdf", ikm.poster, name="poster"),
    path("impor/", imports.upload, name="upload"),
    path("kelola/", manage.unit_list, name="manage_list"),
    path("kelola/baru/", manage.unit_create, name="manage_create"),
    path("kelola/<int:pk>/", include(managed_unit)),
    path("pengaduan/", complaints.dashboard, name="complaints"),
    path("pengaduan/daftar/", complaints.complaint_list, name="complaint_list"),
    path("pengaduan/baru/", complaints.complaint_create, name="complaint_create"),
    path("pengaduan/<int:pk>/", complaints.complaint_detail, name="complaint_detail"),
    path("pengaduan/<int:pk>/<slug:flag>/", complaints.complaint_flag, name="complaint_flag"),
]
