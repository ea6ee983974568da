"""Account pages: change one's password, e-mailed reset, one-time links, and the admin's
account list (reset links, activation letters for provisioned accounts)."""

from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kompeten.core import accounts, counters
from kompeten.core.clientip import client_ip
from kompeten.core.forms_accounts import (
    EmailResetSetPasswordForm,
    LinkPasswordForm,
    OwnPasswordChangeForm,
)
from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.models import PasswordLink, User
from kompeten.core.params import id_param
from kompeten.core.permissions import admin_required
from kompeten.people import scoping
from kompeten.people.actions import do_provision_accounts
from kompeten.people.models import Employee, Unit

# -- everyone ------------------------------------------------------------------------------


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = OwnPasswordChangeForm
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, gettext("Kata sandi Anda sudah diganti."))
        return response


password_change = PasswordChangeView.as_view()


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset by e-mail, limited per client address and per e-mail address (counted once
    the address is valid), so that the form cannot be used to flood someone's mailbox."""

    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    extra_email_context = {"site": settings.SITE_URL}

    def form_valid(self, form: Any) -> HttpResponse:
        limit, window = counters.parse_rate(settings.KOMPETEN_PASSWORD_RESET_RATE_LIMIT)
        email = form.cleaned_data["email"].strip().casefold()
        verdicts = [
            counters.hit(f"pwreset-ip|{client_ip(self.request)}", limit, window),
            counters.hit(f"pwreset-mail|{email}", limit, window),
        ]
        refused = [v for v in verdicts if v.refused]
        if refused:
            minutes = max(1, -(-max(v.retry_after for v in refused) // 60))
            form.add_error(
                "email",
                gettext(
                    "Terlalu banyak permintaan atur ulang sandi. Coba lagi dalam {n} menit."
                ).format(n=minutes),
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)


password_reset = PasswordResetView.as_view()
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="registration/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="registration/password_reset_confirm.html", form_class=EmailResetSetPasswordForm
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="registration/password_reset_complete.html"
)


@never_cache
@require_http_methods(["GET", "POST"])
def use_link(request: HttpRequest, secret: str) -> HttpResponse:
    """A one-time link: choose a password (the link is spent only when one is saved)."""
    link = accounts.get_valid_link(secret)
    if link is None:
        return render(request, "registration/link_invalid.html", status=404)
    form = LinkPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            accounts.do_use_password_link(
                link=link,
                new1=form.cleaned_data["new_password1"],
                new2=form.cleaned_data["new_password2"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field, error)
            else:
                form.add_error(None, exc)
        else:
            messages.success(
                request, gettext("Kata sandi tersimpan. Silakan masuk dengan kata sandi baru.")
            )
            return redirect("login")
    context = {"form": form, "link": link, "account": link.user}
    return render(request, "registration/link_set_password.html", context)


# -- the admin -----------------------------------------------------------------------------

STATUS_FILTERS = {
    "belum_aktif": accounts.NEVER_ACTIVATED,
    "wajib_ganti": Q(must_change_password=True),
    "nonaktif": Q(is_active=False),
}


@admin_required
@require_GET
def account_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    instansi = scoping.tenant(request.user)
    users = User.objects.filter(instansi=instansi).select_related("employee")
    q = request.GET.get("q", "").strip()
    if q:
        key = accounts.normalise_login(q)
        users = users.filter(
            Q(username__icontains=key) | Q(first_name__icontains=q) | Q(employee__nip=key)
        )
    status = request.GET.get("status", "")
    if status in STATUS_FILTERS:
        users = users.filter(STATUS_FILTERS[status])
    page = Paginator(users.order_by("username"), 50).get_page(request.GET.get("page"))
    without_account = Employee.objects.filter(
        instansi=instansi, is_active=True, user__isnull=True
    ).count()
    awaiting = User.objects.filter(accounts.accounts_awaiting_activation(instansi.pk)).count()
    units = Unit.objects.filter(instansi=instansi, is_active=True).only("name")
    query = "&".join(f"{k}={v}" for k, v in (("q", q), ("status", status)) if v)
    context = {
        "page": page,
        "q": q,
        "status": status,
        "without_account": without_account,
        "awaiting": awaiting,
        "units": units,
        "query": query,
    }
    return render(request, "registration/account_list.html", context)


def _letters(request: HttpRequest, issued: list[tuple[User, str]], purpose: str) -> HttpResponse:
    """The one page that shows the secrets: printable letters (one per page) with a QR code."""
    letters = []
    for user, secret in issued:
        url = settings.SITE_URL + accounts.link_path(secret)  # the address people reach
        # a fixed mask: choosing the best of eight costs 3-4x the time (bench/bench_letters.py)
        qr = segno.make(url, error="m", mask=0)
        letters.append({"user": user, "url": url, "qr": qr.svg_data_uri(scale=4, border=2)})
    context = {
        "letters": letters,
        "purpose": purpose,
        "hours": int(accounts.LINK_TTL.total_seconds() // 3600),
    }
    response = render(request, "registration/link_letters.html", context)
    add_never_cache_headers(response)
    return response


@admin_required
@require_POST
def account_link(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Buat tautan atur ulang sandi: one user's one-time link, shown once."""
    instansi = scoping.tenant(request.user)
    user = get_object_or_404(User, pk=pk, instansi=instansi)
    purpose = (
        PasswordLink.Purpose.ACTIVATION
        if not user.has_usable_password()
        else PasswordLink.Purpose.RESET
    )
    issued = accounts.do_issue_password_links(users=[user], purpose=purpose, actor=request.user)
    return _letters(request, issued, purpose)


@admin_required
@require_POST
def account_activation(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Create the missing employee accounts, then print an activation letter for every account
    not yet activated (earlier letters of these accounts stop working); all of the instansi or
    one OPD with the units below it."""
    instansi = scoping.tenant(request.user)
    unit = None
    if picked := request.POST.get("unit", ""):
        unit_id = id_param(picked)
        unit = Unit.objects.filter(instansi=instansi, pk=unit_id).first() if unit_id else None
        if unit is None:
            messages.error(request, gettext("OPD yang dipilih tidak ditemukan."))
            return redirect("account_list")
    employees = Employee.objects.filter(instansi=instansi, is_active=True, user__isnull=True)
    waiting_qs = User.objects.filter(accounts.accounts_awaiting_activation(instansi.pk))
    if unit is not None:
        employees = employees.filter(unit__path__startswith=unit.path)
        waiting_qs = waiting_qs.filter(employee__unit__path__startswith=unit.path)
    if request.POST.get("create") == "1":
        do_provision_accounts(instansi=instansi, employees=list(employees), actor=request.user)
    waiting = list(waiting_qs.select_related("employee").order_by("username"))
    if not waiting:
        messages.info(request, gettext("Tidak ada akun yang menunggu aktivasi."))
        return redirect("account_list")
    issued = accounts.do_issue_password_links(
        users=waiting, purpose=PasswordLink.Purpose.ACTIVATION, actor=request.user
    )
    return _letters(request, issued, PasswordLink.Purpose.ACTIVATION)
