"""term_expiry: offices ending in 60/30/7 days → holder, secretaries, staff; once each."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from associations import services as association_services
from associations.models import Body, Role
from associations.permissions import managed_association_ids
from notifications.models import Notification
from notifications.office_reminders import threshold_for
from portal.jobs import run_job
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
END = datetime.date(2027, 3, 1)


def at(day: datetime.date):
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, 6, 30, tzinfo=TZ), tick=False
    )


@pytest.fixture
def council(writers):
    term = association_services.term_create(
        body=Body.COUNCIL,
        association=writers,
        number=5,
        starts_on=datetime.date(2022, 3, 1),
        ends_on=END,
        actor=None,
    )
    chair = UserFactory(username="t_chair", full_name="主席甲")
    sg = UserFactory(username="t_sg", full_name="秘书长乙")
    for user, role in ((chair, Role.CHAIR), (sg, Role.SECRETARY_GENERAL)):
        association_services.office_appoint(
            term=term,
            person=PersonFactory(name=user.full_name, user=user),
            role=role,
            actor=None,
            today=datetime.date(2026, 6, 1),
        )
    return {"chair": chair, "sg": sg}


def _inbox(user):
    return list(
        Notification.objects.filter(recipient=user, kind="term_expiry").values_list(
            "title", flat=True
        )
    )


def test_thresholds():
    assert [threshold_for(d) for d in (61, 60, 45, 30, 8, 7, 1)] == [None, 60, 60, 30, 30, 7, 7]


def test_reminders_at_60_30_7_days_to_the_right_people_once(council, role_users, writers):
    sec_writers, sec_photo, staff, member = (
        role_users["sec_writers"],
        role_users["sec_photo"],
        role_users["staff"],
        role_users["member"],
    )
    chair, sg = council["chair"], council["sg"]
    # chair office → chair, sec_writers, sg (a secretary now), staff; sg office → sg, sec_writers, staff
    per_threshold = 7
    with at(END - datetime.timedelta(days=61)):
        assert run_job("term_expiry").done == 0
    with at(END - datetime.timedelta(days=60)):
        first = run_job("term_expiry")
        assert (first.status, first.done, first.skipped) == ("ok", per_threshold, 0)
        again = run_job("term_expiry")
        assert (again.done, again.skipped) == (0, per_threshold)
    with at(END - datetime.timedelta(days=45)):
        assert run_job("term_expiry").done == 0
    with at(END - datetime.timedelta(days=30)):
        assert run_job("term_expiry").done == per_threshold
    with at(END - datetime.timedelta(days=7)):
        assert run_job("term_expiry", dry_run=True).done == per_threshold
        assert run_job("term_expiry").done == per_threshold
    assert len(_inbox(chair)) == 3 and len(_inbox(sg)) == 6
    assert len(_inbox(sec_writers)) == 6 and len(_inbox(staff)) == 6
    assert _inbox(sec_photo) == [] and _inbox(member) == []
    assert any("主席甲" in title and "7" in title for title in _inbox(chair))
    note = Notification.objects.filter(recipient=chair).first()
    assert note.url == reverse("associations:my_duty")
    note = Notification.objects.filter(recipient=sec_writers).first()
    assert note.url == reverse("associations:leadership", args=["ZJ"])
    # The office ends: the secretary-general loses the association scope, once.
    assert managed_association_ids(type(sg).objects.get(pk=sg.pk)) == [writers.id]
    with at(END):
        ended = run_job("term_expiry")
        assert ended.status == "ok" and ended.done >= 1
        assert run_job("term_expiry").done == 0
    assert managed_association_ids(type(sg).objects.get(pk=sg.pk)) == []
    assert managed_association_ids(type(sec_writers).objects.get(pk=sec_writers.pk)) != []
