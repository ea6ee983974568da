from django.urls import path

from kompeten.people import views, views_import, views_units

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
    path("opd/", views_units.unit_tree, name="unit_tree"),
    path("opd/baru/", views_units.unit_create, name="unit_create"),
    path("opd/<int:pk>/", views_units.unit_detail, name="unit_detail"),
    path("opd/<int:pk>/ubah/", views_units.unit_edit, name="unit_edit"),
    path("opd/<int:pk>/pindah/", views_units.unit_move, name="unit_move"),
    path("opd/<int:pk>/tutup/", views_units.unit_close, name="unit_close"),
    path("opd/<int:pk>/buka/", views_units.unit_reopen, name="unit_reopen"),
]
