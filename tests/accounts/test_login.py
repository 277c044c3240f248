import pytest
from django.core import mail
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_with_username_lands_on_role_page(client, member_user):
    response = client.post(
        reverse("accounts:login"), {"username": "t_member", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 302  # landing -> member centre


def test_login_with_mobile_number(client, member_user):
    member_user.phone = "13912345678"
    member_user.save()
    response = client.post(
        reverse("accounts:login"), {"username": "13912345678", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_wrong_password_gives_chinese_message(client, member_user):
    response = client.post(reverse("accounts:login"), {"username": "t_member", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名（或手机号）与密码不匹配" in response.content.decode()


def test_five_failures_lock_that_username_and_address_only(client, member_user, staff_user):
    url = reverse("accounts:login")
    for _ in range(5):
        client.post(url, {"username": "t_member", "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
    locked = client.post(
        url, {"username": "t_member", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert locked.status_code == 429
    assert "登录暂时被锁定" in locked.content.decode()
    # The same user from another address, and another user from the same address, still log in.
    other_ip = client.post(
        url, {"username": "t_member", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2"
    )
    assert other_ip.status_code == 302
    client.logout()
    other_user = client.post(
        url, {"username": "t_staff", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert other_user.status_code == 302


def test_password_reset_sends_chinese_email(client, member_user):
    response = client.post(reverse("accounts:password_reset"), {"email": member_user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "重置" in mail.outbox[0].subject
    assert "/accounts/password/reset/" in mail.outbox[0].body


def test_weak_password_rejected(member_user):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("12345678", member_user)


def test_sessions_expire(settings):
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_forged_forwarded_for_header_does_not_escape_the_lockout(client, member_user):
    url = reverse("accounts:login")
    for i in range(5):
        client.post(
            url,
            {"username": "t_member", "password": "wrong"},
            REMOTE_ADDR="10.0.0.9",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{i}",
        )
    locked = client.post(
        url,
        {"username": "t_member", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.9",
        HTTP_X_FORWARDED_FOR="192.0.2.200",
    )
    assert locked.status_code == 429


def test_locked_out_page_states_the_configured_cool_off(client, member_user, settings):
    from datetime import timedelta

    settings.AXES_COOLOFF_TIME = timedelta(minutes=45)
    url = reverse("accounts:login")
    for _ in range(5):
        client.post(url, {"username": "t_member", "password": "wrong"}, REMOTE_ADDR="10.0.0.7")
    locked = client.post(url, {"username": "t_member", "password": "x"}, REMOTE_ADDR="10.0.0.7")
    assert "45" in locked.content.decode()
