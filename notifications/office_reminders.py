"""The ``term_expiry`` job (daily): offices ending in 60, 30 and 7 days are announced to the
holder, the association's secretaries and federation staff; offices that have ended lose
the secretary scope they gave, and offices that have begun gain it.

Each office gets at most one reminder per person per threshold: the reminder key is the
office and its end date with the threshold (``2027-03-01:30d``), so a job that missed a few
days sends only the reminder now due, and running it twice sends nothing twice.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.selectors import staff_users
from associations import services as association_services
from associations.models import AssociationUserObjectPermission, Body, Office

from . import services
from .models import ReminderLog

KIND = "term_expiry"
DEFAULT_THRESHOLDS = (60, 30, 7)


def thresholds() -> tuple[int, ...]:
    return tuple(sorted(getattr(settings, "TERM_EXPIRY_REMINDER_DAYS", DEFAULT_THRESHOLDS)))


def threshold_for(days_left: int) -> int | None:
    """The smallest threshold not below ``days_left`` (45 days left → the 60-day reminder)."""
    for limit in thresholds():
        if days_left <= limit:
            return limit
    return None


@dataclass
class TermExpiryResult:
    reminded: int = 0
    already: int = 0
    scopes_revoked: int = 0
    scopes_granted: int = 0


def _secretaries_by_association(association_ids) -> dict[int, list]:
    rows = (
        AssociationUserObjectPermission.objects.filter(
            content_object_id__in=association_ids,
            permission__codename="manage_association",
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user_id")
    )
    found: dict[int, list] = {}
    for row in rows:
        found.setdefault(row.content_object_id, []).append(row.user)
    return found


def _staff_users() -> list:
    return list(staff_users())


def _link(office: Office, for_holder: bool) -> str:
    if for_holder:
        return reverse("associations:my_duty")
    if office.term.body == Body.COUNCIL:
        return reverse("associations:leadership", args=[office.term.association.code])
    return reverse("associations:federation_leadership", args=[office.term.body])


def _message(office: Office, days_left: int) -> tuple[str, str]:
    owner = (
        office.term.association.name
        if office.term.association_id
        else office.term.get_body_display()
    )
    params = {
        "person": office.person.name,
        "owner": owner,
        "role": office.get_role_display(),
        "days": days_left,
        "date": date_format(office.ends_on, "DATE_FORMAT"),
    }
    title = _("The office of %(person)s as %(role)s of %(owner)s ends in %(days)s days") % params
    body = (
        _(
            "The office ends on %(date)s. Please prepare the handover and, where needed, "
            "the election or appointment of a successor."
        )
        % params
    )
    return title, body


def term_expiry_run(*, today: datetime.date, dry_run: bool = False) -> TermExpiryResult:
    result = TermExpiryResult()
    horizon = today + datetime.timedelta(days=max(thresholds()))
    offices = list(
        Office.objects.filter(ends_on__gt=today, ends_on__lte=horizon, starts_on__lte=today)
        .select_related("term__association", "person__user")
        .order_by("ends_on", "id")
    )
    secretaries = _secretaries_by_association(
        {o.term.association_id for o in offices if o.term.association_id}
    )
    staff = _staff_users() if offices else []
    with translation.override(settings.LANGUAGE_CODE):
        for office in offices:
            days_left = (office.ends_on - today).days
            limit = threshold_for(days_left)
            period = f"{office.ends_on.isoformat()}:{limit}d"
            obj_key = f"associations.office:{office.pk}"
            recipients = {}
            holder = office.person.user
            if holder is not None and holder.is_active:
                recipients[holder.pk] = (holder, True)
            for user in [*secretaries.get(office.term.association_id, []), *staff]:
                recipients.setdefault(user.pk, (user, False))
            title, body = _message(office, days_left)
            for user, is_holder in recipients.values():
                if dry_run:
                    exists = ReminderLog.objects.filter(
                        recipient=user, kind=KIND, obj_key=obj_key, period=period
                    ).exists()
                    given = not exists
                else:
                    given = (
                        services.notify(
                            recipient=user,
                            kind=KIND,
                            title=title,
                            body=body,
                            url=_link(office, is_holder),
                            obj_key=obj_key,
                            period=period,
                        )
                        is not None
                    )
                if given:
                    result.reminded += 1
                else:
                    result.already += 1
    if dry_run:
        result.scopes_revoked = Office.objects.filter(
            role="secretary_general",
            term__body=Body.COUNCIL,
            ends_on__lte=today,
            scope_revoked_on__isnull=True,
        ).count()
    else:
        result.scopes_revoked = association_services.offices_expire(today=today)
        result.scopes_granted = association_services.offices_start(today=today)
    return result


def local_today(now: datetime.datetime) -> datetime.date:
    return timezone.localtime(now).date()
