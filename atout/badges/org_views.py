"""An organisation's badges: its own definitions, and issuing to one person or a list."""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from atout.accounts.models import User
from atout.core.errors import InputError
from atout.organisations.models import Organisation, Role
from atout.organisations.selectors import get_organisation_for_user

from . import services
from .forms import AchievementForm, IssueForm
from .models import Achievement, Award, BulkIssue
from .uploads import UploadRefused, clean_badge_image


def _organisation(request: HttpRequest, slug: str, *roles: str) -> tuple[Organisation, str]:
    """The organisation and the user's role in it: outsiders 404, other roles 403."""
    try:
        organisation, membership = get_organisation_for_user(
            user=request.user,  # type: ignore[arg-type]
            slug=slug,
            roles=roles,
        )
    except PermissionError as error:
        raise PermissionDenied from error
    return organisation, membership.role


def badges(request: HttpRequest, slug: str) -> HttpResponse:
    """The badges an organisation awards, and (admins, issuers) a form to define one."""
    organisation, role = _organisation(request, slug, Role.ISSUER, Role.COUNSELLOR)
    may_define = role in {Role.ADMIN, Role.ISSUER}
    form = AchievementForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if not may_define:
            raise PermissionDenied
        if form.is_valid():
            image = None
            upload = form.cleaned_data["image"]
            try:
                if upload is not None:
                    image = clean_badge_image(upload.read(), upload.name or "")
            except UploadRefused as refused:
                form.add_error("image", refused.message)
            else:
                achievement = services.achievement_create(
                    organisation=organisation,
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                    criteria=form.cleaned_data["criteria"],
                    tags=form.cleaned_data["tags"],
                    valid_months=form.cleaned_data["valid_months"],
                    image=image,
                    actor=request.user,  # type: ignore[arg-type]
                )
                messages.success(request, _("Le badge est créé. Tu peux le délivrer."))
                return redirect("badges:org_issue", organisation.slug, achievement.uid)
        status = 400
    context = {
        "organisation": organisation,
        "achievements": Achievement.objects.filter(organisation=organisation),
        "common": Achievement.objects.filter(organisation__isnull=True).order_by("code")[:100],
        "issued": Award.objects.filter(organisation=organisation).count(),
        "form": form if may_define else None,
    }
    return render(request, "badges/org_badges.html", context, status=status)


def issue(request: HttpRequest, slug: str, uid: UUID) -> HttpResponse:
    """Issue a badge to one person or to a list (typed or CSV), with evidence."""
    organisation, _role = _organisation(request, slug, Role.ISSUER, Role.COUNSELLOR)
    achievement = get_object_or_404(
        Achievement.objects.filter(Q(organisation=organisation) | Q(organisation__isnull=True)),
        uid=uid,
    )
    form = IssueForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        files = []
        upload = form.cleaned_data["evidence_file"]
        try:
            if upload is not None:
                files.append(
                    services.evidence_upload(
                        upload=upload,
                        name=form.cleaned_data["evidence_file_name"] or upload.name or "",
                        organisation=organisation,
                    )
                )
        except (UploadRefused, InputError) as refused:
            form.add_error("evidence_file", refused.message)
        else:
            job = services.bulk_issue_start(
                achievement=achievement,
                organisation=organisation,
                rows=form.cleaned_data["rows"],
                issued_by=request.user if isinstance(request.user, User) else None,
                files=files,
            )
            return redirect("badges:org_progress", organisation.slug, job.uid)
    context = {
        "organisation": organisation,
        "achievement": achievement,
        "form": form,
        "awards": Award.objects.filter(organisation=organisation, achievement=achievement)[:50],
    }
    return render(request, "badges/org_issue.html", context, status=400 if form.errors else 200)


def progress(request: HttpRequest, slug: str, uid: UUID) -> HttpResponse:
    """A list being issued in the background; with htmx, only the progress part (polled)."""
    organisation, _role = _organisation(request, slug, Role.ISSUER, Role.COUNSELLOR)
    job = get_object_or_404(
        BulkIssue.objects.select_related("achievement"), organisation=organisation, uid=uid
    )
    context = {"organisation": organisation, "job": job}
    if getattr(request, "htmx", False):
        return render(request, "badges/_progress.html", context)
    return render(request, "badges/org_progress.html", context)


def revoke(request: HttpRequest, slug: str, uid: UUID) -> HttpResponse:
    organisation, _role = _organisation(request, slug, Role.ISSUER)
    award = get_object_or_404(Award, organisation=organisation, uid=uid)
    if request.method == "POST":
        try:
            services.award_revoke(
                award=award,
                reason=request.POST.get("reason", ""),
                actor=request.user,  # type: ignore[arg-type]
            )
        except InputError as error:
            return render(
                request,
                "badges/org_revoke.html",
                {"award": award, "organisation": organisation, "error": error.message},
                status=error.status,
            )
        messages.success(request, _("Badge retiré : les vérificateurs le verront."))
        return redirect("badges:org_issue", organisation.slug, award.achievement.uid)
    context = {"award": award, "organisation": organisation, "error": ""}
    return render(request, "badges/org_revoke.html", context)
