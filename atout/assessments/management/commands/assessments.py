from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from atout.assessments import services
from atout.assessments.models import Assessment


class Command(BaseCommand):
    help = (
        "Assessments. `remind` sends the one reminder due to referents who have not answered "
        "after 7 days (run it daily, e.g. from cron); `decide` decides levels again after a "
        "rule change. Both only write with --wet-run."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True, metavar="{remind,decide}")
        remind = sub.add_parser("remind", help="Email the reminders that are due.")
        remind.add_argument("--wet-run", action="store_true", help="Send them (else: count).")
        decide = sub.add_parser("decide", help="Decide the level of open assessments again.")
        decide.add_argument("--skill", help="Only this skill code.")
        decide.add_argument("--all", action="store_true", help="Closed assessments too.")
        decide.add_argument("--wet-run", action="store_true", help="Write (else: count).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["what"] == "remind":
            if not options["wet_run"]:
                due = services.referents_due_reminder().count()
                self.stdout.write(f"{due} reminder(s) due. Add --wet-run to send them.")
                return
            self.stdout.write(f"{services.referents_remind()} reminder(s) sent.")
            return
        queryset = Assessment.objects.filter(self_done_at__isnull=False)
        if not options["all"]:
            queryset = queryset.filter(status=Assessment.Status.OPEN)
        if options["skill"]:
            queryset = queryset.filter(skill__code=options["skill"])
        if not options["wet_run"]:
            self.stdout.write(f"{queryset.count()} assessment(s) to decide. Add --wet-run.")
            return
        done = services.assessment_decide_many(queryset=queryset)
        self.stdout.write(f"{done} assessment(s) decided.")
