"""Roster import pages: role matrix, check and import, upload rules, template download."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import Membership, Person
from members.roster import TEMPLATE_HEADERS

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "writers-roster-2026.xlsx"
LOGIN = "/accounts/login/"
PAGES = ["members:import_roster", "members:import_template"]
EXPECTED = {"anonymous": "login", "member": 403, "sec_writers": 403, "sec_photo": 403}
EXPECTED["staff"] = 200


def sample_upload(name="writers-roster-2026.xlsx", content=None):
    return SimpleUploadedFile(name, content if content is not None else SAMPLE.read_bytes())


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", list(EXPECTED))
def test_role_matrix(page, role, role_users, client_for):
    response = client_for(role_users[role]).get(reverse(page))
    want = EXPECTED[role]
    if want == "login":
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    else:
        assert response.status_code == want


@pytest.mark.parametrize("role", ["member", "sec_writers", "sec_photo"])
def test_non_staff_cannot_post_an_import(role, role_users, client_for, writers):
    before = Person.objects.count()
    response = client_for(role_users[role]).post(
        reverse("members:import_roster"),
        {"association": writers.pk, "file": sample_upload(), "action": "import"},
    )
    assert response.status_code == 403
    assert Person.objects.count() == before


def test_anonymous_post_goes_to_login(client, writers):
    response = client.post(
        reverse("members:import_roster"),
        {"association": writers.pk, "file": sample_upload(), "action": "import"},
    )
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert Person.objects.count() == 0


def test_staff_nav_has_import_link(staff_user, sec_writers, client_for):
    url = reverse("members:import_roster")
    assert url in client_for(staff_user).get(reverse("portal:staff_dashboard")).content.decode()
    assert url not in client_for(sec_writers).get("/me/").content.decode()


def test_form_page_offers_template_and_both_buttons(staff_user, client_for):
    body = client_for(staff_user).get(reverse("members:import_roster")).content.decode()
    assert reverse("members:import_template") in body
    assert 'value="check"' in body and 'value="import"' in body
    assert 'enctype="multipart/form-data"' in body


def test_check_writes_nothing_then_import_writes(
    staff_user, writers, client_for, django_assert_max_num_queries
):
    c = client_for(staff_user)
    url = reverse("members:import_roster")
    response = c.post(url, {"association": writers.pk, "file": sample_upload(), "action": "check"})
    assert response.status_code == 200
    assert response.context["report"].created_memberships == 60
    assert 'data-testid="import-checked"' in response.content.decode()
    assert Person.objects.count() == 0

    # Bulk writes: the number of queries does not grow with the rows.
    with django_assert_max_num_queries(40):
        response = c.post(
            url, {"association": writers.pk, "file": sample_upload(), "action": "import"}
        )
    body = response.content.decode()
    assert 'data-testid="import-done"' in body
    assert 'data-testid="created-memberships">60<' in body
    assert Membership.objects.filter(association=writers).count() == 60

    again = c.post(url, {"association": writers.pk, "file": sample_upload(), "action": "import"})
    assert 'data-testid="skipped">60<' in again.content.decode()
    assert Membership.objects.filter(association=writers).count() == 60


def test_bad_row_shows_row_and_column_and_imports_nothing(staff_user, writers, client_for):
    workbook = openpyxl.load_workbook(SAMPLE)
    workbook.active["D20"] = "火星族"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client_for(staff_user).post(
        reverse("members:import_roster"),
        {
            "association": writers.pk,
            "file": sample_upload("bad.xlsx", buffer.getvalue()),
            "action": "import",
        },
    )
    body = response.content.decode()
    assert 'data-testid="import-failed"' in body
    assert "<td>20</td><td>民族</td>" in body and "火星" in body
    assert Person.objects.count() == 0


def test_script_in_a_cell_is_shown_as_text(staff_user, writers, client_for):
    workbook = openpyxl.load_workbook(SAMPLE)
    workbook.active["D20"] = "<script>alert(1)</script>"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client_for(staff_user).post(
        reverse("members:import_roster"),
        {"association": writers.pk, "file": sample_upload("x.xlsx", buffer.getvalue())},
    )
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body


@pytest.mark.parametrize(
    "name,content,code",
    [
        ("roster.xls", b"\xd0\xcf\x11\xe0old excel", "bad_type"),
        ("roster.csv", "姓名,性别\n王芳,女\n".encode(), "bad_type"),
        ("roster.xlsx", b"not a zip at all", "bad_type"),
        ("roster.xlsx", b"PK" + b"\0" * (10 * 1024 * 1024), "too_large"),
    ],
)
def test_bad_uploads_are_refused(name, content, code, staff_user, writers, client_for):
    response = client_for(staff_user).post(
        reverse("members:import_roster"),
        {"association": writers.pk, "file": sample_upload(name, content), "action": "import"},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.has_error("file", code)
    assert Person.objects.count() == 0


def test_association_is_required(staff_user, client_for):
    response = client_for(staff_user).post(
        reverse("members:import_roster"), {"file": sample_upload(), "action": "import"}
    )
    assert response.status_code == 400 and response.context["form"].has_error("association")


def test_template_download_is_xlsx_with_chinese_headers(staff_user, client_for):
    response = client_for(staff_user).get(reverse("members:import_template"))
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response["Content-Disposition"]
    assert "utf-8''" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    headers = [c.value for c in workbook["会员名册"][1]]
    assert headers == list(TEMPLATE_HEADERS)
    assert {"姓名", "民族", "身份证号码", "会员证号"} <= set(headers)


def test_uploaded_file_is_not_kept(staff_user, writers, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "upload-tmp")
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1  # force a temporary file on disk
    (tmp_path / "upload-tmp").mkdir()
    response = client_for(staff_user).post(
        reverse("members:import_roster"),
        {"association": writers.pk, "file": sample_upload(), "action": "import"},
    )
    assert response.context["report"].written
    assert list((tmp_path / "upload-tmp").iterdir()) == []
    assert not (tmp_path / "media").exists() or not any((tmp_path / "media").rglob("*"))
