"""Tests for members.certificate (会员证 PDF)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date

import pytest
from PIL import Image, ImageDraw

PDFTOTEXT = shutil.which("pdftotext")
PDFTOPPM = shutil.which("pdftoppm")
needs_pdftotext = pytest.mark.skipif(
    PDFTOTEXT is None,
    reason="pdftotext (poppler-utils) is not installed; cannot check the PDF's text layer",
)
needs_pdftoppm = pytest.mark.skipif(
    PDFTOPPM is None,
    reason="pdftoppm (poppler-utils) is not installed; cannot rasterise the PDF",
)

VERIFY_URL = "https://wenlian.anlong.gov.cn/members/verify/6f1c2a9e4b7d4c21a0e3f5b8d9c7e6a1/"


def sample_photo() -> bytes:
    img = Image.new("RGB", (300, 400), (120, 160, 200))
    draw = ImageDraw.Draw(img)
    draw.ellipse((90, 70, 210, 210), fill=(230, 200, 170))
    draw.rectangle((60, 230, 240, 400), fill=(40, 60, 90))
    buf = io.BytesIO()
    img.save(buf, "JPEG")
    return buf.getvalue()


def render(**overrides) -> bytes:
    from members.certificate import render_certificate

    kwargs = {
        "name": "王晓燕",
        "association": "安龙县书法家协会",
        "number": "ALWL-2026-00128",
        "joined_on": date(2026, 11, 28),
        "issued_on": date(2026, 11, 30),
        "verify_url": VERIFY_URL,
        "photo": sample_photo(),
    }
    kwargs.update(overrides)
    return render_certificate(**kwargs)


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "cert.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        [PDFTOTEXT, "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return out.stdout.decode("utf-8")


# --------------------------------------------------------------------------- #
def test_format_chinese_date():
    from members.certificate import format_chinese_date

    assert format_chinese_date(date(2026, 11, 28)) == "2026年11月28日"
    assert format_chinese_date(date(2026, 1, 5)) == "2026年1月5日"


def test_font_registration_is_cached():
    from reportlab.pdfbase import pdfmetrics

    from members.certificate import FONT_NAME, register_cjk_font

    assert register_cjk_font() == FONT_NAME == "NotoSansSC"
    font = pdfmetrics.getFont(FONT_NAME)
    assert register_cjk_font() == FONT_NAME
    assert pdfmetrics.getFont(FONT_NAME) is font
    # It is the packaged Noto Sans SC, not a fallback.
    face_name = font.face.name
    if isinstance(face_name, bytes):
        face_name = face_name.decode("ascii")
    assert face_name.startswith("NotoSansSC")


def test_pdf_is_a_single_landscape_a5_page_with_embedded_subset_font():
    pdf = render()
    assert pdf.startswith(b"%PDF-")
    assert b"%%EOF" in pdf[-1024:]
    # TrueType outlines embedded ...
    assert b"FontFile2" in pdf
    # ... as a subset: "ABCDEF+NotoSansSC-..." base font name.
    assert re.search(rb"/BaseFont\s*/[A-Z]{6}\+NotoSansSC", pdf), "no subset NotoSansSC font"
    # No unembedded standard font resources (e.g. Helvetica) left behind.
    assert b"/Helvetica" not in pdf
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1  # exactly one page
    mediabox = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert mediabox, "no MediaBox"
    width, height = float(mediabox.group(1)), float(mediabox.group(2))
    assert width > height  # landscape
    assert abs(width - 595.28) < 1 and abs(height - 419.53) < 1  # A5


@needs_pdftotext
def test_text_layer_contains_member_data(tmp_path):
    text = pdf_text(render(), tmp_path)
    for expected in (
        "会员证",
        "安龙县文学艺术界联合会",
        "王晓燕",
        "安龙县书法家协会",
        "ALWL-2026-00128",
        "2026年11月28日",
        "2026年11月30日",
        "扫码验证真伪",
        "所属协会",
        "会员证号",
        "入会日期",
        "发证日期",
    ):
        assert expected in text.replace(" ", ""), expected
    assert "照片" not in text  # a photo was given, so no placeholder


@needs_pdftotext
def test_markup_in_name_is_drawn_literally(tmp_path):
    pdf = render(name="<script>alert(1)</script>", association="<b>协会</b>&amp;")
    text = pdf_text(pdf, tmp_path)
    assert "<script>alert(1)</script>" in text
    assert "<b>协会</b>&amp;" in text


@needs_pdftotext
def test_placeholder_when_no_photo_or_unreadable_photo(tmp_path):
    for photo in (None, b"not an image at all"):
        text = pdf_text(render(photo=photo), tmp_path)
        assert "照片" in text


@needs_pdftotext
def test_custom_federation_and_long_values_do_not_crash(tmp_path):
    long_association = (
        "安龙县少数民族文化艺术研究与传承发展促进协会（布依族、苗族分会）第二工作委员会"
    )
    pdf = render(
        federation="黔西南州文学艺术界联合会",
        name="阿卜杜勒·买买提·艾力·克里木·玉素甫",
        association=long_association,
    )
    text = pdf_text(pdf, tmp_path).replace("\n", "").replace(" ", "")
    assert "黔西南州文学艺术界联合会" in text
    assert "阿卜杜勒·买买提" in text
    assert "安龙县少数民族文化艺术研究" in text


def test_verify_url_is_required():
    with pytest.raises(ValueError):
        render(verify_url="")


@needs_pdftoppm
def test_qr_code_matches_segno_matrix(tmp_path):
    """Rasterise the vector QR code and compare it module by module."""
    import segno
    from reportlab.pdfgen import canvas

    from members.certificate import _draw_qr

    size, x, y = 200, 50, 50
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(300, 300))
    _draw_qr(c, VERIFY_URL, x, y, size)
    c.showPage()
    c.save()
    pdf_path = tmp_path / "qr.pdf"
    pdf_path.write_bytes(buf.getvalue())
    dpi = 288
    subprocess.run(
        [
            PDFTOPPM,
            "-r",
            str(dpi),
            "-png",
            "-singlefile",
            str(pdf_path),
            str(tmp_path / "qr"),
        ],
        check=True,
        timeout=60,
    )
    scale = dpi / 72
    matrix = segno.make(VERIFY_URL, error="m", micro=False).matrix
    n = len(matrix)
    module = size / (n + 8)
    with Image.open(tmp_path / "qr.png") as raster:
        grey = raster.convert("L")
        mismatches = 0
        for r in range(-4, n + 4):  # include the quiet zone
            for col in range(-4, n + 4):
                px = (x + (4 + col + 0.5) * module) * scale
                py = (300 - (y + size - (4 + r + 0.5) * module)) * scale
                dark = grey.getpixel((int(px), int(py))) < 128
                expected = 0 <= r < n and 0 <= col < n and bool(matrix[r][col])
                mismatches += dark != expected
    assert mismatches == 0
