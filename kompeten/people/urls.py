from django.urls import include, path

from kompeten.people import views, views_import, views_units

app_name = "people"

# the steps of one upload of the employee import, keyed by its token
import_wizard = [
    path("kolom/", views_import.import_mapping, name="import_mapping"),
    path("pratinjau/", views_import.import_preview, name="import_preview"),
    path("simpan/", views_import.import_confirm, name="import_confirm"),
    path("masalah.xlsx", views_import.import_error_report, name="import_error_report"),
    path("batal/", views_import.import_cancel, name="import_cancel"),
]

urlpatterns = [
    path("pegawai/", views.employee_list, name="employee_list"),
    path("pegawai/ekspor.<str:fmt>", views.employee_export, name="employee_export"),
    path("pegawai/<int:pk>/", views.employee_detail, name="employee_detail"),
    path("pegawai/impor/", views_import.import_upload, name="import_employees"),
    path("pegawai/impor/<str:token>/", include(import_wizard)),
    path("opd/", views_units.unit_tree, name="unit_tree"),
    path("opd/baru/", views_units.unit_create, name="unit_create"),
    path("opd/<int:pk>/", views_units.unit_detail, name="unit_detail"),
    path("opd/<int:pk>/ubah/", views_units.unit_edit, name="unit_edit"),
    path("opd/<int:pk>/pindah/", views_units.unit_move, name="unit_move"),
    path("opd/<int:pk>/tutup/", views_units.unit_close, name="unit_close"),
    path("opd/<int:pk>/buka/", views_units.unit_reopen, name="unit_reopen"),
]
