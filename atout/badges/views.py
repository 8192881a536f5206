import json
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from atout.accounts.models import User
from atout.assessments.selectors import get_assessment_for_user
from atout.core.errors import InputError
from atout.openbadges import verify as ob_verify
from atout.organisations.models import Membership

from . import documents, services
from .models import Achievement, Award, Collection, EvidenceFile, ImportedBadge
from .resolver import site_resolver
from .selectors import (
    award_visible_to,
    endorsing_organisations,
    linkedin_url,
    qr_svg,
    report_summary,
)
from .uploads import UploadRefused

MAX_UPLOAD = 5 * 1024 * 1024


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _public_json(data: dict[str, Any], status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # verifiers run in browsers too
    return response


@login_not_required
def json_view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    """did.json, status lists, OB 2.0 issuer profiles and BadgeClasses."""
    name = request.resolver_match.url_name if request.resolver_match else ""
    return _public_json(documents.BUILDERS[name or ""](**kwargs))


FORMS = {
    "ob3": ("application/json", "json", "ob3.json"),
    "ob3-jwt": ("application/vc+jwt", "ob3_jwt", "ob3.jwt"),
    "ob3-jwt-eddsa": ("application/vc+jwt", "ob3_jwt_eddsa", "eddsa.ob3.jwt"),
    "ob2": ("application/json", "ob2", "ob2.json"),
    "png": ("image/png", "png", "png"),
    "svg": ("image/svg+xml", "svg", "svg"),
    "ob2-png": ("image/png", "ob2_png", "ob2.png"),
}


@login_not_required
def download_view(request: HttpRequest, uid: UUID, form: str) -> HttpResponse:
    """Each form of an award, as issued. Public to whoever holds the unguessable link: the
    files carry no readable personal data (the email is salted and hashed)."""
    if form not in FORMS:
        raise Http404
    award = get_object_or_404(Award.objects.select_related("achievement__skill"), uid=uid)
    content_type, field, suffix = FORMS[form]
    if form == "ob2":
        return _public_json(documents.assertion(award), status=410 if award.revoked else 200)
    body: bytes | str
    if field == "json":
        body = award.ob3_json
    elif field == "ob2_png":
        body = services.ob2_png(award)
    else:
        body = getattr(award, field)
        body = bytes(body) if isinstance(body, memoryview) else body
    response = HttpResponse(body, content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"
    if request.GET.get("download"):
        slug = award.achievement.code
        response["Content-Disposition"] = f'attachment; filename="atout-{slug}.{suffix}"'
    if form == "svg":
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@login_not_required
def award(request: HttpRequest, uid: UUID) -> HttpResponse:
    """The badge's public page: only when the person made it public (or for them)."""
    item = get_object_or_404(
        Award.objects.select_related("achievement__skill", "organisation", "recipient"), uid=uid
    )
    if not award_visible_to(award=item, user=_user(request)):
        raise Http404
    page_url = settings.SITE_URL + item.get_absolute_url()
    context = {
        "award": item,
        "credential": json.loads(item.ob3_json),
        "is_owner": item.recipient_id == getattr(request.user, "pk", None),
        "linkedin": linkedin_url(item),
        "qr": qr_svg(page_url),
        "page_url": page_url,
        "forms": [(form, item.file_url(form)) for form in FORMS],
        "files": list(item.evidence_files.all())
        if item.show_evidence or item.recipient_id == getattr(request.user, "pk", None)
        else [],
        "endorsements": [
            *item.endorsements.select_related("organisation"),
            *item.achievement.endorsements.select_related("organisation"),
        ],
    }
    return render(request, "badges/award.html", context)


@require_POST
def set_public(request: HttpRequest, uid: UUID) -> HttpResponse:
    item = get_object_or_404(Award.objects.owned_by(_user(request)), uid=uid)
    services.award_set_public(award=item, public=request.POST.get("public") == "1")
    return redirect("badges:award", item.uid)


def _mine_context(user: User, **extra: Any) -> dict[str, Any]:
    return {
        "awards": Award.objects.owned_by(user).select_related("achievement", "organisation"),
        "imported": user.imported_badges.all(),
        "collections": user.badge_collections.prefetch_related("awards", "imported"),
        "import_error": "",
        "collection_error": "",
        **extra,
    }


def mine(request: HttpRequest) -> HttpResponse:
    """The person's backpack: badges from atout, badges imported from elsewhere, collections."""
    return render(request, "badges/mine.html", _mine_context(_user(request)))


@require_POST
def backpack_import(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    upload = request.FILES.get("file")
    text = request.POST.get("text", "").strip()
    try:
        if upload is not None:
            if upload.size and upload.size > MAX_UPLOAD:
                raise InputError("too_large", _("Ce fichier est trop gros (5 Mo au plus)."), 413)
            imported = services.backpack_import(owner=user, data=upload.read(MAX_UPLOAD + 1))
        elif text:
            url = text if text.startswith(("https://", "http://")) else ""
            imported = services.backpack_import(owner=user, data=text, source_url=url)
        else:
            raise InputError("empty", _("Choisis un fichier de badge ou colle-le, ou son lien."))
    except InputError as error:
        context = _mine_context(user, import_error=error.message)
        return render(request, "badges/mine.html", context, status=error.status)
    messages.success(request, _("« %(name)s » est vérifié et ajouté.") % {"name": imported.name})
    return redirect("badges:mine")


@require_POST
def backpack_recheck(request: HttpRequest, uid: UUID) -> HttpResponse:
    imported = get_object_or_404(_user(request).imported_badges, uid=uid)
    services.backpack_recheck(imported=imported)
    if imported.valid:
        messages.success(request, _("Vérifié à nouveau : toujours valide."))
    else:
        messages.error(request, _("Ce badge n'est plus valide (retiré ou expiré)."))
    return redirect("badges:mine")


@require_POST
def backpack_delete(request: HttpRequest, uid: UUID) -> HttpResponse:
    get_object_or_404(_user(request).imported_badges, uid=uid).delete()
    messages.success(request, _("Badge retiré de ton sac."))
    return redirect("badges:mine")


@login_not_required
def imported_image(request: HttpRequest, uid: UUID) -> HttpResponse:
    """An imported badge's image, for its owner or through a shared collection."""
    imported = get_object_or_404(ImportedBadge, uid=uid)
    if (
        imported.owner_id != getattr(request.user, "pk", None)
        and not imported.collections.filter(shared=True).exists()
    ):
        raise Http404
    if not imported.image:
        raise Http404
    response = HttpResponse(bytes(imported.image), content_type=imported.image_type)
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def collection_save(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    existing = None
    if request.POST.get("collection"):
        existing = get_object_or_404(user.badge_collections, uid=request.POST["collection"])
    try:
        collection = services.collection_save(
            owner=user,
            name=request.POST.get("name", ""),
            award_ids=request.POST.getlist("awards"),
            imported_ids=request.POST.getlist("imported"),
            shared=request.POST.get("shared") == "1",
            collection=existing,
        )
    except (InputError, ValidationError) as error:
        message = getattr(error, "message", _("Choix invalide."))
        status = getattr(error, "status", 400)
        context = _mine_context(user, collection_error=message)
        return render(request, "badges/mine.html", context, status=status)
    return redirect("badges:collection", collection.uid)


@login_not_required
def collection(request: HttpRequest, uid: UUID) -> HttpResponse:
    """A shared collection, for anyone with the link; private ones only for their owner."""
    item = get_object_or_404(Collection.objects.select_related("owner"), uid=uid)
    is_owner = item.owner_id == getattr(request.user, "pk", None)
    if not item.shared and not is_owner:
        raise Http404
    context = {
        "collection": item,
        "is_owner": is_owner,
        "awards": item.awards.select_related("achievement", "organisation"),
        "imported": item.imported.all(),
        "page_url": settings.SITE_URL + request.path,
    }
    return render(request, "badges/collection.html", context)


@require_POST
def claim(request: HttpRequest, assessment_pk: int) -> HttpResponse:
    """The person asks for the badge their assessed level opens (their consent)."""
    assessment = get_assessment_for_user(user=_user(request), pk=assessment_pk)
    try:
        item = services.award_for_assessment(assessment=assessment)
    except InputError as error:
        messages.error(request, error.message)
        return redirect("assessments:detail", assessment.pk)
    messages.success(request, _("Ton badge est prêt. Tu peux le télécharger et le partager."))
    return redirect("badges:award", item.uid)


@login_not_required
def achievement(request: HttpRequest, uid: UUID) -> HttpResponse:
    """A badge definition, the organisations that recommend it, and (for the admins and
    issuers of an organisation) a form to recommend it."""
    definition = get_object_or_404(Achievement.objects.select_related("skill"), uid=uid)
    endorsers = endorsing_organisations(user=_user(request))
    error, status = "", 200
    if request.method == "POST":
        organisation = next(
            (o for o in endorsers if o.slug == request.POST.get("organisation")), None
        )
        if organisation is None:
            raise Http404
        try:
            services.endorsement_create(
                organisation=organisation,
                achievement=definition,
                comment=request.POST.get("comment", ""),
                actor=_user(request),
            )
        except InputError as problem:
            error, status = problem.message, problem.status
        else:
            messages.success(request, _("Recommandation publiée, signée par ton organisation."))
            return redirect("badges:achievement", definition.uid)
    context = {
        "achievement": definition,
        "endorsements": definition.endorsements.select_related("organisation"),
        "endorsers": endorsers,
        "error": error,
    }
    return render(request, "badges/achievement.html", context, status=status)


@login_not_required
def achievement_image(request: HttpRequest, uid: UUID) -> HttpResponse:
    definition = get_object_or_404(Achievement.objects.select_related("skill"), uid=uid)
    return HttpResponse(services.achievement_art(definition)[0], content_type="image/png")


@login_not_required
@csrf_exempt  # a public form that changes nothing
def verifier(request: HttpRequest) -> HttpResponse:
    """Drop a badge (PNG, SVG, JSON, JWT) or paste it or its link: we say what holds."""
    report = None
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        text = request.POST.get("text", "").strip()
        email = request.POST.get("email", "").strip() or None
        data: bytes | str | None = None
        if upload is not None:
            if upload.size and upload.size > MAX_UPLOAD:
                error = _("Ce fichier est trop gros (5 Mo au plus).")
            else:
                data = upload.read(MAX_UPLOAD + 1)
        elif text:
            data = text
        else:
            error = _("Choisis un fichier de badge ou colle-le, ou son lien.")
        if data is not None:
            report = report_summary(ob_verify.verify(data, email=email, resolver=site_resolver()))
    status = 400 if error else 200
    return render(
        request, "badges/verifier.html", {"report": report, "error": error}, status=status
    )


def _may_see_evidence(evidence: EvidenceFile, user: Any) -> bool:
    if evidence.awards.filter(public=True, show_evidence=True).exists():
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if evidence.owner_id == user.pk or evidence.awards.filter(recipient=user).exists():
        return True
    return (
        evidence.organisation_id is not None
        and Membership.objects.filter(user=user, organisation_id=evidence.organisation_id).exists()
    )


@login_not_required
def evidence(request: HttpRequest, uid: UUID) -> HttpResponse:
    """An evidence file: for the person and the issuing organisation, and for everyone
    once the person shows it on a public badge page."""
    item = get_object_or_404(EvidenceFile, uid=uid)
    if not _may_see_evidence(item, request.user):
        raise Http404
    response = HttpResponse(bytes(item.content), content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    disposition = (
        "inline" if item.content_type.startswith(("image/", "video/", "audio/")) else "attachment"
    )
    response["Content-Disposition"] = (
        f'{disposition}; filename="preuve-{item.uid}.{item.extension}"'
    )
    return response


@require_POST
def evidence_add(request: HttpRequest, assessment_pk: int) -> HttpResponse:
    """The person adds a photo, video, sound or PDF to an assessment; it goes with the badge."""
    assessment = get_assessment_for_user(user=_user(request), pk=assessment_pk)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise InputError("empty", _("Choisis un fichier."))
        services.evidence_upload(
            upload=upload,
            name=request.POST.get("name", ""),
            owner=assessment.owner,
            assessment=assessment,
        )
    except (InputError, UploadRefused) as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Preuve ajoutée. Elle ira avec ton badge."))
    return redirect("assessments:detail", assessment.pk)


@require_POST
def evidence_delete(request: HttpRequest, uid: UUID) -> HttpResponse:
    item = get_object_or_404(EvidenceFile, uid=uid, owner=_user(request))
    assessment_pk = item.assessment_id
    item.delete()
    messages.success(request, _("Preuve supprimée."))
    if assessment_pk:
        return redirect("assessments:detail", assessment_pk)
    return redirect("badges:mine")


@require_POST
def set_show_evidence(request: HttpRequest, uid: UUID) -> HttpResponse:
    item = get_object_or_404(Award.objects.owned_by(_user(request)), uid=uid)
    services.award_set_show_evidence(award=item, show=request.POST.get("show") == "1")
    return redirect("badges:award", item.uid)
