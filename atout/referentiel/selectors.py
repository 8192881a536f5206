from django.db.models import Prefetch
from django.http import Http404

from .models import Family, Framework, Skill


def get_public_framework(*, code: str) -> Framework:
    framework = Framework.objects.public().filter(code=code).first()
    if framework is None:
        raise Http404
    return framework


def framework_families(*, framework: Framework) -> list[Family]:
    return list(
        framework.families.prefetch_related(
            Prefetch(
                "skills", queryset=Skill.objects.select_related("framework").order_by("position")
            )
        )
    )


def get_public_skill(*, framework_code: str, code: str) -> Skill:
    skill = (
        Skill.objects.select_related("framework", "family")
        .prefetch_related("behaviours", "items")
        .filter(framework__in=Framework.objects.public(), framework__code=framework_code, code=code)
        .first()
    )
    if skill is None:
        raise Http404
    return skill
