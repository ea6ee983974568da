"""Account pages under /akun/ (names without a namespace: Django's reset views expect them)."""

from django.urls import path

from kompeten.people import views_accounts as views

urlpatterns = [
    path("sandi/", views.password_change, name="password_change"),
    path("sandi/lupa/", views.password_reset, name="password_reset"),
    path("sandi/lupa/terkirim/", views.password_reset_done, name="password_reset_done"),
    path(
        "sandi/atur/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("sandi/atur/selesai/", views.password_reset_complete, name="password_reset_complete"),
    path("tautan/<str:secret>/", views.use_link, name="account_link"),
    path("kelola/", views.account_list, name="account_list"),
    path("kelola/aktivasi/", views.account_activation, name="account_activation"),
    path("kelola/<int:pk>/tautan/", views.account_link, name="account_issue_link"),
]
