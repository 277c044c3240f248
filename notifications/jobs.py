"""Jobs of the notifications app (registered in portal.jobs)."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from portal.jobs import JobResult, job

from . import services

#: A reminder undelivered this long after creation has lost its task or used its retries.
STALE_AFTER = timedelta(hours=1)
#: After this long an undelivered reminder is left for staff (admin → reminder log).
GIVE_UP_AFTER = timedelta(days=7)


@job(
    "reminder_requeue",
    description=_("Send again the e-mails and text messages not delivered within an hour"),
)
def reminder_requeue(*, now, dry_run):
    count = services.reminders_requeue(
        now=now, stale_after=STALE_AFTER, give_up_after=GIVE_UP_AFTER, dry_run=dry_run
    )
    return JobResult(done=count)


@job(
    "term_expiry",
    description=_(
        "Remind holders, secretaries and staff of offices ending in 60, 30 and 7 days; "
        "withdraw the scope of ended offices"
    ),
)
def term_expiry(*, now, dry_run):
    from . import office_reminders

    result = office_reminders.term_expiry_run(
        today=office_reminders.local_today(now), dry_run=dry_run
    )
    return JobResult(
        done=result.reminded + result.scopes_revoked + result.scopes_granted,
        skipped=result.already,
    )
