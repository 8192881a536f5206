from collections import Counter
from typing import Any

from django.shortcuts import get_object_or_404

from atout.accounts.models import User

from .models import ChatSession, Experience, ExperienceSkill


def get_experience_for_user(*, user: User, pk: int) -> Experience:
    """The person's own experience, or 404: nobody reads another person's experiences."""
    return get_object_or_404(Experience.objects.owned_by(user), pk=pk)


def get_chat_for_user(*, user: User, pk: int) -> ChatSession:
    return get_object_or_404(ChatSession.objects.owned_by(user), pk=pk)


def open_chat(*, user: User) -> ChatSession | None:
    return ChatSession.objects.owned_by(user).filter(finished=False).first()


def portfolio_counts(*, user: User) -> list[tuple[Any, int]]:
    """(skill, number of experiences where the person confirmed it), most shown first."""
    links = ExperienceSkill.objects.filter(experience__owner=user, confirmed=True).select_related(
        "skill"
    )
    counts = Counter(link.skill for link in links)
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0].label_fr))
