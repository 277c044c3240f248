"""Browser journey (Playwright, system Chromium): staff set up a council term and its chair on
the leadership page; the page fits a 360 px phone. Skips where Chromium is absent."""

from datetime import timedelta

import pytest
from django.utils import timezone

from associations.models import Office, Role
from tests.browser.conftest import ARGS, CHROMIUM
from tests.conftest import PASSWORD
from tests.factories import MembershipFactory, PersonFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def chromium():
    """Playwright for this test only. A session-wide Playwright keeps its event loop in the
    main thread, after which Django's connection handler (an asgiref Local) hands out fresh
    connection objects without the serialized test data, so later serialized-rollback tests
    would start with empty tables."""
    import os
    import shutil

    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.skip(f"Chromium not found at {CHROMIUM}: install Debian's `chromium`")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright package is not installed")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


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
