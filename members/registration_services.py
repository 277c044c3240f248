"""Writes of the yearly registration (年度注册, MEM-07).

Each year, on the opening day (1 January by default), every active member who joined
before it gets an :class:`members.models.AnnualRegistration` row and a message; members
confirm their record in the member centre; those who have not are reminded after 30 and 60
days; after the deadline (31 March) the rows still unconfirmed are flagged as not
registered, and members with neither registration nor any participation in the past year
are put on a staff review list (视为自动退会: a person decides, nothing happens by itself).

Every step is idempotent: rows are unique on (membership, year) and inserted with
``ON CONFLICT DO NOTHING``; messages go through :func:`notifications.services.notify_bulk`
(unique reminder key); flags are set only where still empty. Bulk writes throughout, so a
run over 100,000 members takes seconds.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from auditlog.context import set_actor
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import jobs_conf
from .models import AnnualRegistration, Membership

KIND = "annual_registration"
BATCH = 5000


@dataclass
class RegistrationOutcome:
    opened: int = 0
    notified: int = 0
    already_notified: int = 0
    flagged: int = 0
    listed: int = 0

    @property
    def done(self) -> int:
        return self.opened + self.notified + self.flagged + self.listed


def registration_year(today: datetime.date) -> int:
    """The registration year that ``today`` belongs to (it opened on or before today)."""
    if today >= jobs_conf.annual_registration_opens(today.year):
        return today.year
    return today.year - 1


def _due_memberships(year: int):
    """Active memberships that joined before the year's opening day."""
    return Membership.objects.filter(
        status=Membership.Status.ACTIVE,
        joined_on__lt=jobs_conf.annual_registration_opens(year),
    )


def _open_rows(year: int, dry_run: bool) -> int:
    missing = list(
        _due_memberships(year)
        .exclude(Exists(AnnualRegistration.objects.filter(membership=OuterRef("pk"), year=year)))
        .order_by("id")
        .values_list("id", flat=True)
    )
    if dry_run:
        return len(missing)
    for start in range(0, len(missing), BATCH):
        with transaction.atomic():
            AnnualRegistration.objects.bulk_create(
                (
                    AnnualRegistration(membership_id=pk, year=year)
                    for pk in missing[start : start + BATCH]
                ),
                batch_size=BATCH,
                ignore_conflicts=True,
            )
    return len(missing)


def _unconfirmed_recipients(year: int, period: str) -> list[int]:
    """Accounts of members due to register in ``year`` who have not confirmed and have not
    had the reminder of ``period`` yet (one per person, however many associations)."""
    from notifications.models import ReminderLog

    given = ReminderLog.objects.filter(
        kind=KIND, period=period, recipient_id=OuterRef("person__user_id")
    )
    confirmed = AnnualRegistration.objects.filter(
        membership=OuterRef("pk"), year=year, confirmed_at__isnull=False
    )
    return list(
        _due_memberships(year)
        .filter(person__user__isnull=False, person__user__is_active=True)
        .exclude(Exists(confirmed))
        .exclude(Exists(given))
        .order_by()
        .values_list("person__user_id", flat=True)
        .distinct()
    )


def _notify_members(outcome, *, year: int, period: str, title: str, body: str, dry_run: bool):
    from notifications.services import BulkReminder, notify_bulk

    recipients = _unconfirmed_recipients(year, period)
    if dry_run:
        outcome.notified += len(recipients)
        return
    url = reverse("portal:member_centre")
    result = notify_bulk(
        kind=KIND,
        period=period,
        reminders=(
            BulkReminder(
                recipient_id=user_id,
                obj_key=f"accounts.user:{user_id}",
                title=title,
                body=body,
                url=url,
            )
            for user_id in recipients
        ),
    )
    outcome.notified += result.created
    outcome.already_notified += result.existing


def participants(window_start: datetime.date, window_end: datetime.date):
    """A filter on AnnualRegistration: its member took part in something between the two
    dates: held an office, filed a duty registration, attended a council meeting, was a
    congress delegate, or confirmed a registration (of any association)."""
    from associations.models import Delegate, DutyRegistration, MeetingAttendance, Office

    person = OuterRef("membership__person_id")
    start = timezone.make_aware(datetime.datetime.combine(window_start, datetime.time()))
    end = timezone.make_aware(datetime.datetime.combine(window_end, datetime.time.max))
    return (
        Q(
            Exists(
                Office.objects.filter(
                    person_id=person, starts_on__lte=window_end, ends_on__gt=window_start
                )
            )
        )
        | Q(Exists(DutyRegistration.objects.filter(person_id=person, filed_at__range=(start, end))))
        | Q(
            Exists(
                MeetingAttendance.objects.filter(
                    person_id=person,
                    present=True,
                    meeting__held_on__range=(window_start, window_end),
                )
            )
        )
        | Q(
            Exists(
                Delegate.objects.filter(
                    person_id=person, congress__held_on__range=(window_start, window_end)
                )
            )
        )
        | Q(
            Exists(
                AnnualRegistration.objects.filter(
                    membership__person_id=person, confirmed_at__range=(start, end)
                )
            )
        )
    )


def _close(outcome, *, year: int, today: datetime.date, now, dry_run: bool) -> None:
    """After the deadline: flag the unconfirmed rows; list for review those of members
    with no participation in the year before the deadline; tell staff once."""
    deadline = jobs_conf.annual_registration_deadline(year)
    unconfirmed = AnnualRegistration.objects.filter(
        year=year, confirmed_at__isnull=True, membership__status=Membership.Status.ACTIVE
    )
    to_flag = unconfirmed.filter(flagged_at__isnull=True)
    window_start = deadline - datetime.timedelta(days=365)
    to_list = unconfirmed.filter(review_listed_at__isnull=True).exclude(
        participants(window_start, today)
    )
    if dry_run:
        outcome.flagged += to_flag.count()
        outcome.listed += to_list.count()
        return
    with transaction.atomic():
        outcome.flagged += to_flag.update(flagged_at=now)
        outcome.listed += to_list.update(review_listed_at=now)
    _tell_staff(outcome, year=year, deadline=deadline)


def _tell_staff(outcome, *, year: int, deadline: datetime.date) -> None:
    from accounts.selectors import staff_users as _staff_users
    from notifications import services

    flagged = AnnualRegistration.objects.filter(
        year=year, confirmed_at__isnull=True, flagged_at__isnull=False
    ).count()
    listed = AnnualRegistration.objects.filter(
        year=year, confirmed_at__isnull=True, review_listed_at__isnull=False
    ).count()
    if not flagged:
        return
    params = {
        "year": year,
        "flagged": flagged,
        "listed": listed,
        "date": date_format(deadline, "DATE_FORMAT"),
    }
    title = _("Annual registration %(year)s closed: %(flagged)s members did not register") % params
    body = (
        _(
            "The deadline was %(date)s. %(listed)s of them took part in nothing in the past "
            "year and are on the review list; please decide case by case."
        )
        % params
    )
    for user in _staff_users():
        reminder = services.notify(
            recipient=user,
            kind=KIND,
            title=title,
            body=body,
            url=reverse("members:registration_review"),
            obj_key="members.annual_registration",
            period=f"{year}-closed",
        )
        if reminder is not None:
            outcome.notified += 1
        else:
            outcome.already_notified += 1


def annual_registration_run(
    *, today: datetime.date, now: datetime.datetime | None = None, dry_run: bool = False
) -> RegistrationOutcome:
    """Open, remind or close the registration year ``today`` belongs to."""
    now = now or timezone.now()
    outcome = RegistrationOutcome()
    year = registration_year(today)
    opens = jobs_conf.annual_registration_opens(year)
    deadline = jobs_conf.annual_registration_deadline(year)
    with translation.override(settings.LANGUAGE_CODE):
        if today > deadline:
            _close(outcome, year=year, today=today, now=now, dry_run=dry_run)
            return outcome
        params = {"year": year, "date": date_format(deadline, "DATE_FORMAT")}
        body = (
            _(
                "Please check your record in the member centre and confirm it by %(date)s. "
                "Members who do not register are reviewed by the federation."
            )
            % params
        )
        outcome.opened = _open_rows(year, dry_run)
        due = [
            d
            for d in jobs_conf.annual_registration_reminder_days()
            if today >= opens + datetime.timedelta(days=d)
        ]
        if due:
            period = f"{year}-r{due[-1]}"
            title = _("Reminder: please confirm your annual registration for %(year)s") % params
        else:
            period = str(year)
            title = _("The annual registration for %(year)s is open") % params
        _notify_members(outcome, year=year, period=period, title=title, body=body, dry_run=dry_run)
    return outcome


@transaction.atomic
def registration_confirm(*, person, year: int, actor) -> int:
    """The member confirms their record for ``year``: every open registration of their
    active memberships is confirmed. Returns how many were confirmed now (0 when already)."""
    rows = list(
        AnnualRegistration.objects.select_for_update()
        .filter(membership__person=person, year=year, membership__status=Membership.Status.ACTIVE)
        .order_by("id")
    )
    if not rows:
        raise ValidationError(
            _("There is no annual registration for %(year)s to confirm.") % {"year": year},
            code="registration_none",
        )
    moment = timezone.now()
    confirmed = 0
    with set_actor(actor):
        for row in rows:
            if row.confirmed_at is None:
                row.confirmed_at = moment
                row.save(update_fields=["confirmed_at"])
                confirmed += 1
    return confirmed
