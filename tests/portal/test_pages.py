import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_home_is_chinese_and_lists_associations(client):
    body = client.get("/").content.decode()
    assert "安龙县文学艺术界联合会" in body
    assert 'lang="zh-CN"' in body
    for name in ["安龙县作家协会", "安龙县摄影家协会", "安龙县民族民间艺术家协会"]:
        assert name in body
    assert "Log in" not in body and "登录" in body


def test_english_switch(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    body = client.get("/").content.decode()
    assert "Log in" in body and 'lang="en"' in body


def test_chinese_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


@override_settings(DEBUG=False)
def test_chinese_500(client):
    from portal import views

    response = views.error_500(client.get("/").wsgi_request)
    assert response.status_code == 500 and "系统出错了" in response.content.decode()


def test_admin_is_branded_in_chinese(client, staff_user):
    client.force_login(staff_user, backend="accounts.backends.UsernameOrPhoneBackend")
    body = client.get("/admin/").content.decode()
    assert "安龙县文学艺术界联合会" in body and "管理" in body


def test_dates_are_chinese(client, member_user):
    client.force_login(member_user, backend="accounts.backends.UsernameOrPhoneBackend")
    body = client.get("/me/").content.decode()
    assert "年" in body and "月" in body and "日" in body


def test_staff_dashboard_counts_real_members(client, staff_user, writers):
    from tests.factories import MembershipFactory

    MembershipFactory.create_batch(3, association=writers)
    client.force_login(staff_user, backend="accounts.backends.UsernameOrPhoneBackend")
    response = client.get("/dashboard/staff/")
    assert response.context["total_members"] == 3


def test_association_page_leads_to_the_application(client, member_user):
    body = client.get("/associations/SF/").content.decode()
    assert 'data-testid="apply-here"' in body and "/members/apply/register/" in body
    client.force_login(member_user, backend="accounts.backends.UsernameOrPhoneBackend")
    body = client.get("/associations/SF/").content.decode()
    assert "/members/apply/new/?association=SF" in body
