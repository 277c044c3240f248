"""The yearly registration panels of the member centre and the staff dashboard (one query
each), so the pages that include them need no extra view code."""

from django import template
from django.utils import timezone

from accounts.roles import is_federation_staff

from .. import registration_selectors
from ..selectors import person_for_user

register = template.Library()


@register.simple_tag(takes_context=True)
def member_registration(context):
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return {}
    person = context.get("person") or person_for_user(request.user)
    return registration_selectors.member_panel(person, today=timezone.localdate())


@register.simple_tag(takes_context=True)
def registration_review_count(context):
    request = context.get("request")
    if request is None or not is_federation_staff(request.user):
        return None
    return registration_selectors.review_count()
