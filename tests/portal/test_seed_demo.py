import pytest
from django.core.management import call_command

from accounts.models import User
from members.models import Membership, Person

pytestmark = pytest.mark.django_db


def test_seed_demo_is_deterministic_and_idempotent():
    call_command("seed_demo", members=200)
    people = Person.objects.count()
    snapshot = sorted(Person.objects.values_list("name", "birth_date", "id_hash"))
    call_command("seed_demo", members=200)
    assert Person.objects.count() == people
    assert sorted(Person.objects.values_list("name", "birth_date", "id_hash")) == snapshot
    assert {"admin", "staff", "sec_writers", "sec_photo", "member"} <= set(
        User.objects.values_list("username", flat=True)
    )
    # Spread over associations, towns, genders and ethnic groups.
    assert Membership.objects.values("association").distinct().count() == 9
    assert Person.objects.values("town").distinct().count() >= 10
    assert Person.objects.values("gender").distinct().count() == 2
    assert Person.objects.values("ethnic_group").distinct().count() >= 3
    # Numbers unique; ID numbers decrypt and match the masked form.
    numbers = list(Membership.objects.exclude(number=None).values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))
    p = Person.objects.filter(user=None).first()
    assert p.id_masked[:4] == p.id_number[:4] and p.id_masked[-4:] == p.id_number[-4:]


def test_demo_accounts_have_their_roles(client, settings):
    call_command("seed_demo", members=10)
    for username, target in [
        ("staff", "/dashboard/staff/"),
        ("sec_writers", "/dashboard/association/"),
        ("sec_photo", "/dashboard/association/"),
        ("member", "/me/"),
    ]:
        client.logout()
        response = client.post(
            "/accounts/login/", {"username": username, "password": settings.DEMO_PASSWORD}
        )
        assert response.status_code == 302, username
        assert client.get("/start/")["Location"] == target


def test_demo_member_has_a_numbered_membership_and_matching_gender():
    call_command("seed_demo", members=5)
    person = Person.objects.get(user__username="member")
    assert person.name == "龙雪梅" and person.gender == "F"
    assert int(person.id_number[16]) % 2 == 0  # the ID number agrees: even = female
    membership = person.memberships.get()
    assert membership.number.startswith(f"AL-ZJ-{membership.joined_on.year}-")
