"""Background work: issuing a list of badges (run by `atout db_worker`)."""

from django.utils import timezone
from django_tasks import task

from atout.core.errors import InputError

from .models import BulkIssue


@task()
def run_bulk_issue(uid: str) -> int:
    """Issue every row of a ``BulkIssue``, each in its own transaction, saving progress as
    it goes; a row that fails is recorded and the others go on. Returns the number issued."""
    from . import services

    job = BulkIssue.objects.select_related("organisation", "achievement", "issued_by").get(uid=uid)
    job.status = BulkIssue.Status.RUNNING
    job.save(update_fields=["status"])
    files = list(job.files.all())
    for email, evidence in job.rows[job.done + len(job.failed) :]:
        try:
            services.awards_issue_many(
                achievement=job.achievement,
                organisation=job.organisation,
                rows=[(email, evidence)],
                issued_by=job.issued_by,
                files=files,
            )
        except (InputError, ValueError) as error:
            job.failed.append({"email": email, "reason": str(getattr(error, "message", error))})
        else:
            job.done += 1
        job.save(update_fields=["done", "failed"])
    job.status = BulkIssue.Status.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "finished_at"])
    return job.done
