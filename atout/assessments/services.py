"""Everything that changes assessments: self answers, referents, level decisions, reminders."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from atout.accounts.models import User
from atout.core.errors import InputError
from atout.core.services import log_action
from atout.core.tokens import LinkError, find_one_time, new_token, use_once
from atout.experiences.models import Experience
from atout.referentiel.models import Item, Skill

from . import rules as R
from .models import Assessment, Decision, Referent, Relation

FRAMEWORK = "atout"
MAX_COMMENT = 2_000


class ReferentLinkError(LinkError):
    """The referent's link is unknown, used or expired; or the assessment is ``closed``."""


def items_of(assessment: Assessment) -> list[Item]:
    return list(assessment.skill.items.all())


def rules_of(skill: Skill) -> R.Rules:
    return R.rules_for(skill.framework.assessment_rules, skill.assessment_rules)


def _check_answers(items: list[Item], answers: Any, allowed: Iterable[int]) -> dict[str, int]:
    """Every item answered with a value of the scale, nothing else; else ``InputError``."""
    allowed = tuple(allowed)
    if not isinstance(answers, dict):
        raise InputError("invalid", _("Les réponses sont illisibles."))
    codes = [item.code for item in items]
    unknown = sorted(set(answers) - set(codes))
    if unknown:
        raise InputError(
            "unknown_item", _("Question inconnue : %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    missing = [code for code in codes if code not in answers or answers[code] in (None, "")]
    if missing:
        raise InputError(
            "missing_answers",
            _("Il manque %(n)s réponse(s). Réponds à chaque phrase, puis envoie.")
            % {"n": len(missing)},
        )
    clean: dict[str, int] = {}
    for code in codes:
        value = answers[code]
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = -1
        if isinstance(value, bool) or str(number) != str(value).strip() or number not in allowed:
            raise InputError(
                "off_scale",
                _("La réponse « %(value)s » n'est pas sur l'échelle (%(scale)s).")
                % {"value": value, "scale": ", ".join(str(v) for v in allowed)},
            )
        clean[code] = number
    return clean


@transaction.atomic
def assessment_start(
    *, owner: User, skill_code: str, experience: Experience | None = None
) -> Assessment:
    """Open an assessment of one skill. One open assessment per skill: 409 when it exists."""
    skill = (
        Skill.objects.select_related("framework")
        .filter(framework__code=FRAMEWORK, code=skill_code)
        .first()
    )
    if skill is None:
        raise InputError(
            "unknown_skill", _("Compétence inconnue : %(code)s.") % {"code": skill_code}, 404
        )
    if not skill.items.exists():
        raise InputError("no_items", _("Cette compétence n'a pas encore de questionnaire."), 409)
    if experience is not None and experience.owner_id != owner.pk:
        raise InputError("unknown_experience", _("Expérience inconnue."), 404)
    existing = Assessment.objects.filter(owner=owner, skill=skill, status=Assessment.Status.OPEN)
    if existing.exists():
        raise InputError(
            "already_open",
            _("Tu as déjà une évaluation en cours pour cette compétence (n° %(id)s).")
            % {"id": existing.get().pk},
            409,
        )
    assessment = Assessment.objects.create(owner=owner, skill=skill, experience=experience)
    log_action(action="assessment.started", obj=assessment, actor=owner, data={"skill": skill.code})
    return assessment


def _check_open(assessment: Assessment) -> None:
    if not assessment.is_open:
        raise InputError("closed", _("Cette évaluation est terminée."), 409)


@transaction.atomic
def assessment_answer_self(*, assessment: Assessment, answers: Any) -> Decision:
    """Store the person's own answers (all items, 1–4) and decide the level."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _check_open(assessment)
    clean = _check_answers(items_of(assessment), answers, R.SCALE)
    assessment.self_answers = clean
    assessment.self_done_at = timezone.now()
    assessment.save(update_fields=["self_answers", "self_done_at", "updated_at"])
    return assessment_decide(assessment=assessment)


def _send_referent_email(referent: Referent, token: str, *, reminder: bool = False) -> None:
    assessment = referent.assessment
    url = settings.SITE_URL + reverse("assessments:referent", args=[token])
    with translation.override(referent.lang):
        context = {
            "referent": referent,
            "person": assessment.owner.first_name or _("Une personne"),
            "skill": assessment.skill.tr("label"),
            "definition": assessment.skill.tr("definition"),
            "relation": referent.get_relation_display(),
            "url": url,
            "expires_at": referent.expires_at,
            "items": assessment.skill.items.count(),
            "reminder": reminder,
        }
        subject = render_to_string("assessments/emails/referent_subject.txt", context).strip()
        body = render_to_string("assessments/emails/referent.txt", context)
    send_mail(subject, body, None, [referent.email])


@transaction.atomic
def referent_invite(
    *,
    assessment: Assessment,
    name: str,
    email: str,
    relation: str,
    experience: Experience | None = None,
    lang: str | None = None,
) -> Referent:
    """Ask someone who saw the person act for their view; they get a one-time link by email."""
    assessment = (
        Assessment.objects.select_for_update()
        .select_related("owner", "skill")
        .get(pk=assessment.pk)
    )
    owner = assessment.owner
    _check_open(assessment)
    if not assessment.self_done:
        raise InputError(
            "self_first",
            _("Réponds d'abord toi-même au questionnaire, puis invite tes référents."),
            409,
        )
    name = " ".join(name.split())[:120]
    if not name:
        raise InputError("name_missing", _("Indique le nom de la personne."))
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise InputError("email_invalid", _("Cette adresse e-mail n'est pas valide.")) from None
    if relation not in Relation.values:
        raise InputError("relation_invalid", _("Choisis la relation dans la liste."))
    if lang not in (None, "", "fr", "en"):
        raise InputError("lang_invalid", _("Langue inconnue : choisis fr ou en."))
    if experience is not None and experience.owner_id != owner.pk:
        raise InputError("unknown_experience", _("Expérience inconnue."), 404)
    identity = R.email_identity(email)
    if identity == R.email_identity(owner.email):
        raise InputError(
            "self_invite",
            _("Tu ne peux pas t'inviter toi-même : demande à une personne qui t'a vu agir."),
        )
    if assessment.referents.filter(identity=identity).exists():
        raise InputError(
            "already_invited", _("Cette personne est déjà invitée pour cette évaluation."), 409
        )
    since = timezone.now() - datetime.timedelta(days=1)
    sent_today = Referent.objects.filter(assessment__owner=owner, created_at__gte=since).count()
    if sent_today >= settings.ATOUT_REFERENT_INVITES_PER_DAY:
        raise InputError(
            "rate_limited",
            _("Tu as envoyé %(n)s invitations en 24 heures. Réessaie demain.") % {"n": sent_today},
            429,
        )
    token, token_hash = new_token()
    try:
        with transaction.atomic():
            referent = Referent.objects.create(
                assessment=assessment,
                name=name,
                email=email,
                identity=identity,
                relation=relation,
                experience=experience,
                lang=lang or owner.language,
                token_hash=token_hash,
                expires_at=timezone.now()
                + datetime.timedelta(days=settings.ATOUT_REFERENT_LINK_DAYS),
            )
    except IntegrityError:  # the same person invited twice at the same moment
        raise InputError(
            "already_invited", _("Cette personne est déjà invitée pour cette évaluation."), 409
        ) from None
    _send_referent_email(referent, token)
    log_action(
        action="assessment.referent_invited",
        obj=assessment,
        actor=owner,
        data={"referent_id": referent.pk, "relation": relation},
    )
    return referent


def referent_peek(*, token: str) -> Referent:
    """The referent behind a link, if it can still be answered; notes when it was first opened."""
    referent: Referent = find_one_time(
        Referent.objects.select_related("assessment__owner", "assessment__skill"),
        token,
        used_field="answered_at",
        error=ReferentLinkError,
        hash_fields=("token_hash", "first_token_hash"),
    )
    if not referent.assessment.is_open:
        raise ReferentLinkError("closed")
    if referent.opened_at is None:
        referent.opened_at = timezone.now()
        Referent.objects.filter(pk=referent.pk, opened_at__isnull=True).update(
            opened_at=referent.opened_at
        )
    return referent


@transaction.atomic
def referent_answer(
    *, token: str, answers: Any, comment: str = "", endorses: bool = False
) -> Referent:
    """Store a referent's answers once, flag answers given too fast, decide the level again."""
    referent = referent_peek(token=token)
    items = items_of(referent.assessment)
    clean = _check_answers(items, answers, (R.DONT_KNOW, *R.SCALE))
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise InputError(
            "comment_too_long",
            _("Le commentaire est trop long (%(n)s caractères, %(max)s au plus).")
            % {"n": len(comment), "max": MAX_COMMENT},
        )
    use_once(referent, used_field="answered_at", error=ReferentLinkError)
    referent.refresh_from_db(fields=["answered_at", "opened_at"])
    assert referent.answered_at is not None and referent.opened_at is not None
    seconds = (referent.answered_at - referent.opened_at).total_seconds()
    referent.too_fast = R.too_fast(seconds, len(items), rules_of(referent.assessment.skill))
    referent.answers, referent.comment, referent.endorses = clean, comment, bool(endorses)
    referent.save(update_fields=["answers", "comment", "endorses", "too_fast"])
    log_action(
        action="assessment.referent_answered",
        obj=referent.assessment,
        data={
            "referent_id": referent.pk,
            "too_fast": referent.too_fast,
            "endorses": referent.endorses,
        },
    )
    assessment_decide(assessment=referent.assessment)
    return referent


def _inputs(
    assessment: Assessment, referents: list[Referent], items: list[str]
) -> tuple[list[int] | None, list[R.ReferentAnswers]]:
    self_values = [assessment.self_answers[c] for c in items] if assessment.self_done else None
    answers = [
        R.ReferentAnswers(
            identity=ref.identity,
            values=tuple(ref.answers.get(c, R.DONT_KNOW) for c in items),
            seconds=None
            if ref.opened_at is None or ref.answered_at is None
            else (ref.answered_at - ref.opened_at).total_seconds(),
        )
        for ref in referents
        if ref.answered_at is not None
    ]
    return self_values, answers


def _decision_row(
    assessment: Assessment,
    rules: R.Rules,
    items: list[str],
    referents: list[Referent],
    rules_data: dict[str, Any] | None = None,
) -> tuple[Decision, R.Decision]:
    self_values, answers = _inputs(assessment, referents, items)
    outcome = R.decide(
        self_values, answers, rules, person_identity=R.email_identity(assessment.owner.email)
    )
    row = Decision(
        assessment=assessment,
        level=outcome.level,
        rule_version=outcome.rule_version,
        rules=rules_data if rules_data is not None else asdict(rules),
        inputs={
            "items": items,
            "self": self_values,
            "referents": [
                {
                    "referent_id": ref.pk,
                    "relation": ref.relation,
                    "values": list(a.values),
                    "seconds": a.seconds,
                }
                for ref, a in zip([r for r in referents if r.answered_at], answers, strict=True)
            ],
        },
        outcome=outcome.as_dict(),
    )
    return row, outcome


LevelHook = Callable[[Assessment, Decision], None]


def _level_hooks() -> list[LevelHook]:
    return [import_string(path) for path in settings.ATOUT_LEVEL_HOOKS]


def assessment_decide(*, assessment: Assessment) -> Decision:
    """Decide the level from the stored answers under the skill's rules; store and log why.

    When the level reaches the rules' ``badge_level`` and is higher than before, each
    function named in ``settings.ATOUT_LEVEL_HOOKS`` is called with ``(assessment,
    decision)`` once the transaction commits: that is how badges get issued.
    """
    caller, assessment = (
        assessment,
        Assessment.objects.select_related("owner", "skill__framework").get(pk=assessment.pk),
    )  # decide on what is stored, not on a stale copy
    skill = assessment.skill
    items = [item.code for item in skill.items.all()]
    referents = list(assessment.referents.all())
    rules = rules_of(skill)
    row, outcome = _decision_row(assessment, rules, items, referents)
    with transaction.atomic():
        row.save()
        previous = assessment.level
        assessment.level, assessment.decided_at = outcome.level, row.created_at
        caller.level, caller.decided_at = assessment.level, assessment.decided_at
        Assessment.objects.filter(pk=assessment.pk).update(
            level=assessment.level, decided_at=assessment.decided_at
        )
        log_action(
            action="assessment.decided",
            obj=assessment,
            data={"decision_id": row.pk, "level": outcome.level, "rule_version": rules.version},
        )
        if outcome.badge_possible and (previous or 0) < outcome.level:
            for hook in _level_hooks():
                transaction.on_commit(lambda hook=hook: hook(assessment, row))  # type: ignore[misc]
    return row


def assessment_decide_many(*, queryset: "QuerySet[Assessment]", chunk: int = 1000) -> int:
    """Decide many assessments in batches (after a rule change, or in the benchmark).

    Each chunk is read with its skills, rules, items and referents in a few queries and
    written with one bulk insert and one bulk update. No hooks are called.
    """
    done = 0
    queryset = queryset.select_related("owner", "skill__framework").prefetch_related(
        "skill__items", "referents"
    )
    ids = list(queryset.values_list("pk", flat=True))
    per_skill: dict[int, tuple[R.Rules, dict[str, Any], list[str]]] = {}
    for start in range(0, len(ids), chunk):
        batch = list(queryset.filter(pk__in=ids[start : start + chunk]))
        rows = []
        by_level: dict[int, list[int]] = {}
        for assessment in batch:
            skill = assessment.skill
            if skill.pk not in per_skill:
                rules = rules_of(skill)
                items = [item.code for item in skill.items.all()]
                per_skill[skill.pk] = (rules, asdict(rules), items)
            rules, rules_data, items = per_skill[skill.pk]
            row, outcome = _decision_row(
                assessment, rules, items, list(assessment.referents.all()), rules_data
            )
            rows.append(row)
            by_level.setdefault(outcome.level, []).append(assessment.pk)
        with transaction.atomic():
            Decision.objects.bulk_create(rows, batch_size=chunk)
            now = timezone.now()
            for level, pks in by_level.items():
                Assessment.objects.filter(pk__in=pks).update(level=level, decided_at=now)
        done += len(batch)
    return done


@transaction.atomic
def assessment_close(*, assessment: Assessment) -> None:
    """No more answers: open links then say the assessment is over (409)."""
    if assessment.is_open:
        assessment.status = Assessment.Status.CLOSED
        assessment.save(update_fields=["status", "updated_at"])
        log_action(action="assessment.closed", obj=assessment, actor=assessment.owner)


@transaction.atomic
def assessment_delete(*, assessment: Assessment) -> None:
    """Delete the assessment, its referents' answers and its decisions."""
    log_action(
        action="assessment.deleted",
        actor=assessment.owner,
        data={"assessment_id": assessment.pk, "skill": assessment.skill.code},
    )
    assessment.delete()


def assessment_set_reminders(*, assessment: Assessment, on: bool) -> None:
    assessment.reminders = on
    assessment.save(update_fields=["reminders", "updated_at"])


def assessment_set_auto_badge(*, assessment: Assessment, on: bool) -> None:
    """The person's consent to receive the badge as soon as the level opens it."""
    assessment.auto_badge = on
    assessment.save(update_fields=["auto_badge", "updated_at"])
    log_action(
        action="assessment.auto_badge", obj=assessment, actor=assessment.owner, data={"on": on}
    )


def referents_due_reminder(*, now: datetime.datetime | None = None) -> Any:
    """Referents who have not answered a week after the invitation and were never reminded."""
    now = now or timezone.now()
    return Referent.objects.filter(
        answered_at__isnull=True,
        reminded_at__isnull=True,
        expires_at__gt=now,
        created_at__lte=now - datetime.timedelta(days=settings.ATOUT_REFERENT_REMINDER_DAYS),
        assessment__status=Assessment.Status.OPEN,
        assessment__reminders=True,
    ).select_related("assessment__owner", "assessment__skill")


def referents_remind(*, now: datetime.datetime | None = None) -> int:
    """Send the one reminder each due referent gets. Tokens are not stored, so the reminder
    holds a fresh link; the first link keeps working (its hash moves to ``first_token_hash``)."""
    sent = 0
    for referent in referents_due_reminder(now=now):
        with transaction.atomic():
            token, token_hash = new_token()
            updated = Referent.objects.filter(
                pk=referent.pk, reminded_at__isnull=True, answered_at__isnull=True
            ).update(
                first_token_hash=F("token_hash"), token_hash=token_hash, reminded_at=timezone.now()
            )
            if not updated:
                continue
            referent.token_hash = token_hash
            _send_referent_email(referent, token, reminder=True)
            log_action(
                action="assessment.referent_reminded",
                obj=referent.assessment,
                data={"referent_id": referent.pk},
            )
            sent += 1
    return sent
