"""Browser journey (Playwright, system Chromium) on a 360 px phone: register with a mobile
number → fill and submit the application with a photo and a PDF → both referees confirm →
the secretary and federation staff approve → the new member sees the member number.
Skips, saying why, where Chromium or playwright is absent. Selectors use names and test
ids, so the test holds with or without the merged translations."""

from __future__ import annotations

import pytest

from members.models import Application, EducationLevel, EthnicGroup, PoliticalStatus
from tests.conftest import PASSWORD
from tests.members.apply_support import (  # noqa: F401 - fixtures
    BIRTH,
    PDF_BYTES,
    id_for,
    jpeg_bytes,
    private_media_fixture,
    referees_fixture,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def chromium(live_server, writers, browser):
    """The shared Chromium of tests/conftest.py, started after this test's data."""
    return browser


def _log_in(pg, base, username, password=PASSWORD):
    pg.context.clear_cookies()
    pg.goto(base + "/accounts/login/")
    pg.fill("input[name=username]", username)
    pg.fill("input[name=password]", password)
    pg.click("main form.stacked button[type=submit]")
    pg.wait_for_load_state()


def _fits(pg):
    return pg.evaluate("document.documentElement.scrollWidth") <= 360


def test_application_journey_in_chromium(
    chromium,
    live_server,
    writers,
    referees,
    sec_writers,
    staff_user,
):
    base = live_server.url
    context = chromium.new_context(locale="zh-CN", viewport={"width": 360, "height": 740})
    pg = context.new_page()
    pg.set_default_timeout(20000)
    # 1. register with a mobile number and the separate consent
    pg.goto(base + "/members/apply/register/")
    pg.fill("input[name=name]", "韦小明")
    pg.fill("input[name=phone]", "13712345678")
    pg.fill("input[name=email]", "xm@example.cn")
    pg.fill("input[name=password1]", "Green-river-2026")
    pg.fill("input[name=password2]", "Green-river-2026")
    pg.check("input[name=consent]")
    pg.click("main form.stacked button[type=submit]")
    pg.wait_for_url("**/members/apply/new/")
    assert _fits(pg)
    # 2. the application form, with uploads, submitted in one go
    pg.select_option("select[name=association]", str(writers.pk))
    pg.fill("input[name=name]", "韦小明")
    pg.select_option("select[name=gender]", "M")
    pg.select_option("select[name=ethnic_group]", str(EthnicGroup.objects.get(code="09").pk))
    pg.fill("input[name=birth_date]", BIRTH.isoformat())
    pg.fill("input[name=id_number]", id_for(1))
    pg.fill("input[name=phone]", "13712345678")
    pg.select_option(
        "select[name=political_status]", str(PoliticalStatus.objects.get(code="13").pk)
    )
    pg.select_option("select[name=education]", str(EducationLevel.objects.get(code="21").pk))
    pg.check(f"input[name=art_categories][value='{writers.art_category_id}']")
    for slot, ref in enumerate(referees, start=1):
        pg.fill(f"input[name=referee{slot}_name]", ref.person.name)
        pg.fill(f"input[name=referee{slot}_number]", ref.number)
    pg.set_input_files(
        "input[name=photo]",
        files=[{"name": "me.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}],
    )
    pg.fill("input[name=work_title_1]", "散文集")
    pg.set_input_files(
        "input[name=work_file_1]",
        files=[{"name": "works.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}],
    )
    pg.fill("textarea[name=statement]", "热爱文学，愿为本会贡献力量。")
    pg.click("button[name=submit]")
    pg.wait_for_url("**/members/apply/*/")
    app = Application.objects.get(applicant__phone="13712345678")
    assert app.status == Application.Status.REFEREES
    detail = f"{base}/members/apply/{app.pk}/"
    # 3. both referees confirm from their member centre
    for ref in referees:
        _log_in(pg, base, ref.person.user.username)
        pg.goto(base + "/me/")
        pg.click("[data-testid=referee-requests] a")
        pg.check("input[name=decision][value=confirm]")
        pg.click("main form.stacked button[type=submit]")
        pg.wait_for_url("**/me/")
    app.refresh_from_db()
    assert app.status == Application.Status.ASSOCIATION_REVIEW
    # 4. the secretary, then federation staff
    for user, reason in ((sec_writers, "作品扎实"), (staff_user, "同意入会")):
        _log_in(pg, base, user.username)
        pg.goto(detail)
        pg.check("input[name=decision][value=approve]")
        pg.fill("textarea[name=reason]", reason)
        pg.click(".review-box button[type=submit]")
        pg.wait_for_load_state()
    app.refresh_from_db()
    assert app.status == Application.Status.APPROVED
    number = app.membership.number
    # 5. the new member logs in with the mobile number and sees the number and timeline
    _log_in(pg, base, "13712345678", "Green-river-2026")
    pg.goto(base + "/me/")
    assert number in pg.inner_text("[data-testid=application-notices]")
    pg.goto(detail)
    timeline = pg.inner_text("ol.timeline")
    assert "作品扎实" in timeline and "同意入会" in timeline
    assert _fits(pg)
    # 6. the member downloads the certificate (会员证) and opens its public verification page
    pg.goto(base + "/me/")
    pdf = pg.request.get(base + pg.get_attribute("[data-testid=download-certificate]", "href"))
    assert pdf.status == 200 and pdf.body()[:5] == b"%PDF-"
    pg.click("text=验证页面")
    pg.wait_for_load_state()
    assert pg.get_attribute("[data-testid=verify-result]", "data-valid") == "true"
    assert pg.inner_text("[data-testid=verify-status]") == "有效"
    assert number in pg.inner_text("[data-testid=verify-result]")
    assert "*" in pg.inner_text("[data-testid=verify-name]")  # masked name only
    context.close()
