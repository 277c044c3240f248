"""Home → log in as a member → the member centre shows that member's Chinese name."""

import pytest

from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_member_logs_in_and_sees_own_name(page, live_server, member_user):
    page.goto(live_server.url + "/")
    assert (
        "安龙县文学艺术界联合会" in page.title()
        or page.get_by_text("安龙县文学艺术界联合会").first.is_visible()
    )
    page.get_by_role("link", name="登录").first.click()
    page.get_by_label("用户名或手机号").fill("t_member")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/me/")
    assert page.get_by_test_id("person-name").inner_text() == "龙雪梅"


def test_wrong_password_shows_chinese_error(page, live_server, member_user):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("用户名或手机号").fill("t_member")
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_role("button", name="登录").click()
    assert page.get_by_role("alert").inner_text().startswith("用户名（或手机号）与密码不匹配")


def test_home_fits_a_360px_phone(browser, live_server, db):
    context = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 740})
    pg = context.new_page()
    pg.goto(live_server.url + "/")
    width = pg.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert width <= 360
