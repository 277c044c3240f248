"""Staff see an object's change history (django-auditlog) in the admin."""

import pytest
from auditlog.context import set_actor

from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_admin_history_shows_who_changed_what(client_for, staff_user):
    person = PersonFactory(name="李四")
    with set_actor(staff_user):
        person.work_unit = "安龙县文化馆"
        person.save()
    body = (
        client_for(staff_user).get(f"/admin/members/person/{person.pk}/history/").content.decode()
    )
    assert "安龙县文化馆" in body
    assert staff_user.get_full_name() in body
    # The encrypted ID number never enters the audit trail.
    assert person.id_number not in body


def test_history_hidden_from_non_staff(client_for, sec_writers):
    person = PersonFactory(name="李五")
    response = client_for(sec_writers).get(f"/admin/members/person/{person.pk}/history/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
