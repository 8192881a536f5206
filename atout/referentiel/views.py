from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .models import Framework
from .selectors import framework_families, get_public_framework, get_public_skill

DEFAULT = "atout"


@login_not_required
def index(request: HttpRequest) -> HttpResponse:
    if Framework.objects.public().filter(code=DEFAULT).exists():
        return redirect("referentiel:framework", DEFAULT)
    frameworks = Framework.objects.public()
    return render(request, "referentiel/index.html", {"frameworks": frameworks})


@login_not_required
def framework_detail(request: HttpRequest, framework: str) -> HttpResponse:
    fw = get_public_framework(code=framework)
    context = {
        "framework": fw,
        "levels": fw.levels.all(),
        "families": framework_families(framework=fw),
        "others": Framework.objects.public().exclude(pk=fw.pk),
    }
    return render(request, "referentiel/framework.html", context)


@login_not_required
def skill_detail(request: HttpRequest, framework: str, skill: str) -> HttpResponse:
    sk = get_public_skill(framework_code=framework, code=skill)
    behaviours = list(sk.behaviours.all())
    levels = [
        {"level": level, "behaviours": [b for b in behaviours if b.level == level.number]}
        for level in sk.framework.levels.all()
    ]
    return render(
        request,
        "referentiel/skill.html",
        {"skill": sk, "framework": sk.framework, "levels": levels, "items": sk.items.all()},
    )
