from django.urls import path

from kompeten.core.importing import views

app_name = "imports"

urlpatterns = [
    path("", views.index, name="index"),
    path("tertunda/", views.pending_list, name="pending"),
    path("tertunda/coba-lagi/", views.pending_retry, name="pending_retry"),
    path("tertunda/<int:pk>/", views.pending_edit, name="pending_edit"),
    path("hasil/<int:pk>/", views.result, name="result"),
    path("<slug:key>/", views.upload, name="upload"),
    path("<slug:key>/<str:token>/kolom/", views.mapping, name="mapping"),
    path("<slug:key>/<str:token>/lembar/", views.next_sheet, name="next_sheet"),
    path("<slug:key>/<str:token>/", views.preview, name="preview"),
    path("<slug:key>/<str:token>/masalah.xlsx", views.problems_xlsx, name="problems"),
    path("<slug:key>/<str:token>/simpan/", views.commit, name="commit"),
    path("<slug:key>/<str:token>/batal/", views.cancel, name="cancel"),
]
