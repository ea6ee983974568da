from django.urls import path

from kompeten.records import views

app_name = "records"

urlpatterns = [
    path("impor/", views.upload, name="upload"),
    path("pegawai/<int:pk>/", views.employee_records, name="employee"),
]
