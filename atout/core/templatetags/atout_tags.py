from typing import Any

from django import template

register = template.Library()


@register.filter
def tr(obj: Any, field: str) -> str:
    """``{{ skill|tr:"label" }}``: the field in the active language, French as fallback."""
    return str(obj.tr(field))
