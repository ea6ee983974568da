from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from kompeten.core import views as core_views
from kompeten.core.forms import LoginForm

urlpatterns = [
    path("", core_views.home, name="home"),
    path(
        "masuk/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html", authentication_form=LoginForm
        ),
        name="login",
    ),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("health", core_views.health, name="health"),
    path("audit/", core_views.audit_log, name="audit_log"),
    path("", include("kompeten.people.urls")),
    path("kebutuhan/", core_views.cycle_page("kebutuhan"), name="cycle_kebutuhan"),
    path("program/", core_views.cycle_page("program"), name="cycle_program"),
    path("jadwal/", core_views.cycle_page("jadwal"), name="cycle_jadwal"),
    path("pelaksanaan/", core_views.cycle_page("pelaksanaan"), name="cycle_pelaksanaan"),
    path("evaluasi/", core_views.cycle_page("evaluasi"), name="cycle_evaluasi"),
    path("laporan/", core_views.cycle_page("laporan"), name="cycle_laporan"),
    path("django-admin/", admin.site.urls),
]
