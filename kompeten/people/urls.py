from django.urls import path

from kompeten.people import views

app_name = "people"

urlpatterns = [
    path("pegawai/", views.employee_list, name="employee_list"),
    path("pegawai/ekspor.<str:fmt>", views.employee_export, name="employee_export"),
    path("pegawai/<int:pk>/", views.employee_detail, name="employee_detail"),
    path("opd/", views.unit_tree, name="unit_tree"),
    path("opd/<int:pk>/", views.unit_detail, name="unit_detail"),
]
