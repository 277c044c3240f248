"""Governance panels for the dashboards and the member centre. Each tag calls the
selectors once (a fixed number of queries), so the pages that include the panels need no
extra view code."""

from django import template
from django.utils import timezone

from accounts.roles import is_federation_staff
from members.selectors import person_for_user

from .. import selectors

register = template.Library()


@register.simple_tag
def secretary_governance(association):
    """Ending terms and offices, duty registration completion and contacts of one
    association (six queries)."""
    today = timezone.localdate()
    groups = selectors.duty_status(association_ids=[association.id], year=today.year)
    filed, total = selectors.duty_completion(groups)
    return {
        "ending": selectors.ending_soon(association_ids=[association.id], today=today),
        "duty_year": today.year,
        "duty_filed": filed,
        "duty_total": total,
        "duty_missing": [row for g in groups for row in g.missing],
        "leadership": selectors.current_leadership(association=association, today=today),
    }


@register.simple_tag(takes_context=True)
def staff_governance(context):
    """Rule warnings, ending terms and offices, duty completion and contact counts across
    the federation (a fixed number of queries)."""
    request = context.get("request")
    if request is None or not is_federation_staff(request.user):
        return {}
    today = timezone.localdate()
    groups = selectors.duty_status(association_ids=None, year=today.year)
    filed, total = selectors.duty_completion(groups)
    return {
        **selectors.governance_warnings(today=today),
        "ending": selectors.ending_soon(association_ids=None, today=today),
        "duty_year": today.year,
        "duty_groups": groups,
        "duty_filed": filed,
        "duty_total": total,
        "contact_counts": list(selectors.contact_counts(today=today)),
    }


@register.simple_tag(takes_context=True)
def member_duty(context):
    """The signed-in person's current offices and whether this year's registration is in."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return {}
    person = context.get("person") or person_for_user(request.user)
    if person is None:
        return {}
    today = timezone.localdate()
    offices = selectors.offices_of(person, today=today)
    if not offices:
        return {}
    filed = selectors.duty_registrations_of(person, year=today.year).first()
    return {"offices": offices, "year": today.year, "filed": filed}
