"""Role × page matrix for the foundation pages. Outside scope answers 404, never 403."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"

# page -> expected status per role ("login" = redirect to the login page)
MATRIX = {
    "home": (
        "portal:home",
        {},
        {"anonymous": 200, "member": 200, "sec_writers": 200, "sec_photo": 200, "staff": 200},
    ),
    "association_public": (
        "associations:public_detail",
        {"code": "ZJ"},
        {"anonymous": 200, "member": 200, "sec_writers": 200, "sec_photo": 200, "staff": 200},
    ),
    "member_centre": (
        "portal:member_centre",
        {},
        {"anonymous": "login", "member": 200, "sec_writers": 200, "sec_photo": 200, "staff": 200},
    ),
    "staff_dashboard": (
        "portal:staff_dashboard",
        {},
        {"anonymous": "login", "member": 403, "sec_writers": 403, "sec_photo": 403, "staff": 200},
    ),
    "writers_dashboard": (
        "portal:secretary_dashboard",
        {"code": "ZJ"},
        {"anonymous": "login", "member": 404, "sec_writers": 200, "sec_photo": 404, "staff": 200},
    ),
    "photo_dashboard": (
        "portal:secretary_dashboard",
        {"code": "SY"},
        {"anonymous": "login", "member": 404, "sec_writers": 404, "sec_photo": 200, "staff": 200},
    ),
    "admin_index": (
        "admin:index",
        {},
        {
            "anonymous": "admin_login",
            "member": "admin_login",
            "sec_writers": "admin_login",
            "sec_photo": "admin_login",
            "staff": 200,
        },
    ),
}

CASES = [(page, role) for page, (_, _, expected) in MATRIX.items() for role in expected]


@pytest.mark.parametrize("page,role", CASES)
def test_role_page_matrix(page, role, role_users, client_for):
    name, kwargs, expected = MATRIX[page]
    response = client_for(role_users[role]).get(reverse(name, kwargs=kwargs))
    want = expected[role]
    if want == "login":
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    elif want == "admin_login":
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    else:
        assert response.status_code == want


@pytest.mark.parametrize(
    "role,target",
    [
        ("staff", "/dashboard/staff/"),
        ("sec_writers", "/dashboard/association/"),
        ("sec_photo", "/dashboard/association/"),
        ("member", "/me/"),
    ],
)
def test_each_role_lands_on_its_page(role, target, role_users, client_for):
    response = client_for(role_users[role]).get(reverse("portal:landing"))
    assert response.status_code == 302 and response["Location"] == target


def test_secretary_home_goes_to_own_association(sec_photo, client_for):
    response = client_for(sec_photo).get("/dashboard/association/")
    assert response["Location"] == "/dashboard/association/SY/"


def test_secretary_dashboard_shows_only_own_members(
    sec_writers, writers, photographers, client_for
):
    from tests.factories import MembershipFactory, PersonFactory

    MembershipFactory(person=PersonFactory(name="作协甲"), association=writers)
    MembershipFactory(person=PersonFactory(name="摄协乙"), association=photographers)
    body = client_for(sec_writers).get("/dashboard/association/ZJ/").content.decode()
    assert "作协甲" in body and "摄协乙" not in body


def test_secretary_of_two_associations_can_switch(
    sec_writers, photographers, admin_user, client_for
):
    from associations.services import secretary_assign

    secretary_assign(user=sec_writers, association=photographers, actor=admin_user)
    c = client_for(sec_writers)
    assert c.get("/dashboard/association/SY/").status_code == 200
    body = c.get("/dashboard/association/ZJ/").content.decode()
    assert 'href="/dashboard/association/SY/"' in body


def test_revoked_secretary_loses_scope(sec_writers, writers, admin_user, client_for):
    from associations.services import secretary_revoke

    secretary_revoke(user=sec_writers, association=writers, actor=admin_user)
    assert client_for(sec_writers).get("/dashboard/association/ZJ/").status_code == 404


def test_global_permission_does_not_widen_secretary_scope(sec_writers, client_for):
    from django.contrib.auth.models import Permission

    sec_writers.user_permissions.add(Permission.objects.get(codename="manage_association"))
    assert client_for(sec_writers).get("/dashboard/association/SY/").status_code == 404


def test_member_centre_shows_own_record_only(member_user, client_for):
    from tests.factories import PersonFactory

    PersonFactory(name="别人的名字")
    body = client_for(member_user).get("/me/").content.decode()
    assert "龙雪梅" in body and "别人的名字" not in body
