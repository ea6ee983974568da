from django.urls import path

from kompeten.people import views, views_import

app_name = "people"

urlpatterns = [
    path("pegawai/", views.employee_list, name="employee_list"),
    path("pegawai/ekspor.<str:fmt>", views.employee_export, name="employee_export"),
    path("pegawai/<int:pk>/", views.employee_detail, name="employee_detail"),
    path("pegawai/impor/", views_import.import_upload, name="import_employees"),
    path("pegawai/impor/<str:token>/kolom/", views_import.import_mapping, name="import_mapping"),
    path(
        "pegawai/impor/<str:token>/pratinjau/", views_import.import_preview, name="import_preview"
    ),
    path("pegawai/impor/<str:token>/simpan/", views_import.import_confirm, name="import_confirm"),
    path(
        "pegawai/impor/<str:token>/masalah.xlsx",
        views_import.import_error_report,
        name="import_error_report",
    ),
    path("pegawai/impor/<str:token>/batal/", views_import.import_cancel, name="import_cancel"),
    path("opd/", views.unit_tree, name="unit_tree"),
    path("opd/<int:pk>/", views.unit_detail, name="unit_detail"),
]
