from django.urls import path

from kompeten.api import views

app_name = "api_tokens"

urlpatterns = [
    path("", views.token_list, name="list"),
    path("baru/", views.token_create, name="create"),
    path("<int:pk>/cabut/", views.token_revoke, name="revoke"),
]
