"""Fixtures shared by every test: the role accounts of the permission matrix."""

import os
import shutil

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache

from accounts import roles
from associations.models import Association
from associations.services import secretary_assign
from tests.factories import MembershipFactory, PersonFactory, UserFactory

PASSWORD = "Test-pass-2026!"
BACKEND = "accounts.backends.UsernameOrPhoneBackend"


@pytest.fixture(scope="session", autouse=True)
def _serialized_rollback_in_every_context(django_db_setup):
    """Give every connection object the data that ``serialized_rollback`` restores.

    Django keeps it on the connection object made at set-up; Playwright's sync API (browser
    tests) runs an event loop, under which ``connections`` hands out new objects without
    it, so a transactional test after another one found an empty database."""
    from django.db import connections

    for alias in connections:
        contents = getattr(connections[alias], "_test_serialized_contents", None)
        if contents is not None:
            type(connections[alias])._test_serialized_contents = contents


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests create many accounts; production keeps Django's default PBKDF2 hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clear_cache():
    yield
    cache.clear()


@pytest.fixture
def writers(db):
    return Association.objects.get(code="ZJ")


@pytest.fixture
def photographers(db):
    return Association.objects.get(code="SY")


@pytest.fixture
def staff_user(db):
    return UserFactory(username="t_staff", full_name="文联干部", is_staff=True, roles=[roles.STAFF])


@pytest.fixture
def admin_user(db):
    return UserFactory(username="t_admin", is_staff=True, is_superuser=True)


@pytest.fixture
def sec_writers(db, writers, admin_user):
    user = UserFactory(username="t_sec_writers", full_name="作协秘书")
    secretary_assign(user=user, association=writers, actor=admin_user)
    return user


@pytest.fixture
def sec_photo(db, photographers, admin_user):
    user = UserFactory(username="t_sec_photo", full_name="摄协秘书")
    secretary_assign(user=user, association=photographers, actor=admin_user)
    return user


@pytest.fixture
def member_user(db, writers):
    user = UserFactory(username="t_member", full_name="龙雪梅", roles=[roles.MEMBER])
    person = PersonFactory(name="龙雪梅", user=user)
    MembershipFactory(person=person, association=writers)
    return user


@pytest.fixture
def role_users(db, staff_user, sec_writers, sec_photo, member_user):
    """Every role of the permission matrix; None is the anonymous visitor."""
    return {
        "anonymous": None,
        "member": member_user,
        "sec_writers": sec_writers,
        "sec_photo": sec_photo,
        "staff": staff_user,
    }


@pytest.fixture
def client_for(client):
    def _login(user):
        client.logout()
        if user is not None:
            client.force_login(user, backend=BACKEND)
        return client

    return _login


__all__ = ["PASSWORD", "Group"]


# -- browser tests (Playwright driving the system Chromium) ----------------------------
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture
def browser(live_server):
    """Chromium, started after the test database is set up (it depends on live_server):
    Playwright's sync API runs an event loop, and a connection opened under it does not carry
    the data that ``serialized_rollback`` restores. Function-scoped for the same reason."""
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.skip(
            f"Chromium not found at {CHROMIUM}: install Debian's `chromium` to run browser tests"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright package is not installed")
    # Playwright's sync API runs an event loop; Django's async-safety check must allow it.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()
