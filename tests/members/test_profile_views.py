"""Self-service contact details, own photo and own record history (MEM-05, contact part)."""

from __future__ import annotations

import io

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image

from associations.models import Town
from members.models import Person
from members.services import person_update_contact
from tests.factories import MembershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def zh(message: str) -> str:
    with translation.override("zh-hans"):
        return gettext(message)


def jpeg(color=(180, 90, 40), exif_make: str | None = None) -> bytes:
    buf = io.BytesIO()
    img = Image.new("RGB", (80, 100), color)
    if exif_make:
        exif = Image.Exif()
        exif[0x010F] = exif_make  # Make
        exif[0x0110] = "Model-With-GPS"  # Model
        gps = exif.get_ifd(0x8825)
        gps[1] = "N"
        gps[2] = (26.0, 30.0, 0.0)
        img.save(buf, "JPEG", exif=exif)
    else:
        img.save(buf, "JPEG")
    return buf.getvalue()


def give_photo(person, data=None):
    person.photo.save("seed.jpg", ContentFile(data or jpeg()), save=True)
    return person


def form_data(person, **overrides):
    data = {
        "phone": person.phone,
        "email": person.email,
        "address": person.address,
        "work_unit": person.work_unit,
        "job_title": person.job_title,
        "professional_title": person.professional_title,
        "town": person.town_id or "",
        "pen_name": person.pen_name,
        "bio": person.bio,
        "representative_works": person.representative_works,
    }
    data.update(overrides)
    return data


def check_status(response, want):
    if want == "login":
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    else:
        assert response.status_code == want, response.status_code


# --------------------------------------------------------------------------- #
# role matrix
# --------------------------------------------------------------------------- #
OWN_PAGES = {
    "anonymous": "login",
    "member": 200,
    "sec_writers": 404,
    "sec_photo": 404,
    "staff": 404,
}


@pytest.mark.parametrize("page", ["me:profile", "me:history", "me:photo"])
@pytest.mark.parametrize("role", OWN_PAGES)
def test_own_pages_role_matrix(page, role, role_users, member_user, client_for):
    give_photo(member_user.person)
    check_status(client_for(role_users[role]).get(reverse(page)), OWN_PAGES[role])


PHOTO_MATRIX = {
    "anonymous": "login",
    "member": 200,
    "sec_writers": 200,
    "sec_photo": 404,
    "staff": 200,
}


@pytest.mark.parametrize("role", PHOTO_MATRIX)
def test_person_photo_role_matrix(role, role_users, member_user, client_for):
    person = give_photo(member_user.person)
    response = client_for(role_users[role]).get(reverse("members:person_photo", args=[person.pk]))
    check_status(response, PHOTO_MATRIX[role])
    if response.status_code == 200:
        assert response["Content-Type"] == "image/jpeg"
        assert "no-store" in response["Cache-Control"]
        assert response["X-Content-Type-Options"] == "nosniff"


def test_member_cannot_see_another_persons_photo(member_user, writers, client_for):
    other = give_photo(MembershipFactory(association=writers).person)
    url = reverse("members:person_photo", args=[other.pk])
    assert client_for(member_user).get(url).status_code == 404


def test_own_photo_404_without_photo(member_user, client_for):
    assert client_for(member_user).get(reverse("me:photo")).status_code == 404


def test_photo_is_not_served_from_media_url(member_user, client_for):
    person = give_photo(member_user.person)
    response = client_for(member_user).get("/media/" + person.photo.name)
    assert response.status_code == 404


# --------------------------------------------------------------------------- #
# editing
# --------------------------------------------------------------------------- #
def test_edit_saves_contact_fields(member_user, client_for):
    person = member_user.person
    town = Town.objects.order_by("-sort_order").first()
    response = client_for(member_user).post(
        reverse("me:profile"),
        form_data(
            person,
            phone="13698765432",
            email="xuemei@example.cn",
            address="招堤街道 1 号",
            work_unit="安龙县第一中学",
            job_title="教师",
            professional_title="一级教师",
            town=town.pk,
            pen_name="雪梅",
            bio="布依族作家。",
            representative_works="《山歌》",
        ),
    )
    assert response.status_code == 302 and response["Location"] == reverse("me:profile")
    person.refresh_from_db()
    assert (person.phone, person.email, person.work_unit, person.town_id) == (
        "13698765432",
        "xuemei@example.cn",
        "安龙县第一中学",
        town.pk,
    )
    assert (person.pen_name, person.professional_title, person.job_title) == (
        "雪梅",
        "一级教师",
        "教师",
    )
    entry = LogEntry.objects.get_for_object(person).filter(action=LogEntry.Action.UPDATE).last()
    assert entry.actor_id == member_user.pk
    assert "phone" in entry.changes_dict


def test_bad_mobile_number_saves_nothing(member_user, client_for):
    person = member_user.person
    old_phone, old_email = person.phone, person.email
    response = client_for(member_user).post(
        reverse("me:profile"), form_data(person, phone="12345", email="new@example.cn")
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert (
        zh("Enter an 11-digit mainland mobile number starting with 13–19, e.g. 13812345678.")
        in body
    )
    person.refresh_from_db()
    assert (person.phone, person.email) == (old_phone, old_email)


def test_identity_fields_cannot_be_changed_by_posting_them(member_user, client_for):
    person = member_user.person
    before = (person.name, person.gender, person.birth_date, person.id_hash, person.ethnic_group_id)
    response = client_for(member_user).post(
        reverse("me:profile"),
        form_data(
            person,
            phone="13611112222",
            name="冒名顶替",
            gender="F",
            birth_date="2001-01-01",
            id_number="52232819900101002X",
            ethnic_group=2,
        ),
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.phone == "13611112222"
    assert (
        person.name,
        person.gender,
        person.birth_date,
        person.id_hash,
        person.ethnic_group_id,
    ) == before


def test_service_refuses_identity_fields(member_user):
    person = member_user.person
    with pytest.raises(ValidationError) as exc:
        person_update_contact(person=person, actor=member_user, phone="13600000000", name="X")
    assert exc.value.code == "not_contact_field"
    person.refresh_from_db()
    assert person.phone != "13600000000" and person.name == "龙雪梅"


def test_service_is_all_or_nothing(member_user):
    person = member_user.person
    old = (person.phone, person.email)
    with pytest.raises(ValidationError) as exc:
        person_update_contact(
            person=person, actor=member_user, phone="13600000000", email="not-an-e-mail"
        )
    assert "email" in exc.value.error_dict
    person.refresh_from_db()
    assert (person.phone, person.email) == old


def test_photo_upload_is_sanitised_and_served_through_the_view(member_user, client_for):
    person = member_user.person
    original = jpeg(exif_make="SpyCam-Maker")
    assert b"SpyCam-Maker" in original
    upload = SimpleUploadedFile("龙雪梅-身份证.jpg", original, content_type="image/jpeg")
    client = client_for(member_user)
    response = client.post(reverse("me:profile"), {**form_data(person), "photo": upload})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.photo.name.startswith("photos/")
    assert "龙雪梅" not in person.photo.name and "身份证" not in person.photo.name
    with person.photo.open("rb") as fh:
        stored = fh.read()
    assert b"SpyCam-Maker" not in stored and b"Exif" not in stored
    with Image.open(io.BytesIO(stored)) as img:
        assert img.format == "JPEG"
        assert not img.getexif()
    served = client.get(reverse("me:photo"))
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == stored


def test_not_an_image_is_rejected_and_nothing_saved(member_user, client_for):
    person = give_photo(member_user.person)
    old_name = person.photo.name
    upload = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    response = client_for(member_user).post(
        reverse("me:profile"), {**form_data(person, phone="13655556666"), "photo": upload}
    )
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    person.refresh_from_db()
    assert person.photo.name == old_name and person.phone != "13655556666"


# --------------------------------------------------------------------------- #
# history
# --------------------------------------------------------------------------- #
def test_history_lists_own_changes_without_id_number(member_user, staff_user, client_for):
    person = member_user.person
    person_update_contact(person=person, actor=member_user, work_unit="安龙县文化馆")
    # A staff correction of the ID number is recorded (masked) but never shown here.
    person.refresh_from_db()
    person.id_masked = "5223**********9999"
    person.save()
    client = client_for(member_user)
    body = client.get(reverse("me:history")).content.decode()
    assert "安龙县文化馆" in body
    assert zh("work unit") in body
    assert "9999" not in body and person.id_masked not in body
    assert person.id_number not in body


def test_history_visible_only_to_its_owner(member_user, writers, client_for):
    other_user = UserFactory(username="t_other_member")
    other = PersonFactory(name="罗秀英", user=other_user)
    MembershipFactory(person=other, association=writers)
    person_update_contact(person=other, actor=other_user, work_unit="秘密单位甲")
    body = client_for(member_user).get(reverse("me:history")).content.decode()
    assert "秘密单位甲" not in body
    assert "秘密单位甲" in client_for(other_user).get(reverse("me:history")).content.decode()


def test_history_query_count_does_not_grow(member_user, client_for, django_assert_max_num_queries):
    person = member_user.person
    towns = list(Town.objects.order_by("sort_order")[:5])
    for i in range(40):
        person_update_contact(
            person=person,
            actor=member_user,
            work_unit=f"单位{i}",
            town=towns[i % len(towns)],
        )
    client = client_for(member_user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("me:history"))
    body = response.content.decode()
    assert "单位39" in body and towns[0].name in body


def test_person_model_untouched_fields_are_not_logged(member_user):
    person = member_user.person
    person_update_contact(person=person, actor=member_user, phone=person.phone)
    assert (
        not LogEntry.objects.get_for_object(person).filter(action=LogEntry.Action.UPDATE).exists()
    )
    assert Person.objects.get(pk=person.pk).phone == person.phone
