import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from atout.core import ratelimit

from . import services
from .forms import (
    ApiTokenForm,
    DeleteAccountForm,
    LoginForm,
    MagicLinkForm,
    ProfileForm,
    SignupForm,
)
from .models import ApiToken, User

BACKEND = "atout.accounts.backends.EmailBackend"


def _too_many(request: HttpRequest, template: str, form: object) -> HttpResponse:
    messages.error(
        request, _("Trop d'essais d'affilée. Attendez un quart d'heure avant de réessayer.")
    )
    context = {"form": form, "minutes": settings.ATOUT_MAGIC_LINK_MINUTES}
    return render(request, template, context, status=429)


@login_not_required
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:account")
    form = SignupForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        user = services.user_create(
            email=form.cleaned_data["email"],
            first_name=form.cleaned_data["first_name"],
            password=form.cleaned_data["password1"] or None,
            language=form.cleaned_data["language"],
        )
        if not user.has_usable_password():
            # No password: the emailed link proves the address and logs the person in.
            services.magic_link_send(email=user.email)
            return render(request, "accounts/magic_link_sent.html", {"email": user.email})
        login(request, user, backend=BACKEND)
        messages.success(
            request, _("Bienvenue %(name)s, votre compte est créé.") % {"name": user.first_name}
        )
        return redirect("accounts:account")
    return render(
        request, "accounts/signup.html", {"form": form}, status=400 if form.errors else 200
    )


@login_not_required
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request, request.POST or None)
    if request.method == "POST":
        email = request.POST.get("email", "")
        rate = settings.ATOUT_LOGIN_RATE
        if ratelimit.is_blocked("login", request, email=email, rate=rate):
            return _too_many(request, "accounts/login.html", form)
        if form.is_valid():
            assert form.user is not None
            login(request, form.user, backend=BACKEND)
            next_url = request.POST.get("next") or request.GET.get("next")
            return redirect(_safe_next(request, next_url) or "accounts:account")
        ratelimit.record("login", request, email=email, rate=rate)  # failures only
        return render(request, "accounts/login.html", {"form": form}, status=400)
    return render(request, "accounts/login.html", {"form": form})


def _safe_next(request: HttpRequest, url: str | None) -> str | None:
    from django.utils.http import url_has_allowed_host_and_scheme

    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return None


@login_not_required
def magic_link_request(request: HttpRequest) -> HttpResponse:
    form = MagicLinkForm(request.POST or None)
    context = {"form": form, "minutes": settings.ATOUT_MAGIC_LINK_MINUTES}
    if request.method == "POST":
        email = request.POST.get("email", "")
        rate = settings.ATOUT_MAGIC_LINK_RATE
        if ratelimit.is_blocked("magic", request, email=email, rate=rate):
            return _too_many(request, "accounts/magic_link_request.html", form)
        ratelimit.record("magic", request, email=email, rate=rate)
        if form.is_valid():
            services.magic_link_send(email=form.cleaned_data["email"])
            # Same answer whether the account exists or not: no one can probe addresses.
            return render(
                request, "accounts/magic_link_sent.html", {"email": form.cleaned_data["email"]}
            )
        return render(request, "accounts/magic_link_request.html", context, status=400)
    return render(request, "accounts/magic_link_request.html", context)


@login_not_required
def magic_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners follow links); POST uses the link once."""
    try:
        if request.method == "POST":
            user = services.magic_link_consume(token=token)
        else:
            services.magic_link_peek(token=token)
            return render(request, "accounts/magic_link_confirm.html")
    except services.MagicLinkError as error:
        status = 404 if error.reason == "unknown" else 410
        return render(
            request, "accounts/magic_link_invalid.html", {"reason": error.reason}, status=status
        )
    login(request, user, backend=BACKEND)
    messages.success(request, _("Vous êtes connecté·e."))
    return redirect("accounts:account")


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


def account(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Vos informations sont enregistrées."))
        response = redirect("accounts:account")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax")
        return response
    context = {
        "form": form,
        "token_form": ApiTokenForm(),
        "tokens": user.api_tokens.all(),
        "memberships": user.memberships.select_related("organisation"),
        "new_token": request.session.pop("new_api_token", None),
    }
    return render(request, "accounts/account.html", context, status=400 if form.errors else 200)


def _tokens_section(request: HttpRequest, new_token: str | None = None) -> HttpResponse:
    """The tokens section alone, for htmx: the very include the account page uses."""
    user: User = request.user  # type: ignore[assignment]
    context = {
        "tokens": user.api_tokens.all(),
        "token_form": ApiTokenForm(),
        "new_token": new_token,
    }
    return render(request, "accounts/_tokens.html", context)


@require_POST
def api_token_create(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return redirect("accounts:account")
    created = services.api_token_create(user=request.user, name=form.cleaned_data["name"])  # type: ignore[arg-type]
    if request.htmx:  # type: ignore[attr-defined]
        return _tokens_section(request, new_token=created.secret)
    # Shown once on the next page, then gone.
    request.session["new_api_token"] = created.secret
    return redirect("accounts:account")


def get_api_token_for_user(user: User, token_id: int) -> ApiToken:
    return get_object_or_404(ApiToken, pk=token_id, user=user)


@require_POST
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_api_token_for_user(request.user, token_id)  # type: ignore[arg-type]
    services.api_token_revoke(token=token, actor=request.user)  # type: ignore[arg-type]
    if request.htmx:  # type: ignore[attr-defined]
        return _tokens_section(request)
    messages.success(request, _("Le jeton « %(name)s » est révoqué.") % {"name": token.name})
    return redirect("accounts:account")


def data_export(request: HttpRequest) -> HttpResponse:
    data = services.user_export(user=request.user)  # type: ignore[arg-type]
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="atout-mes-donnees.json"'
    return response


def account_delete(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        try:
            services.user_delete(user=user)  # type: ignore[arg-type]
        except services.AccountDeletionBlocked as blocked:
            text = _(
                "Vous êtes le seul administrateur de : %(names)s. Invitez d'abord un autre "
                "administrateur, ou retirez les autres membres."
            )
            messages.error(request, text % {"names": ", ".join(blocked.organisations)})
            return render(request, "accounts/delete.html", {"form": form}, status=409)
        logout(request)
        messages.success(request, _("Votre compte et vos données sont supprimés."))
        return redirect("core:home")
    return render(
        request, "accounts/delete.html", {"form": form}, status=400 if form.errors else 200
    )


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/emails/password_reset.txt"
    subject_template_name = "accounts/emails/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        email = request.POST.get("email", "")
        rate = settings.ATOUT_MAGIC_LINK_RATE
        if ratelimit.is_blocked("reset", request, email=email, rate=rate):
            return _too_many(request, self.template_name, self.get_form())
        ratelimit.record("reset", request, email=email, rate=rate)
        return super().post(request, *args, **kwargs)

    @property
    def extra_email_context(self) -> dict[str, str]:  # type: ignore[override]
        return {"site_url": settings.SITE_URL}


password_reset = login_not_required(PasswordResetView.as_view())
password_reset_done = login_not_required(
    auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
)
password_reset_confirm = login_not_required(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        success_url=reverse_lazy("accounts:password_reset_complete"),
    )
)
password_reset_complete = login_not_required(
    auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"
    )
)
