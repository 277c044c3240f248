"""The whole path in the running portal through the Django test client, page by page, in
Chinese: registration → application → referees → secretary → staff → public notice →
membership with a number. Every page's main content must be free of English leftovers.

The zh_Hans catalog used here is locale/ merged with locale_fragments/*.po, so the check
also holds before the fragments are merged into locale/.
"""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings as django_settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from members.models import (
    Application,
    ApplicationObjection,
    EducationLevel,
    EthnicGroup,
    PoliticalStatus,
)
from tests.members.apply_support import (  # noqa: F401 - fixtures
    BIRTH,
    PDF_BYTES,
    id_for,
    jpeg_bytes,
    private_media_fixture,
    referees_fixture,
)

pytestmark = pytest.mark.django_db

# Words that may stay in Latin letters on a Chinese page.
ALLOWED = {"PDF", "JPEG", "PNG", "WebP", "GIF", "MB", "AL", "ZJ", "X"}


class _MainText(HTMLParser):
    """Text inside <main>, without <script>/<style>, plus labels of buttons/options."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.depth += 1
        if tag in ("script", "style"):
            self.skip += 1
        if self.depth and tag in ("input", "img"):
            for name, value in attrs:
                if name in ("placeholder", "alt", "title") and value:
                    self.parts.append(value)

    def handle_endtag(self, tag):
        if tag == "main":
            self.depth -= 1
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data):
        if self.depth and not self.skip:
            self.parts.append(data)


def english_leftovers(html: str) -> list[str]:
    parser = _MainText()
    parser.feed(html)
    text = " ".join(parser.parts)
    text = re.sub(r"\S+@\S+|https?://\S+|AL-[A-Z]+-\d{4}-\d{4}", " ", text)
    words = re.findall(r"[A-Za-z][A-Za-z'’-]+", text)
    return [w for w in words if w not in ALLOWED]


@pytest.fixture(autouse=True)
def merged_catalog(settings, tmp_path):
    """locale/zh_Hans merged with every fragment, compiled into a temporary LOCALE_PATHS."""
    root = django_settings.BASE_DIR
    with open(root / "locale/zh_Hans/LC_MESSAGES/django.po", "rb") as fh:
        catalog = read_po(fh)
    for fragment in sorted((root / "locale_fragments").glob("*.po")):
        with open(fragment, "rb") as fh:
            for message in read_po(fh):
                if message.id and message.string and not catalog.get(message.id):
                    catalog[message.id] = message
                elif message.id and message.string and not catalog[message.id].string:
                    catalog[message.id].string = message.string
    target = tmp_path / "locale/zh_Hans/LC_MESSAGES"
    target.mkdir(parents=True)
    with open(target / "django.mo", "wb") as fh:
        write_mo(fh, catalog)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    settings.LANGUAGE_CODE = "zh-hans"


def page(client, url, only=None, **kwargs):
    """GET a page and check it for English; ``only`` limits the check to the <section> with
    that aria-labelledby id (dashboards also carry other teams' panels)."""
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans", **kwargs)
    assert response.status_code == 200, (url, response.status_code)
    html = response.content.decode()
    checked = html
    if only:
        match = re.search(rf'<section[^>]*aria-labelledby="{only}".*?</section>', html, re.S)
        assert match, f"{only} missing on {url}"
        checked = f"<main>{match.group(0)}</main>"
    leftovers = english_leftovers(checked)
    assert not leftovers, f"English on {url}: {leftovers}"
    return html


def post(client, url, data, **kwargs):
    return client.post(url, data, HTTP_ACCEPT_LANGUAGE="zh-hans", **kwargs)


def test_the_whole_path_in_chinese(
    client,
    writers,
    referees,
    sec_writers,
    staff_user,
    django_user_model,
    django_capture_on_commit_callbacks,
):
    writers.public_notice_enabled = True
    writers.public_notice_days = 5
    writers.save()
    # 1. register with a mobile number and consent
    html = page(client, reverse("members:apply_register"))
    assert "个人信息处理告知" in html
    response = post(
        client,
        reverse("members:apply_register"),
        {
            "name": "韦小明",
            "phone": "13712345678",
            "email": "xm@example.cn",
            "password1": "Green-river-2026",
            "password2": "Green-river-2026",
            "consent": "on",
        },
        follow=True,
    )
    html = response.content.decode()
    assert not english_leftovers(html), english_leftovers(html)
    applicant = django_user_model.objects.get(phone="13712345678")
    # 2. the form: first a draft, then submit
    html = page(client, reverse("members:apply_new"))
    assert "保存草稿" in html and "提交申请" in html
    data = {
        "association": writers.pk,
        "name": "韦小明",
        "gender": "M",
        "ethnic_group": EthnicGroup.objects.get(code="09").pk,
        "birth_date": BIRTH.isoformat(),
        "id_number": id_for(1),
        "phone": "13712345678",
        "email": "xm@example.cn",
        "political_status": PoliticalStatus.objects.get(code="13").pk,
        "education": EducationLevel.objects.get(code="21").pk,
        "art_categories": [writers.art_category_id],
        "referee1_name": referees[0].person.name,
        "referee1_number": referees[0].number,
        "referee2_name": referees[1].person.name,
        "referee2_number": "AL-ZJ-9999-9999",
        "field_life": "2024年在笃山镇采风三个月。",
        "statement": "热爱文学。",
        "work_title_1": "散文集",
        "work_file_1": SimpleUploadedFile("a.pdf", PDF_BYTES, "application/pdf"),
        "photo": SimpleUploadedFile("me.jpg", jpeg_bytes(), "image/jpeg"),
    }
    response = post(client, reverse("members:apply_new"), {**data, "save": "1"}, follow=True)
    assert "草稿已保存" in response.content.decode()
    app = Application.objects.get(applicant=applicant)
    edit = reverse("members:apply_edit", args=[app.pk])
    data.pop("work_file_1"), data.pop("photo")
    response = post(client, edit, {**data, "submit": "1"})
    html = response.content.decode()
    assert response.status_code == 200 and "没有姓名为" in html  # wrong referee number
    assert not english_leftovers(html), english_leftovers(html)
    data["referee2_number"] = referees[1].number
    response = post(client, edit, {**data, "submit": "1"}, follow=True)
    html = response.content.decode()
    assert "您的申请已提交" in html and not english_leftovers(html), english_leftovers(html)
    # 3. the referees confirm in their member centre
    for ref in referees:
        client.force_login(ref.person.user, backend="accounts.backends.UsernameOrPhoneBackend")
        html = page(client, reverse("portal:member_centre"), only="referee-requests-title")
        assert "待我确认的推荐" in html
        request = app.referees.get(membership=ref)
        page(client, reverse("members:referee_respond", args=[request.pk]))
        post(client, reverse("members:referee_respond", args=[request.pk]), {"decision": "confirm"})
    app.refresh_from_db()
    assert app.status == Application.Status.ASSOCIATION_REVIEW
    # 4. the secretary: dashboard panel, queue, decision
    client.force_login(sec_writers, backend="accounts.backends.UsernameOrPhoneBackend")
    html = page(
        client, reverse("portal:secretary_dashboard", args=["ZJ"]), only="review-panel-title"
    )
    assert "待审核申请" in html
    html = page(client, reverse("members:review_queue"))
    assert "韦小明" in html
    detail = reverse("members:apply_detail", args=[app.pk])
    html = page(client, detail)
    assert "协会审核" in html
    post(
        client,
        reverse("members:apply_decide", args=[app.pk]),
        {"decision": "approve", "reason": "作品扎实", "expected_status": "association_review"},
    )
    # a second, stale click: told who did what
    response = post(
        client,
        reverse("members:apply_decide", args=[app.pk]),
        {"decision": "approve", "reason": "作品扎实", "expected_status": "association_review"},
        follow=True,
    )
    html = response.content.decode()
    assert "该申请已由作协秘书于" in html and "请刷新查看" in html, html
    # 5. staff: approve → public notice
    client.force_login(staff_user, backend="accounts.backends.UsernameOrPhoneBackend")
    page(client, reverse("portal:staff_dashboard"), only="review-panel-title")
    page(client, reverse("members:review_queue") + "?status=federation_review")
    page(client, detail)
    post(
        client,
        reverse("members:apply_decide", args=[app.pk]),
        {"decision": "approve", "reason": "同意，进入公示", "expected_status": "federation_review"},
    )
    app.refresh_from_db()
    assert app.status == Application.Status.PUBLIC_NOTICE
    # 6. the public: notice list (masked) and an objection
    client.logout()
    html = page(client, reverse("members:notice_list"))
    assert "韦*明" in html and "韦小明" not in html
    objection_url = reverse("members:objection_new", args=[app.pk])
    page(client, objection_url)
    response = post(client, objection_url, {"name": "", "contact": "", "content": "x"})
    html = response.content.decode()
    assert "不受理匿名异议" in html and not english_leftovers(html)
    post(client, objection_url, {"name": "李四", "contact": "13900001111", "content": "抄袭"})
    objection = ApplicationObjection.objects.get()
    # 7. staff dismiss the objection; after the period, final approval
    client.force_login(staff_user, backend="accounts.backends.UsernameOrPhoneBackend")
    html = page(client, detail)
    assert "抄袭" in html
    post(
        client,
        reverse("members:objection_resolve", args=[app.pk, objection.pk]),
        {"outcome": "dismissed", "reason": "经核实不属实"},
    )
    Application.objects.filter(pk=app.pk).update(
        notice_ends_on=timezone.localdate() - timedelta(days=1)
    )
    page(client, detail)
    with django_capture_on_commit_callbacks(execute=True):
        post(
            client,
            reverse("members:apply_decide", args=[app.pk]),
            {"decision": "approve", "reason": "公示期满", "expected_status": "public_notice"},
        )
    (message,) = [m for m in mail.outbox if m.to == ["xm@example.cn"]]
    assert message.subject == "【安龙县文联】您的入会申请"
    assert "韦小明您好" in message.body and "祝贺您" in message.body
    app.refresh_from_db()
    assert app.status == Application.Status.APPROVED
    number = app.membership.number
    assert re.fullmatch(rf"AL-ZJ-{timezone.localdate().year}-0001", number)
    # 8. the new member sees the timeline, the message and the membership
    client.force_login(applicant, backend="accounts.backends.UsernameOrPhoneBackend")
    html = page(client, reverse("portal:member_centre"), only="app-notices-title")
    assert number in html and "祝贺您" in html
    page(client, reverse("portal:member_centre"), only="my-applications-title")
    html = page(client, detail)
    for text in ("作品扎实", "同意，进入公示", "公示期满", "已批准"):
        assert text in html
    page(client, reverse("members:apply_mine"))
