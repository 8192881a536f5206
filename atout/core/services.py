from typing import Any

from django.db import models

from .models import LogEntry


def log_action(
    *,
    action: str,
    obj: models.Model | None = None,
    actor: Any = None,
    organisation: Any = None,
    data: dict[str, Any] | None = None,
) -> LogEntry:
    """Write one audit-log line. ``actor`` is a user or None (system, command line)."""
    return LogEntry.objects.create(
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        organisation=organisation,
        data=data or {},
    )
