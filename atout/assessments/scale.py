from django.utils.translation import gettext as _

from . import rules as R


def scale(*, dont_know: bool = False) -> list[dict[str, object]]:
    """The answer scale, as shown on pages and returned by the API."""
    labels = {
        1: _("Rarement ou jamais"),
        2: _("Parfois"),
        3: _("Souvent"),
        4: _("Presque toujours"),
        R.DONT_KNOW: _("Je ne sais pas, je ne l'ai pas vu"),
    }
    values = [*R.SCALE, R.DONT_KNOW] if dont_know else list(R.SCALE)
    return [{"value": v, "label": labels[v]} for v in values]
