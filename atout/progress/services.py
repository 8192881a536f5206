"""Writes: the catalogue (imports, demo) and what a person keeps, does and tells."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atout.accounts.models import User
from atout.core.errors import InputError
from atout.experiences import services as experience_services
from atout.experiences.models import ChatSession, Experience
from atout.referentiel.models import Skill

from .importers import FRAMEWORK, Entry
from .models import Opportunity, SavedItem

# Entry fields copied as they are onto an Opportunity.
FIELDS = (
    "kind",
    "rome_codes",
    "title",
    "description",
    "url",
    "language",
    "duration",
    "remote",
    "departement",
    "place",
    "audience",
    "organisation",
    "starts_on",
    "ends_on",
    "places",
    "active",
)


@dataclass(frozen=True)
class WriteCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} new, {self.updated} updated, {self.unchanged} unchanged"


def _values(entry: Entry) -> dict[str, object]:
    values: dict[str, object] = {name: getattr(entry, name) for name in FIELDS}
    values["raw_skills"] = list(entry.raw_skills)
    return values


@transaction.atomic
def catalogue_write(
    *, entries: Sequence[Entry], source: str, write: bool = True, update_existing: bool = True
) -> WriteCounts:
    """Create or update the rows of ``source`` matched by ``external_id``; with ``write``
    False, only count what would change. Rows of ``source`` absent from ``entries`` are left
    as they are. Entries come checked from ``importers`` (skill codes exist)."""
    existing = {
        o.external_id: o
        for o in Opportunity.objects.filter(source=source).prefetch_related("skills")
    }
    skill_ids = dict(Skill.objects.filter(framework__code=FRAMEWORK).values_list("code", "pk"))
    new: list[Entry] = []
    changed: list[tuple[Opportunity, Entry]] = []
    unchanged = 0
    for entry in entries:
        row = existing.get(entry.external_id)
        if row is None:
            new.append(entry)
        elif not update_existing or _same(row, entry):
            unchanged += 1
        else:
            changed.append((row, entry))
    counts = WriteCounts(created=len(new), updated=len(changed), unchanged=unchanged)
    if not write:
        return counts
    created = Opportunity.objects.bulk_create(
        [
            Opportunity(source=source, external_id=entry.external_id, **_values(entry))
            for entry in new
        ]
    )
    now = timezone.now()
    for row, entry in changed:
        for name, value in _values(entry).items():
            setattr(row, name, value)
        row.updated_at = now
    Opportunity.objects.bulk_update(
        [row for row, _entry in changed], [*FIELDS, "raw_skills", "updated_at"], batch_size=500
    )
    links = Opportunity.skills.through
    links.objects.filter(opportunity_id__in=[row.pk for row, _entry in changed]).delete()
    links.objects.bulk_create(
        [
            links(opportunity_id=row.pk, skill_id=skill_ids[code])
            for row, entry in [*zip(created, new, strict=True), *changed]
            for code in entry.skills
        ],
        batch_size=1000,
    )
    return counts


def _same(row: Opportunity, entry: Entry) -> bool:
    codes = {skill.code for skill in row.skills.all()}
    return codes == set(entry.skills) and all(
        getattr(row, name) == value for name, value in _values(entry).items()
    )


# What a person keeps ------------------------------------------------------------------------


def saved_item_save(*, owner: User, opportunity: Opportunity) -> SavedItem:
    """Keep a resource or mission (again: nothing changes)."""
    saved, _created = SavedItem.objects.get_or_create(owner=owner, opportunity=opportunity)
    return saved


def saved_item_mark_done(*, saved_item: SavedItem) -> SavedItem:
    if not saved_item.is_done:
        saved_item.status = SavedItem.Status.DONE
        saved_item.done_at = timezone.now()
        saved_item.save(update_fields=["status", "done_at"])
    return saved_item


def saved_item_remove(*, saved_item: SavedItem) -> None:
    saved_item.delete()


def saved_item_tell(*, saved_item: SavedItem, lang: str = "fr") -> ChatSession:
    """Start (or resume) the chat that turns a done mission into an experience."""
    if not (saved_item.is_done and saved_item.opportunity.is_mission):
        raise InputError(
            "not_done_mission", _("Seule une mission que tu as faite peut être racontée."), 409
        )
    chat = saved_item.chat
    if chat is None or chat.finished:
        chat = experience_services.chat_start(owner=saved_item.owner, lang=lang).session
        saved_item.chat = chat
        saved_item.save(update_fields=["chat"])
    return chat


def saved_item_link_experience(*, saved_item: SavedItem, experience: Experience) -> SavedItem:
    """Link a done mission to an experience the person already told."""
    if experience.owner_id != saved_item.owner_id:
        raise InputError("not_yours", _("Cette expérience n'est pas la tienne."), 404)
    if not (saved_item.is_done and saved_item.opportunity.is_mission):
        raise InputError(
            "not_done_mission", _("Seule une mission que tu as faite peut être reliée."), 409
        )
    saved_item.experience = experience
    saved_item.save(update_fields=["experience"])
    return saved_item
