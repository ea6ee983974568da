"""The public survey URLs (no login), included at /survei/ by the project urls."""

from django.urls import path

from kompeten.service.views import public

urlpatterns = [
    # before "<code>/", so that it wins: "daftar-kios" cannot serve as a unit's survey code
    path("daftar-kios/", public.kiosk_enrol, name="survey_kiosk_enrol"),
    path("<slug:code>/", public.survey, name="survey"),
    path("<slug:code>/terima-kasih/", public.thanks, name="survey_thanks"),
    path("<slug:code>/layanan/<slug:service_code>/", public.survey, name="survey_service"),
    # kiosk mode: the enrolled device's token is its cookie, never part of the address
    path("<slug:code>/kios/", public.kiosk_survey, name="survey_kiosk"),
    path(
        "<slug:code>/kios/terima-kasih/",
        public.thanks,
        {"kiosk": True},
        name="survey_kiosk_thanks",
    ),
]
