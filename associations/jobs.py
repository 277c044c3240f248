"""Jobs of the associations app (registered in portal.jobs): yearly duty registration
(ORG-05), appraisal drafts (ORG-08) and the five-yearly congress and council terms.

Each job is a service ``*_run(today=…, dry_run=…)`` that finds what is due and acts, wrapped
by a thin ``@job`` function. Every reminder goes through :func:`notifications.services.notify`
with a key (recipient, kind, object, period) so a second run at the same moment sends and
changes nothing; a dry run only counts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from auditlog.context import set_actor
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.dates import add_years
from portal.jobs import JobResult, job

from . import jobs_conf
from .models import Appraisal, Association, Body, Congress, DutyRegistration, Term

DUTY_KIND = "duty_registration"
APPRAISAL_KIND = "association_appraisal"
CONGRESS_KIND = "congress_due"


@dataclass
class Outcome:
    """What a run did: reminders given (or records written), and those already done."""

    done: int = 0
    already: int = 0


def local_today(now: datetime.datetime) -> datetime.date:
    return timezone.localtime(now).date()


def _staff_users() -> list:
    from accounts.selectors import staff_users as staff

    return staff()


def _remind(outcome: Outcome, *, recipient, dry_run: bool, **reminder) -> None:
    """Give one reminder (or, in a dry run, count whether it would be given)."""
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


def _d(day: datetime.date) -> str:
    return date_format(day, "DATE_FORMAT")


# -- Duty registration (ORG-05) -------------------------------------------------------------


def duty_registration_year(today: datetime.date) -> int | None:
    """The year whose registration is open on ``today`` (it opens in that year and stays
    open for the window), or None between windows."""
    for year in (today.year, today.year - 1):
        opens = jobs_conf.duty_registration_opens(year)
        window = datetime.timedelta(days=jobs_conf.duty_registration_window_days())
        if opens <= today < opens + window:
            return year
    return None


def duty_holders(year: int) -> list:
    """People (with an active account) holding an office of any body during ``year``:
    exactly those :func:`associations.services.duty_register` accepts."""
    from members.models import Person

    return list(
        Person.objects.filter(
            user__isnull=False,
            user__is_active=True,
            offices__starts_on__lt=datetime.date(year + 1, 1, 1),
            offices__ends_on__gt=datetime.date(year, 1, 1),
        )
        .select_related("user")
        .distinct()
        .order_by("id")
    )


def duty_registration_run(*, today: datetime.date, dry_run: bool = False) -> Outcome:
    """Announce the year's duty registration to every office holder on/after the opening
    day; remind those who have not filed after 30 days and report completion to staff."""
    outcome = Outcome()
    year = duty_registration_year(today)
    if year is None:
        return outcome
    opens = jobs_conf.duty_registration_opens(year)
    remind = today >= opens + datetime.timedelta(days=jobs_conf.duty_registration_reminder_days())
    holders = duty_holders(year)
    filed = set(
        DutyRegistration.objects.filter(year=year, person__in=holders).values_list(
            "person_id", flat=True
        )
    )
    url = reverse("associations:my_duty")
    with translation.override(settings.LANGUAGE_CODE):
        params = {"year": year}
        for person in holders:
            if person.pk in filed:
                continue
            if remind:
                title = _("Reminder: please file your duty registration for %(year)s") % params
                period = f"{year}-reminder"
            else:
                title = _("The duty registration for %(year)s is open") % params
                period = str(year)
            body = (
                _(
                    "As an office holder, please describe what you did in your office in "
                    "%(year)s on your duty page."
                )
                % params
            )
            _remind(
                outcome,
                recipient=person.user,
                dry_run=dry_run,
                kind=DUTY_KIND,
                title=title,
                body=body,
                url=url,
                obj_key=f"members.person:{person.pk}",
                period=period,
            )
        if remind and holders:
            report = {"year": year, "filed": len(filed), "holders": len(holders)}
            title = (
                _("Duty registration %(year)s: %(filed)s of %(holders)s office holders filed")
                % report
            )
            for user in _staff_users():
                _remind(
                    outcome,
                    recipient=user,
                    dry_run=dry_run,
                    kind=DUTY_KIND,
                    title=title,
                    body=_("Those who have not filed have been reminded."),
                    url=reverse("associations:federation_duty") + f"?year={year}",
                    obj_key="associations.duty_registration",
                    period=f"{year}-report",
                )
    return outcome


@job(
    "duty_registration",
    description=gettext_lazy(
        "Open the yearly duty registration for office holders, remind those who have not "
        "filed and report completion to staff"
    ),
)
def duty_registration(*, now, dry_run):
    outcome = duty_registration_run(today=local_today(now), dry_run=dry_run)
    return JobResult(done=outcome.done, skipped=outcome.already)


# -- Appraisal drafts (ORG-08) --------------------------------------------------------------


def _json_ready(values: dict) -> dict:
    return {
        key: v if v is None or isinstance(v, int | float) else float(v) for key, v in values.items()
    }


@transaction.atomic
def appraisal_drafts_run(*, today: datetime.date, dry_run: bool = False) -> Outcome:
    """Compute last year's appraisal draft of every association that is not dissolved.

    A missing draft is created; a draft whose figures changed is refreshed (metrics and
    provisional score); a draft with the same figures is left alone; an appraisal signed off
    by the secretary or finalised by staff is never changed. Staff are told once a year."""
    from . import appraisal as scoring

    year = today.year - 1
    outcome = Outcome()
    associations = list(
        Association.objects.exclude(status=Association.Status.DISSOLVED).order_by("id")
    )
    ids = [a.id for a in associations]
    if not ids:
        return outcome
    values = scoring.compute_metrics(association_ids=ids, year=year)
    existing = {
        a.association_id: a
        for a in Appraisal.objects.select_for_update().filter(year=year, association_id__in=ids)
    }
    for association_id in ids:
        appraisal = existing.get(association_id)
        for key in scoring.SURVEY_KEYS:
            values[association_id][key] = getattr(appraisal, key, None)
    scores = scoring.score_all(values)
    with set_actor(None):
        for association in associations:
            metrics = _json_ready(values[association.id])
            appraisal = existing.get(association.id)
            if appraisal is None:
                if not dry_run:
                    Appraisal.objects.create(
                        association=association,
                        year=year,
                        metrics=metrics,
                        score=scores[association.id],
                    )
                outcome.done += 1
            elif appraisal.status != Appraisal.Status.DRAFT:
                outcome.already += 1
            elif appraisal.metrics == metrics and appraisal.score == scores[association.id]:
                outcome.already += 1
            else:
                if not dry_run:
                    appraisal.metrics, appraisal.score = metrics, scores[association.id]
                    appraisal.save(update_fields=["metrics", "score"])
                outcome.done += 1
    with translation.override(settings.LANGUAGE_CODE):
        title = _("The appraisal drafts for %(year)s are ready") % {"year": year}
        body = _(
            "The figures of every association were computed from the portal's data. Enter "
            "the survey figures, then the secretaries sign off and staff finalise."
        )
        for user in _staff_users():
            _remind(
                outcome,
                recipient=user,
                dry_run=dry_run,
                kind=APPRAISAL_KIND,
                title=title,
                body=body,
                url=reverse("associations:federation_appraisal") + f"?year={year}",
                obj_key="associations.appraisal",
                period=str(year),
            )
    return outcome


@job(
    "association_appraisal",
    description=gettext_lazy("Compute last year's appraisal drafts of the associations"),
)
def association_appraisal(*, now, dry_run):
    outcome = appraisal_drafts_run(today=local_today(now), dry_run=dry_run)
    return JobResult(done=outcome.done, skipped=outcome.already)


# -- Congress and council terms due (every five years) --------------------------------------


@dataclass(frozen=True)
class DueItem:
    obj_key: str
    due_on: datetime.date
    title: str
    url: str


def due_items(today: datetime.date) -> list[DueItem]:
    """The last congress and each association's latest council term whose five years are
    over, or end within the warning period."""
    years = jobs_conf.congress_period_years()
    horizon = today + datetime.timedelta(days=jobs_conf.congress_due_warning_days())
    items = []
    congress = Congress.objects.order_by("-held_on", "-number").first()
    if congress is not None:
        due = add_years(congress.held_on, years)
        if due <= horizon:
            params = {"number": congress.number, "date": _d(due)}
            title = (
                _(
                    "The next congress is overdue: congress %(number)s reached five years on %(date)s"
                )
                if due <= today
                else _("The next congress is due by %(date)s, five years after congress %(number)s")
            ) % params
            items.append(
                DueItem(
                    obj_key=f"associations.congress:{congress.pk}",
                    due_on=due,
                    title=title,
                    url=reverse("associations:congresses"),
                )
            )
    terms = (
        Term.objects.filter(body=Body.COUNCIL)
        .exclude(association__status=Association.Status.DISSOLVED)
        .select_related("association")
        .order_by("association_id", "-starts_on")
        .distinct("association_id")
    )
    for term in terms:
        due = add_years(term.starts_on, years)
        if due > horizon:
            continue
        params = {"association": term.association.name, "number": term.number, "date": _d(due)}
        title = (
            _(
                "The council of %(association)s is due for re-election: term %(number)s "
                "reached five years on %(date)s"
            )
            if due <= today
            else _("The council of %(association)s is due for re-election by %(date)s")
        ) % params
        items.append(
            DueItem(
                obj_key=f"associations.term:{term.pk}",
                due_on=due,
                title=title,
                url=reverse("associations:leadership", args=[term.association.code]),
            )
        )
    return items


def congress_due_run(*, today: datetime.date, dry_run: bool = False) -> Outcome:
    """Tell staff, once per congress or term and due date, that a congress or a council
    re-election is due within the warning period (or overdue)."""
    outcome = Outcome()
    with translation.override(settings.LANGUAGE_CODE):
        items = due_items(today)
        staff = _staff_users() if items else []
        for item in items:
            body = _(
                "Five years after the last one, a new congress or election is due on "
                "%(date)s. Please start the preparations."
            ) % {"date": _d(item.due_on)}
            for user in staff:
                _remind(
                    outcome,
                    recipient=user,
                    dry_run=dry_run,
                    kind=CONGRESS_KIND,
                    title=item.title[:200],
                    body=body,
                    url=item.url,
                    obj_key=item.obj_key,
                    period=item.due_on.isoformat(),
                )
    return outcome


@job(
    "congress_due",
    description=gettext_lazy(
        "Warn staff of a congress or an association council term nearing five years"
    ),
)
def congress_due(*, now, dry_run):
    outcome = congress_due_run(today=local_today(now), dry_run=dry_run)
    return JobResult(done=outcome.done, skipped=outcome.already)
