from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import services
from .forms import InvitationForm, OrganisationForm
from .models import Organisation, Role
from .selectors import get_organisation_for_user


def _get(request: HttpRequest, slug: str, *roles: str) -> tuple[Organisation, object]:
    try:
        return get_organisation_for_user(user=request.user, slug=slug, roles=roles or None)  # type: ignore[arg-type]
    except PermissionError as error:
        raise PermissionDenied from error


def organisation_list(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = services.organisation_create(creator=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, _("L'organisation est créée. Vous en êtes l'administrateur."))
        return redirect("organisations:detail", organisation.slug)
    organisations = Organisation.objects.for_user(request.user)
    return render(
        request,
        "organisations/list.html",
        {"organisations": organisations, "form": form},
        status=400 if form.errors else 200,
    )


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, membership = _get(request, slug)
    is_admin = getattr(membership, "role", None) == Role.ADMIN
    context = {
        "organisation": organisation,
        "membership": membership,
        "is_admin": is_admin,
        "members": organisation.memberships.select_related("user").order_by("user__first_name"),
        "invitations": organisation.invitations.pending() if is_admin else [],
        "form": InvitationForm() if is_admin else None,
    }
    return render(request, "organisations/detail.html", context)


@require_POST
def invitation_create(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, _membership = _get(request, slug, Role.ADMIN)
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            services.invitation_send(
                organisation=organisation,
                invited_by=request.user,  # type: ignore[arg-type]
                **form.cleaned_data,
            )
        except services.InvitationError:
            messages.error(request, _("Cette personne fait déjà partie de l'organisation."))
        else:
            messages.success(
                request,
                _("Invitation envoyée à %(email)s.") % {"email": form.cleaned_data["email"]},
            )
        return redirect("organisations:detail", organisation.slug)
    context = {
        "organisation": organisation,
        "membership": _membership,
        "is_admin": True,
        "members": organisation.memberships.select_related("user"),
        "invitations": organisation.invitations.pending(),
        "form": form,
    }
    return render(request, "organisations/detail.html", context, status=400)


@require_POST
def member_remove(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    organisation, _membership = _get(request, slug, Role.ADMIN)
    membership = get_object_or_404(organisation.memberships, pk=member_id)
    try:
        services.membership_remove(membership=membership, actor=request.user)  # type: ignore[arg-type]
    except services.InvitationError:
        messages.error(request, _("Il faut garder au moins un administrateur."))
    else:
        messages.success(request, _("Le membre est retiré de l'organisation."))
    return redirect("organisations:detail", organisation.slug)


INVITATION_ERRORS = {
    "unknown": (404, gettext_lazy("Cette invitation n'existe pas.")),
    "used": (410, gettext_lazy("Cette invitation a déjà servi.")),
    "expired": (410, gettext_lazy("Cette invitation a expiré. Demandez-en une nouvelle.")),
    "wrong_user": (
        403,
        gettext_lazy(
            "Cette invitation a été envoyée à une autre adresse e-mail que celle de votre compte."
        ),
    ),
    "already_member": (409, gettext_lazy("Vous faites déjà partie de cette organisation.")),
}


@login_not_required
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_get(token=token)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if invitation.email != request.user.email.lower():  # type: ignore[union-attr]
            raise services.InvitationError("wrong_user")
        if request.method == "POST":
            membership = services.invitation_accept(token=token, user=request.user)  # type: ignore[arg-type]
            messages.success(
                request,
                _("Bienvenue dans %(name)s.") % {"name": membership.organisation.name},
            )
            return redirect("organisations:detail", membership.organisation.slug)
    except services.InvitationError as error:
        status, text = INVITATION_ERRORS[error.reason]
        return render(
            request,
            "core/error.html",
            {"title": _("Invitation impossible"), "text": str(text)},
            status=status,
        )
    return render(request, "organisations/accept.html", {"invitation": invitation})
