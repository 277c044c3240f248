"""Staff edit people in the admin: photos are sanitised, names stay searchable, and only a
superuser can touch superuser status."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from members.models import Person
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def _jpeg_with_exif() -> bytes:
    img = Image.new("RGB", (40, 40), "red")
    exif = Image.Exif()
    exif[0x010F] = "SecretCamera"
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif)
    return buf.getvalue()


def _change_data(person, **extra):
    data = {
        "name": person.name,
        "gender": person.gender,
        "ethnic_group": person.ethnic_group_id,
        "birth_date": person.birth_date.isoformat(),
        "phone": person.phone,
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    data.update(extra)
    return data


def test_admin_photo_is_sanitised_and_name_terms_follow_the_name(client_for, staff_user):
    person = PersonFactory(name="张三")
    upload = SimpleUploadedFile("zhang-san-ID-522328.jpg", _jpeg_with_exif(), "image/jpeg")
    response = client_for(staff_user).post(
        f"/admin/members/person/{person.pk}/change/",
        _change_data(person, name="李四", photo=upload),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert "522328" not in person.photo.name and person.photo.name.endswith(".jpg")
    with person.photo.open("rb") as fh:
        assert b"SecretCamera" not in fh.read()
    assert "李" in person.name_terms and "李四" in person.name_terms
    assert Person.objects.filter(name_terms__contains=["李四"]).exists()


def test_staff_cannot_make_themselves_superuser(client_for, staff_user, admin_user):
    c = client_for(staff_user)
    # A superuser's account is read-only for staff: no editable field, and a POST is refused.
    page = c.get(f"/admin/accounts/user/{admin_user.pk}/change/").content.decode()
    assert 'name="username"' not in page
    response = c.post(
        f"/admin/accounts/user/{admin_user.pk}/change/", {"username": "hijack", "is_active": "on"}
    )
    assert response.status_code == 403
    admin_user.refresh_from_db()
    assert admin_user.username == "t_admin"
    other = UserFactory(username="someone")
    page = c.get(f"/admin/accounts/user/{other.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page and 'name="user_permissions"' not in page


def test_application_admin_is_read_only_and_hides_the_id_number(
    client_for, staff_user, sec_writers
):
    from associations.models import Association
    from tests.members.apply_support import make_applicant, make_draft, make_referee

    writers = Association.objects.get(code="ZJ")
    referees = [
        make_referee(writers, "甲", "AL-ZJ-A-1", "ref_x"),
        make_referee(writers, "乙", "AL-ZJ-A-2", "ref_y"),
    ]
    app = make_draft(make_applicant(), writers, referees, seq=1)
    staff = client_for(staff_user)
    listing = staff.get("/admin/members/application/").content.decode()
    assert app.name in listing and app.id_masked in listing
    page = staff.get(f"/admin/members/application/{app.pk}/change/").content.decode()
    assert app.id_number not in page and 'name="status"' not in page
    assert staff.get("/admin/members/application/add/").status_code == 403
    assert client_for(sec_writers).get("/admin/members/application/").status_code == 302


def test_admin_searches_use_the_name_index(client_for, staff_user):
    from tests.factories import MembershipFactory

    wang = MembershipFactory(person=PersonFactory(name="王芳"), number="AL-ZJ-2020-0042")
    MembershipFactory(person=PersonFactory(name="李明"))
    c = client_for(staff_user)
    people = c.get("/admin/members/person/", {"q": "王"}).context["cl"].result_list
    assert [p.name for p in people] == ["王芳"]
    people = c.get("/admin/members/person/", {"q": wang.person.phone}).context["cl"].result_list
    assert [p.name for p in people] == ["王芳"]
    rows = c.get("/admin/members/membership/", {"q": "AL-ZJ-2020-0042"}).context["cl"].result_list
    assert [m.pk for m in rows] == [wang.pk]
    rows = c.get("/admin/members/membership/", {"q": "芳"}).context["cl"].result_list
    assert [m.pk for m in rows] == [wang.pk]
