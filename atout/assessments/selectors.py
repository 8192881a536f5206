from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from atout.accounts.models import User
from atout.referentiel.models import Level

from .models import Assessment, Decision


def get_assessment_for_user(*, user: User, pk: int) -> Assessment:
    """The person's own assessment, or 404: nobody else reads it, not even a referent."""
    return get_object_or_404(
        Assessment.objects.owned_by(user).select_related("skill__framework", "experience"), pk=pk
    )


def assessments_of(*, user: User) -> QuerySet[Assessment]:
    return (
        Assessment.objects.owned_by(user)
        .select_related("skill")
        .annotate(
            invited=Count("referents"),
            answered=Count("referents", filter=Q(referents__answered_at__isnull=False)),
        )
    )


def latest_decision(*, assessment: Assessment) -> Decision | None:
    return assessment.decisions.first()


def level_labels(*, framework_id: int) -> dict[int, Level]:
    return {level.number: level for level in Level.objects.filter(framework_id=framework_id)}
