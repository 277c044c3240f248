"""The inbox pages: role matrix, own messages only, mark read, header count, query count."""

import pytest
from django.urls import reverse

from notifications import services
from notifications.models import Notification, NotificationPreference

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ROLES = ["anonymous", "member", "sec_writers", "sec_photo", "staff"]


def _give(user, n=1, prefix="消息", kind="test_inbox"):
    return [
        services.notify(
            recipient=user,
            kind=kind,
            title=f"{prefix}{i}",
            body=f"{prefix}{i}的正文",
            url="/me/",
            obj_key=f"test:{user.pk}:{prefix}:{i}",
            period="2027",
            channels=("inbox",),
        ).notification
        for i in range(n)
    ]


@pytest.mark.parametrize("role", ROLES)
def test_inbox_role_matrix_each_sees_only_own(role, role_users, client_for):
    for name, user in role_users.items():
        if user is not None:
            _give(user, prefix=f"给{name}的消息")
    response = client_for(role_users[role]).get(reverse("notifications:inbox"))
    if role == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)
        return
    assert response.status_code == 200
    body = response.content.decode()
    assert f"给{role}的消息0" in body
    for other in ROLES:
        if other not in (role, "anonymous"):
            assert f"给{other}的消息" not in body


@pytest.mark.parametrize("role", ROLES)
def test_marking_another_users_message_answers_404(role, role_users, client_for, member_user):
    owner = role_users["sec_photo"] if role != "sec_photo" else role_users["sec_writers"]
    target = _give(owner)[0]
    response = client_for(role_users[role]).post(
        reverse("notifications:mark_read", args=[target.pk])
    )
    if role == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    else:
        assert response.status_code == 404
    target.refresh_from_db()
    assert target.read_at is None


@pytest.mark.parametrize(
    "name", ["notifications:inbox", "notifications:preferences", "notifications:mark_all_read"]
)
def test_anonymous_is_sent_to_login(name, client):
    response = client.post(reverse(name)) if "mark" in name else client.get(reverse(name))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_mark_one_read_then_all_read_and_header_count(member_user, client_for):
    notes = _give(member_user, 3)
    c = client_for(member_user)
    body = c.get(reverse("portal:home")).content.decode()
    assert 'class="nav-badge"' in body and ">3</span>" in body
    response = c.post(
        reverse("notifications:mark_read", args=[notes[0].pk]), {"next": "/notifications/"}
    )
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    notes[0].refresh_from_db()
    assert notes[0].read_at is not None
    assert ">2</span>" in c.get(reverse("portal:home")).content.decode()
    # An outside address in "next" is ignored.
    response = c.post(
        reverse("notifications:mark_read", args=[notes[1].pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("notifications:inbox")
    c.post(reverse("notifications:mark_all_read"))
    assert not Notification.objects.filter(recipient=member_user, read_at__isnull=True).exists()
    assert 'class="nav-badge"' not in c.get(reverse("portal:home")).content.decode()


def test_mark_read_needs_post(member_user, client_for):
    note = _give(member_user)[0]
    response = client_for(member_user).get(reverse("notifications:mark_read", args=[note.pk]))
    assert response.status_code == 405


def test_unread_first_and_links_to_the_thing(member_user, client_for):
    old, new = _give(member_user, 2)
    services.notification_mark_read(notification=new, actor=member_user)
    body = client_for(member_user).get(reverse("notifications:inbox")).content.decode()
    assert body.index("消息0") < body.index("消息1")  # the unread one comes first
    assert 'href="/me/"' in body


def test_unsafe_link_is_not_rendered(member_user, client_for):
    services.notify(
        recipient=member_user,
        kind="test_inbox",
        title="危险链接",
        body="",
        url="javascript:alert(1)",
        obj_key="x:1",
        period="2027",
        channels=("inbox",),
    )
    body = client_for(member_user).get(reverse("notifications:inbox")).content.decode()
    assert "危险链接" in body and "javascript:alert" not in body


def test_inbox_paginates_with_bounded_queries(
    member_user, client_for, django_assert_max_num_queries
):
    _give(member_user, 45)
    c = client_for(member_user)
    with django_assert_max_num_queries(12):
        first = c.get(reverse("notifications:inbox"))
    assert first.status_code == 200
    assert first.content.decode().count('data-testid="notification"') == 20
    last = c.get(reverse("notifications:inbox") + "?page=3")
    assert last.content.decode().count('data-testid="notification"') == 5


def test_inbox_query_count_does_not_grow_with_rows(
    member_user, client_for, django_assert_max_num_queries
):
    _give(member_user, 5)
    c = client_for(member_user)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        c.get(reverse("notifications:inbox"))
    _give(member_user, 40, prefix="更多")
    with CaptureQueriesContext(connection) as many:
        c.get(reverse("notifications:inbox"))
    assert len(many) <= len(few) + 1  # at most the re-counted unread number after a change


def test_preferences_page_saves_own_settings(member_user, client_for):
    c = client_for(member_user)
    page = c.get(reverse("notifications:preferences"))
    assert page.status_code == 200 and 'name="email"' in page.content.decode()
    response = c.post(reverse("notifications:preferences"), {"sms": "on"})
    assert response.status_code == 302
    pref = NotificationPreference.objects.get(user=member_user, kind="")
    assert (pref.email, pref.sms) == (False, True)
