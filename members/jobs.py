"""Jobs of the members app (registered in portal.jobs).

``application_review_deadline`` (daily): an application waiting at one review stage (the
association's review by its secretaries, or the federation's review by staff) more than N
days reminds the reviewers of that stage; more than 2N days, federation staff as well. The
reminder key is the application and stage, with the day it entered the stage and the
threshold as the period (``2027-03-01:15d``): each waiting period reminds once per
threshold, and a run twice at the same moment sends nothing twice.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.jobs import JobResult, job

from . import jobs_conf
from .models import Application, ApplicationStep

REVIEW_KIND = "application_review_deadline"
REVIEW_STAGES = (Application.Status.ASSOCIATION_REVIEW, Application.Status.FEDERATION_REVIEW)


@dataclass
class Outcome:
    done: int = 0
    already: int = 0


def local_today(now: datetime.datetime) -> datetime.date:
    return timezone.localtime(now).date()


def _remind(outcome: Outcome, *, recipient, dry_run: bool, **reminder) -> None:
    from notifications import services
    from notifications.models import ReminderLog

    if dry_run:
        given = not ReminderLog.objects.filter(
            recipient=recipient,
            kind=reminder["kind"],
            obj_key=reminder["obj_key"],
            period=reminder["period"],
        ).exists()
    else:
        given = services.notify(recipient=recipient, **reminder) is not None
    if given:
        outcome.done += 1
    else:
        outcome.already += 1


def waiting_applications(today: datetime.date, days: int) -> list[Application]:
    """Applications at a review stage since more than ``days`` days, each with
    ``entered_on``: the local date of the last step into its current status."""
    entered = (
        ApplicationStep.objects.filter(application=OuterRef("pk"), to_status=OuterRef("status"))
        .order_by("-created_at", "-id")
        .values("created_at")[:1]
    )
    found = []
    for application in (
        Application.objects.filter(status__in=REVIEW_STAGES)
        .annotate(entered_at=Subquery(entered))
        .select_related("association")
        .order_by("id")
    ):
        moment = application.entered_at or application.submitted_at or application.updated_at
        application.entered_on = timezone.localtime(moment).date()
        if (today - application.entered_on).days > days:
            found.append(application)
    return found


def application_review_deadline_run(*, today: datetime.date, dry_run: bool = False) -> Outcome:
    from accounts.selectors import staff_users as _staff_users
    from notifications.office_reminders import _secretaries_by_association

    days = jobs_conf.application_review_days()
    outcome = Outcome()
    applications = waiting_applications(today, days)
    secretaries = _secretaries_by_association(
        {a.association_id for a in applications if a.association_id}
    )
    staff = _staff_users() if applications else []
    with translation.override(settings.LANGUAGE_CODE):
        for application in applications:
            waited = (today - application.entered_on).days
            escalated = waited > 2 * days
            threshold = 2 * days if escalated else days
            if application.status == Application.Status.ASSOCIATION_REVIEW:
                reviewers = list(secretaries.get(application.association_id, []))
                if escalated:
                    reviewers += staff
            else:
                reviewers = list(staff)
            params = {
                "name": application.name or "—",
                "association": application.association.name if application.association else "—",
                "stage": application.get_status_display(),
                "days": waited,
                "date": date_format(application.entered_on, "DATE_FORMAT"),
            }
            title = (
                _(
                    "The application of %(name)s to %(association)s has waited %(days)s days "
                    "at %(stage)s"
                )
                % params
            )
            body = (
                _(
                    "It has been at this stage since %(date)s. Please review it, or return it "
                    "for revision with a reason."
                )
                % params
            )
            seen = set()
            for user in reviewers:
                if user.pk in seen or user.pk == application.applicant_id:
                    continue
                seen.add(user.pk)
                _remind(
                    outcome,
                    recipient=user,
                    dry_run=dry_run,
                    kind=REVIEW_KIND,
                    title=title[:200],
                    body=body,
                    url=reverse("members:apply_detail", args=[application.pk]),
                    obj_key=f"members.application:{application.pk}:{application.status}",
                    period=f"{application.entered_on.isoformat()}:{threshold}d",
                )
    return outcome


@job(
    "application_review_deadline",
    description=gettext_lazy(
        "Remind the reviewers of membership applications waiting at one stage too long; "
        "after twice as long, federation staff as well"
    ),
)
def application_review_deadline(*, now, dry_run):
    outcome = application_review_deadline_run(today=local_today(now), dry_run=dry_run)
    return JobResult(done=outcome.done, skipped=outcome.already)


@job(
    "annual_registration",
    description=gettext_lazy(
        "Open the year's member registration, remind after 30 and 60 days, flag those not "
        "registered after the deadline and list them for staff review"
    ),
)
def annual_registration(*, now, dry_run):
    from . import registration_services

    outcome = registration_services.annual_registration_run(
        today=local_today(now), now=now, dry_run=dry_run
    )
    return JobResult(done=outcome.done, skipped=outcome.already_notified)
