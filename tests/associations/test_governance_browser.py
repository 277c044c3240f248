"""Browser journey (Playwright, system Chromium): staff set up a council term and its chair on
the leadership page; the page fits a 360 px phone. Skips where Chromium is absent."""

from datetime import timedelta

import pytest
from django.utils import timezone

from associations.models import Office, Role
from tests.conftest import PASSWORD
from tests.factories import MembershipFactory, PersonFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def chromium(browser):
    """The shared Chromium of tests/conftest.py."""
    return browser


def _log_in(pg, live_server, username):
    pg.goto(live_server.url + "/accounts/login/")
    pg.fill("input[name=username]", username)
    pg.fill("input[name=password]", PASSWORD)
    pg.click("form.stacked button[type=submit], form button[type=submit] >> nth=-1")
    pg.wait_for_load_state()


def test_staff_set_up_leadership_in_the_browser(chromium, live_server, staff_user, writers):
    member = MembershipFactory(person=PersonFactory(name="罗主席"), association=writers)
    today = timezone.localdate()
    context = chromium.new_context(locale="zh-CN", viewport={"width": 360, "height": 740})
    pg = context.new_page()
    pg.set_default_timeout(15000)
    _log_in(pg, live_server, "t_staff")
    pg.goto(live_server.url + "/associations/manage/ZJ/leadership/")
    pg.fill("input[name=number]", "5")
    pg.fill("input[name=starts_on] >> nth=-1", (today - timedelta(days=30)).isoformat())
    pg.fill("input[name=ends_on] >> nth=-1", (today + timedelta(days=1800)).isoformat())
    pg.click("input[value=term] ~ button[type=submit], form:has(input[value=term]) button")
    pg.wait_for_selector("[data-testid=term-5]")
    pg.fill("input[name=member_number]", member.number)
    pg.select_option("select[name=role]", Role.CHAIR)
    pg.click("form:has(input[value=appoint]) button")
    pg.wait_for_selector("[data-testid=term-5] >> text=罗主席")
    assert Office.objects.get(role=Role.CHAIR).person == member.person
    width = pg.evaluate("document.documentElement.scrollWidth")
    pg.screenshot(path="/tmp/governance-leadership-360.png", full_page=True)
    context.close()
    assert width <= 360
