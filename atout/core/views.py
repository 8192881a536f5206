from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"referentiel_url": reverse("referentiel:index")})


@login_not_required
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch language; a signed-in person keeps the choice on their account."""
    language = request.POST.get("language")
    user = request.user
    if user.is_authenticated and language in {"fr", "en"} and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    response = django_set_language(request)
    return response  # type: ignore[return-value]
