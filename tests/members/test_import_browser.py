"""Browser: staff checks and then imports the sample roster in Chromium; the page fits
a 360 px phone. Skips, saying why, where Chromium or playwright is absent."""

import os
from pathlib import Path

import pytest

from members.models import Membership
from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "writers-roster-2026.xlsx"


@pytest.fixture
def chromium(browser):
    """The shared Chromium of tests/conftest.py."""
    return browser


def test_staff_checks_then_imports_the_sample(chromium, live_server, staff_user, writers):
    context = chromium.new_context(locale="zh-CN", viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.set_default_timeout(30000)
    page.goto(live_server.url + "/accounts/login/?next=/members/import/")
    page.locator("input[name=username]").fill("t_staff")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_url("**/members/import/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.locator("select[name=association]").select_option(str(writers.pk))
    page.locator("input[name=file]").set_input_files(str(SAMPLE))
    page.locator("button[value=check]").click()
    assert page.get_by_test_id("import-checked").is_visible()
    assert page.get_by_test_id("created-memberships").inner_text() == "60"
    assert Membership.objects.count() == 0

    page.locator("input[name=file]").set_input_files(str(SAMPLE))
    page.locator("button[value=import]").click()
    assert page.get_by_test_id("import-done").is_visible()
    assert page.get_by_test_id("created-people").inner_text() == "60"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    if os.environ.get("IMPORT_SCREENSHOT"):
        page.screenshot(path=os.environ["IMPORT_SCREENSHOT"], full_page=True)
    context.close()
    assert Membership.objects.filter(association=writers).count() == 60
