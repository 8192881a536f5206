import factory

from atout.accounts.models import User

PASSWORD = "un-mot-de-passe-solide-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name", locale="fr_FR")
    language = "fr"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    class Params:
        english = factory.Trait(language="en")
        staff = factory.Trait(is_staff=True, is_superuser=True)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()
