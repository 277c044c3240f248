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


def test_admin_history_queries_do_not_grow_with_entries(
    client_for, staff_user, django_assert_max_num_queries
):
    from associations.models import Town

    person = PersonFactory(name="王五")
    towns = list(Town.objects.all()[:6])
    c = client_for(staff_user)
    url = f"/admin/members/person/{person.pk}/history/"
    for town in towns:  # six foreign-key changes: names come from one query
        with set_actor(staff_user):
            person.town = town
            person.save()
    with django_assert_max_num_queries(12):
        body = c.get(url).content.decode()
    assert towns[-1].name in body and towns[-2].name in body
