"""Scope policy of membership applications (MEM-01, MEM-02).

* The applicant sees their own applications (drafts included).
* An association's secretary sees the submitted applications to that association.
* Federation staff see every submitted application.
* A referee sees only their own referee requests.

Views fetch through ``accounts.permissions.get_visible_or_404`` so anything outside the
viewer's scope answers 404.
"""

from django.db.models import Q

from accounts.roles import is_federation_staff
from associations.permissions import managed_association_ids

from .models import Application, ApplicationReferee


class ApplicationPolicy:
    @staticmethod
    def visible_to(user, queryset=None):
        queryset = Application.objects.all() if queryset is None else queryset
        if not user.is_authenticated:
            return queryset.none()
        scope = Q(applicant=user)
        submitted = ~Q(status=Application.Status.DRAFT)
        if is_federation_staff(user):
            scope |= submitted
        else:
            ids = managed_association_ids(user)
            if ids:
                scope |= submitted & Q(association_id__in=ids)
        return queryset.filter(scope)

    @staticmethod
    def can(user, action, obj=None):
        if not user.is_authenticated or obj is None:
            return False
        S = Application.Status
        if action == "edit":
            return obj.applicant_id == user.pk and obj.status in Application.EDITABLE
        if action == "review":
            if obj.applicant_id == user.pk:
                return False
            if obj.status == S.ASSOCIATION_REVIEW:
                return obj.association_id in managed_association_ids(user)
            if obj.status in (S.FEDERATION_REVIEW, S.PUBLIC_NOTICE):
                return is_federation_staff(user)
            return False
        if action == "resolve_objection":
            return obj.status == S.PUBLIC_NOTICE and is_federation_staff(user)
        if action == "view_objections":
            return is_federation_staff(user)
        if action in ("view", "view_files"):
            return (
                obj.applicant_id == user.pk
                or (obj.status != S.DRAFT and is_federation_staff(user))
                or (obj.status != S.DRAFT and obj.association_id in managed_association_ids(user))
            )
        return False


class RefereeRequestPolicy:
    """A referee request is visible only to the referee it is addressed to."""

    @staticmethod
    def visible_to(user, queryset=None):
        queryset = ApplicationReferee.objects.all() if queryset is None else queryset
        if not user.is_authenticated:
            return queryset.none()
        return queryset.filter(membership__person__user=user)

    @staticmethod
    def can(user, action, obj=None):
        if obj is None or not user.is_authenticated:
            return False
        if action == "respond":
            return (
                obj.membership.person.user_id == user.pk
                and obj.status == ApplicationReferee.Status.PENDING
                and obj.application.status == Application.Status.REFEREES
            )
        return False


application_policy = ApplicationPolicy()
referee_policy = RefereeRequestPolicy()
