"""python manage.py runjob NAME [--dry-run] | runjob --list

Prints one summary line, ``NAME: N done, M skipped``; errors go to stderr and make the
exit status non-zero.
"""

from django.core.management.base import BaseCommand, CommandError

from portal import jobs
from portal.models import JobRun


class Command(BaseCommand):
    help = "Run a registered periodic job once (the same code the beat schedule runs)."

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", help="job name (see --list)")
        parser.add_argument(
            "--dry-run", action="store_true", help="find what is due, change nothing"
        )
        parser.add_argument("--list", action="store_true", help="list the registered jobs")

    def handle(self, *args, name=None, dry_run=False, list=False, **options):
        if list:
            for registered in jobs.all_jobs():
                self.stdout.write(f"{registered.name}\t{registered.description}")
            return
        if not name:
            raise CommandError("Give the name of a job, or --list to see them.")
        try:
            run = jobs.run_job(name, dry_run=dry_run, trigger=JobRun.Trigger.COMMAND)
        except KeyError as exc:
            raise CommandError(exc.args[0]) from None
        self.stdout.write(f"{name}: {run.done} done, {run.skipped} skipped")
        if run.status == JobRun.Status.SKIPPED:
            self.stderr.write(f"{name}: {run.note}; this run did nothing.")
        if dry_run:
            self.stderr.write(f"{name}: dry run, nothing was changed.")
        if run.status == JobRun.Status.FAILED:
            raise CommandError(run.errors or "the job failed")
