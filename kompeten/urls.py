from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from kompeten.api.main import api
from kompeten.core import views as core_views
from kompeten.evaluation.views import home as evaluation_home
from kompeten.learning.views import akp as learning_akp
from kompeten.learning.views import programmes as learning_programmes
from kompeten.participation.views import home as participation_home
from kompeten.participation.views import incentives as participation_incentives
from kompeten.people import views_site
from kompeten.reports.views import reports as reports_views
from kompeten.scheduling.views import home as scheduling_home

urlpatterns = [
    path("", views_site.home, name="home"),
    # the login page sends an install without any instansi to the first run (/mulai/)
    path("masuk/", views_site.login, name="login"),
    path("mulai/", views_site.firstrun_page, name="firstrun"),
    path("mulai/selanjutnya/", views_site.firstrun_next, name="firstrun_next"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("akun/", include("kompeten.people.urls_accounts")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("health", core_views.health, name="health"),
    path("audit/", core_views.audit_log, name="audit_log"),
    path("impor/", include("kompeten.core.importing.urls")),
    path("", include("kompeten.people.urls")),
    path("layanan/", include("kompeten.service.urls")),
    path("survei/", include("kompeten.service.public_urls")),
    path("", include("kompeten.learning.urls")),
    path("kebutuhan/", learning_akp.needs_home, name="cycle_kebutuhan"),
    path("program/", learning_programmes.catalogue, name="cycle_program"),
    path("jadwal/", scheduling_home.landing, name="cycle_jadwal"),
    path("jadwal/", include("kompeten.scheduling.urls")),
    path("pelaksanaan/", participation_home.landing, name="cycle_pelaksanaan"),
    path("pelaksanaan/", include("kompeten.participation.urls")),
    path("sertifikat/<str:number>/", participation_incentives.verify, name="certificate_verify"),
    path("evaluasi/", evaluation_home.landing, name="cycle_evaluasi"),
    path("evaluasi/", include("kompeten.evaluation.urls")),
    path("laporan/", reports_views.landing, name="cycle_laporan"),
    path("laporan/", include("kompeten.reports.urls")),
    path("catatan/", include("kompeten.records.urls")),
    path("api/", api.urls),
    path("integrasi/token/", include("kompeten.api.urls")),
    path("django-admin/", admin.site.urls),
]

# Indonesian error pages: templates/400.html, 403.html, 404.html, 500.html; a 403 says what to do.
handler403 = core_views.permission_denied
