import factory

from atout.organisations.models import Membership, Organisation, Role


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Association {n}")
    slug = factory.Sequence(lambda n: f"association-{n}")
    kind = Organisation.Kind.ASSOCIATION


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory("tests.accounts.factories.UserFactory")
    role = Role.COUNSELLOR

    class Params:
        admin = factory.Trait(role=Role.ADMIN)
        issuer = factory.Trait(role=Role.ISSUER)
