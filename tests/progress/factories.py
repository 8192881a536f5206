import factory

from atout.progress.models import Opportunity, SavedItem
from atout.referentiel.models import Skill


class OpportunityFactory(factory.django.DjangoModelFactory):
    """A remote MOOC by default; ``skills`` takes référentiel codes (the atout framework
    must be loaded: use the ``default_framework`` fixture)."""

    class Meta:
        model = Opportunity
        skip_postgeneration_save = True

    kind = "mooc"
    title = factory.Sequence(lambda n: f"Ressource {n:03d}")
    description = "Pour apprendre."
    url = "https://www.fun-mooc.fr/"
    remote = True
    source = "admin"

    class Params:
        mission = factory.Trait(kind="volunteering", organisation="Association (test)")
        in_93 = factory.Trait(remote=False, departement="93", place="Saint-Denis")
        in_75 = factory.Trait(remote=False, departement="75", place="Paris")

    @factory.post_generation
    def skills(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.skills.set(Skill.objects.filter(framework__code="atout", code__in=extracted))


class SavedItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SavedItem

    opportunity = factory.SubFactory(OpportunityFactory)
