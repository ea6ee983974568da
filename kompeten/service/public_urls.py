"""The public survey URLs (no login), included at /survei/ by the project urls."""

from django.urls import path

from kompeten.service.views import public

urlpatterns = [
    path("<slug:code>/", public.survey, name="survey"),
    path("<slug:code>/terima-kasih/", public.thanks, name="survey_thanks"),
    path("<slug:code>/layanan/<slug:service_code>/", public.survey, name="survey_service"),
    path("<slug:code>/kios/<str:kiosk_key>/", public.survey, name="survey_kiosk"),
    path(
        "<slug:code>/kios/<str:kiosk_key>/terima-kasih/", public.thanks, name="survey_kiosk_thanks"
    ),
]
