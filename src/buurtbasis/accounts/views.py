"""Account pages: register, confirm e-mail, log in/out, passwords, my data, delete."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from buurtbasis.platform import privacy
from buurtbasis.platform.audit import Origin, record_event

from . import ratelimits, services
from .forms import (
    ChangePasswordForm,
    DeleteAccountForm,
    EmailChangeForm,
    LoginForm,
    NewPasswordForm,
    ProfileForm,
    RegistrationForm,
    ResetRequestForm,
)
from .tokens import InvalidToken


def _too_many(request, template: str, context: dict, limit_name: str) -> HttpResponse:
    """The form again, with a clear message, as HTTP 429."""
    minutes = ratelimits.retry_minutes(limit_name)
    context["rate_limited"] = ngettext(
        "You tried this too often. For your safety, wait %(minutes)s minute and try again.",
        "You tried this too often. For your safety, wait %(minutes)s minutes and try again.",
        minutes,
    ) % {"minutes": minutes}
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(ratelimits.limit(limit_name)[1])
    return response


def register(request):
    if request.user.is_authenticated:
        return redirect("accounts:account")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST":
        if not ratelimits.allow_request(request, ip_limit="register_ip"):
            return _too_many(request, "accounts/register.html", {"form": form}, "register_ip")
        if form.is_valid():
            try:
                user = services.register_user(
                    email=form.cleaned_data["email"],
                    password=form.cleaned_data["password"],
                    display_name=form.cleaned_data["display_name"],
                    origin=Origin.from_request(request),
                )
            except services.EmailAlreadyUsed:  # registered in the meantime
                form.add_error("email", _("There is already an account with this e-mail address."))
            else:
                services.send_verification_email(user=user, origin=Origin.from_request(request))
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                return redirect("accounts:verify_sent")
    return render(request, "accounts/register.html", {"form": form})


@login_required
def verify_sent(request):
    return render(request, "accounts/verify_sent.html")


def verify(request, token: str):
    try:
        user = services.verify_email(token=token, origin=Origin.from_request(request))
    except InvalidToken as error:
        return render(request, "accounts/verify_failed.html", {"reason": error.reason}, status=400)
    return render(request, "accounts/verify_done.html", {"verified_user": user})


@require_POST
@login_required
def verify_resend(request):
    if request.user.email_verified:
        messages.info(request, _("Your e-mail address is already confirmed."))
        return redirect("accounts:account")
    if not ratelimits.allow_request(
        request,
        ip_limit="reset_ip",
        account_limit="verify_resend_account",
        account=request.user.email,
    ):
        return _too_many(request, "accounts/verify_sent.html", {}, "verify_resend_account")
    services.send_verification_email(user=request.user, origin=Origin.from_request(request))
    messages.success(
        request, _("We sent a new e-mail to %(email)s.") % {"email": request.user.email}
    )
    return redirect("accounts:verify_sent")


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        email = request.POST.get("username", "")
        if not ratelimits.allow_request(
            request, ip_limit="login_ip", account_limit="login_account", account=email
        ):
            form = self.get_form()  # keeps the typed e-mail address, not the password
            return _too_many(
                request, self.template_name, self.get_context_data(form=form), "login_account"
            )
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        if not self.request.user.email_verified:
            messages.warning(
                self.request,
                _(
                    "Your e-mail address is not confirmed yet. Look for our e-mail, "
                    "or ask for a new one on the page My account."
                ),
            )
        return response


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, _("You are logged out."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetRequestForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request, *args, **kwargs):
        if not ratelimits.allow_request(
            request,
            ip_limit="reset_ip",
            account_limit="reset_account",
            account=request.POST.get("email", ""),
        ):
            form = self.get_form()
            return _too_many(
                request, self.template_name, self.get_context_data(form=form), "reset_account"
            )
        return super().post(request, *args, **kwargs)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        record_event(
            actor=form.user,
            action="accounts.password_reset",
            target=form.user,
            origin=Origin.from_request(self.request),
        )
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = ChangePasswordForm
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        response = super().form_valid(form)
        record_event(
            actor=self.request.user,
            action="accounts.password_changed",
            target=self.request.user,
            origin=Origin.from_request(self.request),
        )
        messages.success(self.request, _("Your new password is saved."))
        return response


@login_required
def account(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your details are saved."))
        return redirect("accounts:account")
    memberships = request.user.memberships.select_related("organisation").order_by(
        "organisation__name", "role"
    )
    return render(request, "accounts/account.html", {"form": form, "memberships": memberships})


@login_required
def email_change(request):
    form = EmailChangeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        if not ratelimits.allow_request(
            request,
            ip_limit="reset_ip",
            account_limit="verify_resend_account",
            account=request.user.email,
        ):
            return _too_many(
                request, "accounts/email_change.html", {"form": form}, "verify_resend_account"
            )
        new_email = form.cleaned_data["new_email"]
        services.send_email_change(
            user=request.user, new_email=new_email, origin=Origin.from_request(request)
        )
        messages.success(
            request,
            _(
                "We sent an e-mail to %(email)s. Click the link in it to change your address. "
                "Until then your address stays the same."
            )
            % {"email": new_email},
        )
        return redirect("accounts:account")
    return render(request, "accounts/email_change.html", {"form": form})


def email_change_confirm(request, token: str):
    if request.method == "POST":
        try:
            user = services.confirm_email_change(token=token, origin=Origin.from_request(request))
        except InvalidToken as error:
            return render(
                request, "accounts/verify_failed.html", {"reason": error.reason}, status=400
            )
        except services.EmailAlreadyUsed:
            return render(request, "accounts/verify_failed.html", {"reason": "taken"}, status=409)
        return render(request, "accounts/verify_done.html", {"verified_user": user})
    # a GET (a mail scanner opening the link) changes nothing: the button does
    return render(request, "accounts/email_change_confirm.html", {"token": token})


@login_required
def my_data(request):
    return render(
        request,
        "accounts/my_data.html",
        {"sections": privacy.exporter_names(), "data": privacy.export_personal_data(request.user)},
    )


@login_required
def my_data_download(request):
    data = privacy.export_personal_data(request.user)
    record_event(
        actor=request.user,
        action="accounts.data_exported",
        target=request.user,
        origin=Origin.from_request(request),
    )
    filename = f"buurtbasis-mijn-gegevens-{timezone.localdate():%Y-%m-%d}.json"
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def delete_account(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        services.delete_account(user=user, origin=Origin.from_request(request))
        logout(request)
        messages.success(request, _("Your account is deleted. Your personal data is removed."))
        return redirect(reverse("portal:home"))
    return render(request, "accounts/delete.html", {"form": form})
