"""Certificate download (会员证 PDF) and the public verification pages (MEM-04)."""

from __future__ import annotations

import shutil
import subprocess
from urllib.parse import unquote, urlsplit

import pytest
from django.core import signing
from django.urls import resolve, reverse
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image

from members import views_certificate
from members.models import Membership
from tests.factories import MembershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PDFTOTEXT = shutil.which("pdftotext")
PDFTOPPM = shutil.which("pdftoppm")
needs_pdftotext = pytest.mark.skipif(
    PDFTOTEXT is None, reason="pdftotext (Debian poppler-utils) is not installed"
)
needs_pdftoppm = pytest.mark.skipif(
    PDFTOPPM is None, reason="pdftoppm (Debian poppler-utils) is not installed"
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://wenlian.example.cn"


def zh(message: str) -> str:
    """The Chinese text a page shows for ``message`` (the zh-hans catalog)."""
    with translation.override("zh-hans"):
        return gettext(message)


def own_membership(user) -> Membership:
    return Membership.objects.get(person__user=user)


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "download.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        [PDFTOTEXT, "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, timeout=60
    )
    return out.stdout.decode("utf-8").replace(" ", "")


def check_status(response, want):
    if want == "login":
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    else:
        assert response.status_code == want, response.status_code


# --------------------------------------------------------------------------- #
# role matrix
# --------------------------------------------------------------------------- #
PDF_MATRIX = {
    "anonymous": "login",
    "member": 200,
    "sec_writers": 200,
    "sec_photo": 404,
    "staff": 200,
}


@pytest.mark.parametrize("role", PDF_MATRIX)
def test_certificate_pdf_role_matrix(role, role_users, member_user, client_for):
    url = reverse("members:certificate_pdf", args=[own_membership(member_user).pk])
    response = client_for(role_users[role]).get(url)
    check_status(response, PDF_MATRIX[role])
    if response.status_code == 200:
        assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("role", PDF_MATRIX)
def test_verify_link_role_matrix(role, role_users, member_user, client_for):
    membership = own_membership(member_user)
    url = reverse("members:certificate_verify_link", args=[membership.pk])
    response = client_for(role_users[role]).get(url)
    if PDF_MATRIX[role] == 200:
        assert response.status_code == 302
        assert resolve(response["Location"]).url_name == "token"
        assert client_for(None).get(response["Location"]).status_code == 200
    else:
        check_status(response, PDF_MATRIX[role])


@pytest.mark.parametrize("role", PDF_MATRIX)
def test_public_verify_pages_open_to_everyone(role, role_users, member_user, client_for):
    client = client_for(role_users[role])
    token = views_certificate.make_verify_token(own_membership(member_user).pk)
    assert client.get(reverse("verify:token", args=[token])).status_code == 200
    assert client.get(reverse("verify:lookup")).status_code == 200


def test_member_cannot_download_another_members_certificate(member_user, writers, client_for):
    other = MembershipFactory(association=writers)
    client = client_for(member_user)
    assert client.get(reverse("members:certificate_pdf", args=[other.pk])).status_code == 404
    link = reverse("members:certificate_verify_link", args=[other.pk])
    assert client.get(link).status_code == 404


def test_secretary_only_for_own_association(sec_writers, photographers, client_for):
    other = MembershipFactory(association=photographers)
    url = reverse("members:certificate_pdf", args=[other.pk])
    assert client_for(sec_writers).get(url).status_code == 404


# --------------------------------------------------------------------------- #
# the PDF
# --------------------------------------------------------------------------- #
def test_pdf_headers(member_user, client_for):
    membership = own_membership(member_user)
    response = client_for(member_user).get(reverse("members:certificate_pdf", args=[membership.pk]))
    assert response.content.startswith(b"%PDF")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    # RFC 5987: the Chinese file name travels percent-encoded in filename*.
    assert "filename*=utf-8''" in disposition
    encoded = disposition.split("filename*=utf-8''", 1)[1]
    assert unquote(encoded) == f"会员证-{membership.number}.pdf"
    assert "no-store" in response["Cache-Control"]


@needs_pdftotext
def test_pdf_text_shows_member_data(member_user, writers, client_for, tmp_path):
    membership = own_membership(member_user)
    response = client_for(member_user).get(reverse("members:certificate_pdf", args=[membership.pk]))
    text = pdf_text(response.content, tmp_path)
    assert "龙雪梅" in text
    assert writers.name in text
    assert membership.number in text
    assert f"{membership.joined_on.year}年{membership.joined_on.month}月" in text


@needs_pdftotext
def test_markup_in_name_is_literal_in_pdf_and_escaped_in_html(writers, client_for, tmp_path):
    evil = "<script>alert(1)</script>"
    user = UserFactory(username="t_evil")
    membership = MembershipFactory(person=PersonFactory(name=evil, user=user), association=writers)
    client = client_for(user)
    pdf = client.get(reverse("members:certificate_pdf", args=[membership.pk])).content
    assert evil in pdf_text(pdf, tmp_path)
    for url in (reverse("portal:member_centre"), reverse("me:profile")):
        body = client.get(url).content.decode()
        assert evil not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    token = views_certificate.make_verify_token(membership.pk)
    body = client.get(reverse("verify:token", args=[token])).content.decode()
    assert "<script>alert" not in body
    assert "&lt;" in body  # the masked name keeps its first character, escaped


@needs_pdftoppm
def test_qr_code_in_pdf_leads_to_the_verify_page(member_user, client_for, tmp_path, monkeypatch):
    """The QR code drawn on the downloaded PDF encodes SITE_URL + /verify/<token>/, and
    that token opens the verification page of this membership."""
    import segno

    seen = {}
    real = views_certificate.render_certificate

    def spy(**kwargs):
        seen.update(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(views_certificate, "render_certificate", spy)
    membership = own_membership(member_user)
    pdf = (
        client_for(member_user)
        .get(reverse("members:certificate_pdf", args=[membership.pk]))
        .content
    )
    url = seen["verify_url"]
    assert url.startswith("https://wenlian.example.cn/verify/")

    # The QR code on the page really is this URL: rasterise and compare module by module.
    path = tmp_path / "cert.pdf"
    path.write_bytes(pdf)
    dpi = 288
    subprocess.run(
        [PDFTOPPM, "-r", str(dpi), "-png", "-singlefile", str(path), str(tmp_path / "page")],
        check=True,
        timeout=60,
    )
    page_w, page_h = 595.2756, 419.5276  # landscape A5
    qr_size = 118
    qr_x, qr_y = page_w - 50 - qr_size, page_h - 152 - qr_size
    matrix = segno.make(url, error="m", micro=False).matrix
    n = len(matrix)
    module = qr_size / (n + 8)
    scale = dpi / 72
    with Image.open(tmp_path / "page.png") as raster:
        grey = raster.convert("L")
        mismatches = 0
        for r in range(n):
            for col in range(n):
                px = (qr_x + (4 + col + 0.5) * module) * scale
                py = (page_h - (qr_y + qr_size - (4 + r + 0.5) * module)) * scale
                dark = grey.getpixel((int(px), int(py))) < 128
                mismatches += dark != bool(matrix[r][col])
    assert mismatches == 0

    response = client_for(None).get(urlsplit(url).path)
    assert response.status_code == 200
    assert membership.number in response.content.decode()


@pytest.mark.parametrize(
    "change,message",
    [
        (
            {"number": None},
            "The member number has not been issued yet. It is given when the federation "
            "approves the membership; the certificate can be downloaded after that.",
        ),
        (
            {"status": Membership.Status.SUSPENDED},
            "The membership is suspended, so no certificate can be issued. Please contact "
            "your association or the federation office.",
        ),
    ],
)
def test_no_certificate_without_number_or_when_suspended(change, message, member_user, client_for):
    membership = own_membership(member_user)
    Membership.objects.filter(pk=membership.pk).update(**change)
    client = client_for(member_user)
    response = client.get(reverse("members:certificate_pdf", args=[membership.pk]))
    assert response.status_code == 409
    assert response["Content-Type"].startswith("text/html")
    assert zh(message) in response.content.decode()
    # ... and the member centre offers no download for it.
    body = client.get(reverse("portal:member_centre")).content.decode()
    assert reverse("members:certificate_pdf", args=[membership.pk]) not in body


def test_member_centre_links(member_user, client_for):
    membership = own_membership(member_user)
    body = client_for(member_user).get(reverse("portal:member_centre")).content.decode()
    assert reverse("members:certificate_pdf", args=[membership.pk]) in body
    assert reverse("members:certificate_verify_link", args=[membership.pk]) in body
    assert reverse("me:profile") in body


def test_certificate_uses_the_members_photo(member_user, client_for, monkeypatch):
    import io

    from django.core.files.base import ContentFile

    buf = io.BytesIO()
    Image.new("RGB", (30, 40), (10, 200, 10)).save(buf, "JPEG")
    person = member_user.person
    person.photo.save("p.jpg", ContentFile(buf.getvalue()), save=True)
    seen = {}
    real = views_certificate.render_certificate

    def spy(**kwargs):
        seen.update(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(views_certificate, "render_certificate", spy)
    membership = own_membership(member_user)
    client_for(member_user).get(reverse("members:certificate_pdf", args=[membership.pk]))
    assert seen["photo"] == buf.getvalue()


# --------------------------------------------------------------------------- #
# public verification
# --------------------------------------------------------------------------- #
def test_verify_page_shows_validity_now_and_only_the_masked_name(writers, client):
    person = PersonFactory(name="张三明")
    membership = MembershipFactory(person=person, association=writers)
    url = reverse("verify:token", args=[views_certificate.make_verify_token(membership.pk)])

    response = client.get(url)
    assert "no-store" in response["Cache-Control"]  # validity is always read fresh
    body = response.content.decode()
    assert 'data-valid="true"' in body
    assert zh("Valid") in body
    assert "张*明" in body and "张三明" not in body
    assert membership.number in body and writers.name in body
    assert person.id_masked not in body and person.phone not in body

    Membership.objects.filter(pk=membership.pk).update(status=Membership.Status.EXPELLED)
    body = client.get(url).content.decode()
    assert 'data-valid="false"' in body
    assert zh("Not valid") in body
    assert zh("Expelled") in body
    assert "张三明" not in body


@pytest.mark.parametrize(
    "token",
    [
        "tampered",
        "MQ:1vabcd:0123456789abcdef",
        signing.dumps(1, salt="another-salt"),
    ],
)
def test_tampered_token_is_404(token, member_user, client):
    response = client.get(reverse("verify:token", args=[token]))
    assert response.status_code == 404
    assert zh("Cannot verify") in response.content.decode()


def test_changed_token_does_not_verify_another_membership(member_user, writers, client):
    good = views_certificate.make_verify_token(own_membership(member_user).pk)
    other = MembershipFactory(association=writers)
    value, rest = good.split(":", 1)
    forged = signing.b64_encode(str(other.pk).encode()).decode() + ":" + rest
    assert client.get(reverse("verify:token", args=[forged])).status_code == 404
    assert client.get(reverse("verify:token", args=[good])).status_code == 200


def test_token_of_membership_without_number_is_404(member_user, client):
    membership = own_membership(member_user)
    Membership.objects.filter(pk=membership.pk).update(number=None)
    token = views_certificate.make_verify_token(membership.pk)
    assert client.get(reverse("verify:token", args=[token])).status_code == 404


def test_lookup_by_number_and_exact_name(writers, client):
    membership = MembershipFactory(person=PersonFactory(name="韦兰芳"), association=writers)
    url = reverse("verify:lookup")
    body = client.post(url, {"number": membership.number, "name": "韦兰芳"}).content.decode()
    assert 'data-valid="true"' in body and "韦*芳" in body
    assert "韦兰芳" not in body.replace('value="韦兰芳"', "")

    for name in ("韦兰", "韦兰芳芳", "王兰芳"):
        response = client.post(url, {"number": membership.number, "name": name})
        assert response.status_code == 200
        page = response.content.decode()
        assert 'data-testid="verify-result"' not in page
        assert 'data-testid="verify-not-found"' in page
    response = client.post(url, {"number": membership.number + "9", "name": "韦兰芳"})
    assert 'data-testid="verify-not-found"' in response.content.decode()


def test_lookup_is_rate_limited_per_address(writers, client):
    membership = MembershipFactory(person=PersonFactory(name="韦兰芳"), association=writers)
    url = reverse("verify:lookup")
    data = {"number": "AL-NONE-0000", "name": "某某"}
    for _ in range(views_certificate.LOOKUP_LIMIT):
        assert client.post(url, data, REMOTE_ADDR="10.1.1.1").status_code == 200
    response = client.post(
        url, {"number": membership.number, "name": "韦兰芳"}, REMOTE_ADDR="10.1.1.1"
    )
    assert response.status_code == 429
    body = response.content.decode()
    assert (
        zh(
            "Too many checks from your network in a short time. Please wait 10 minutes and try again."
        )
        in body
    )
    assert 'data-testid="verify-result"' not in body
    # Another address is not affected.
    response = client.post(
        url, {"number": membership.number, "name": "韦兰芳"}, REMOTE_ADDR="10.1.1.2"
    )
    assert response.status_code == 200 and 'data-valid="true"' in response.content.decode()


def test_lookup_form_errors_are_shown(client):
    response = client.post(reverse("verify:lookup"), {"number": "", "name": ""})
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
