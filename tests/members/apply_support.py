"""Shared helpers and fixtures of the application tests (imported by test_apply_*.py)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from associations.models import ArtCategory
from members import services
from members.idcard import make_test_id_number
from members.models import EducationLevel, EthnicGroup, Membership, PoliticalStatus
from tests.factories import MembershipFactory, PersonFactory, UserFactory

BIRTH = date(1990, 5, 17)
AREA = "522301"


def id_for(seq: int, birth: date = BIRTH) -> str:
    """A valid ID number; odd ``seq`` = male."""
    return make_test_id_number(AREA, birth, seq)


def jpeg_bytes(size=(60, 80)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (90, 120, 160)).save(buf, "JPEG")
    return buf.getvalue()


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def photo_file():
    return ContentFile(jpeg_bytes(), name="0123456789abcdef0123456789abcdef.jpg")


def pdf_file():
    return ContentFile(PDF_BYTES, name="fedcba9876543210fedcba9876543210.pdf")


def make_applicant(username="t_applicant", phone="13700000001", consent=True, **kwargs):
    user = UserFactory(username=username, phone=phone, full_name="韦小明", **kwargs)
    if consent:
        services.privacy_consent_record(user=user, version=services.privacy_consent_version())
    return user


def make_referee(association, name, number, username):
    user = UserFactory(username=username, full_name=name)
    person = PersonFactory(name=name, user=user)
    return MembershipFactory(person=person, association=association, number=number)


def profile_data(association, referees, *, seq=1, **overrides) -> dict:
    data = {
        "association": association,
        "name": "韦小明",
        "pen_name": "",
        "gender": "M" if seq % 2 else "F",
        "ethnic_group": EthnicGroup.objects.get(code="09"),
        "birth_date": BIRTH,
        "id_number": id_for(seq),
        "phone": "13700000001",
        "email": "applicant@example.cn",
        "political_status": PoliticalStatus.objects.get(code="13"),
        "education": EducationLevel.objects.get(code="21"),
        "native_place": "贵州安龙",
        "work_unit": "安龙县第一中学",
        "job_title": "教师",
        "professional_title": "一级教师",
        "town": None,
        "art_categories": list(ArtCategory.objects.filter(code="literature")),
        "in_system": True,
        "new_art_group": False,
        "bio": "写散文二十年。",
        "referee1_name": referees[0].person.name,
        "referee1_number": referees[0].number,
        "referee2_name": referees[1].person.name,
        "referee2_number": referees[1].number,
        "work_links": "https://example.cn/video/1",
        "field_life": "2024年在笃山镇采风三个月。",
        "statement": "热爱文学，愿为本会贡献力量。",
    }
    data.update(overrides)
    return data


def make_draft(applicant, association, referees, *, seq=1, with_files=True, **overrides):
    return services.application_save_draft(
        applicant=applicant,
        actor=applicant,
        data=profile_data(association, referees, seq=seq, **overrides),
        photo=photo_file() if with_files else None,
        new_works=[("散文集", pdf_file())] if with_files else [],
    )


def confirm_all(application, referees):
    for ref in application.referees.select_related("membership__person__user"):
        services.referee_respond(
            referee=ref, actor=ref.membership.person.user, confirm=True, comment=""
        )
    application.refresh_from_db()
    return application


def submitted(applicant, association, referees, *, seq=1, **overrides):
    """An application submitted and confirmed by both referees (association review)."""
    app = make_draft(applicant, association, referees, seq=seq, **overrides)
    app = services.application_submit(application=app, actor=applicant)
    return confirm_all(app, referees)


class BrokenBackend:
    """An e-mail backend whose server is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("mail server down")


@pytest.fixture(autouse=True, name="_private_media")
def private_media_fixture(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://wenlian.example.cn"


@pytest.fixture(name="applicant")
def applicant_fixture(db):
    return make_applicant()


@pytest.fixture(name="referees")
def referees_fixture(db, writers):
    return [
        make_referee(writers, "韦文华", "AL-ZJ-2020-0001", "t_ref1"),
        make_referee(writers, "罗春燕", "AL-ZJ-2020-0002", "t_ref2"),
    ]


@pytest.fixture(name="photo_referees")
def photo_referees_fixture(db, photographers):
    return [
        make_referee(photographers, "岑光明", "AL-SY-2020-0001", "t_pref1"),
        make_referee(photographers, "王秀英", "AL-SY-2020-0002", "t_pref2"),
    ]


__all__ = [
    "BIRTH",
    "Membership",
    "PDF_BYTES",
    "applicant_fixture",
    "confirm_all",
    "id_for",
    "jpeg_bytes",
    "make_applicant",
    "make_draft",
    "make_referee",
    "pdf_file",
    "photo_file",
    "photo_referees_fixture",
    "profile_data",
    "referees_fixture",
    "private_media_fixture",
    "submitted",
]
