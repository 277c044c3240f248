"""Tests for portal.uploads (upload sanitising)."""

from __future__ import annotations

import io
import re
import struct
import zlib

import pytest
from PIL import ExifTags, Image

# --------------------------------------------------------------------------- #
# helpers
# --------------------------------------------------------------------------- #
NAME_JPG = re.compile(r"^[0-9a-f]{32}\.jpg$")
NAME_PDF = re.compile(r"^[0-9a-f]{32}\.pdf$")


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


def jpeg_with_gps(size=(40, 20), orientation=6) -> bytes:
    img = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.BodySerialNumber] = "SN-123456"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (25.0, 6.0, 0.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (105.0, 28.0, 0.0),
    }
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif, comment=b"secret comment")
    return buf.getvalue()


def image_bytes(fmt: str, mode: str = "RGB", size=(30, 20), color=(0, 128, 255), **save) -> bytes:
    buf = io.BytesIO()
    Image.new(mode, size, color).save(buf, fmt, **save)
    return buf.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A tiny, valid-looking PNG that *declares* width x height (1-bit grey)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def real_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawString(72, 720, "Hello")
    c.showPage()
    c.save()
    return buf.getvalue()


def codes(exc) -> set[str]:
    return {e.code for e in exc.error_list}


# --------------------------------------------------------------------------- #
# sanitize_image
# --------------------------------------------------------------------------- #
def test_jpeg_exif_and_gps_are_stripped_and_orientation_applied():
    from portal.uploads import sanitize_image

    original = jpeg_with_gps()
    # Sanity: the input really carries GPS + orientation.
    with Image.open(io.BytesIO(original)) as src:
        assert src.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert src.getexif()[ExifTags.Base.Orientation] == 6

    result = sanitize_image(upload("IMG_张三_身份证.jpg", original, "image/jpeg"))

    assert NAME_JPG.match(result.name), result.name
    data = result.read()
    assert data.startswith(b"\xff\xd8")
    for marker in (b"Exif", b"GPS", b"PhoneMaker", b"SN-123456", b"secret comment"):
        assert marker not in data
    with Image.open(io.BytesIO(data)) as out:
        assert out.format == "JPEG"
        assert out.mode == "RGB"
        assert len(out.getexif()) == 0
        assert "exif" not in out.info
        assert "icc_profile" not in out.info
        # orientation 6 = rotate 90° for display: 40x20 becomes 20x40
        assert out.size == (20, 40)


def test_names_are_random_per_upload():
    from portal.uploads import sanitize_image

    data = image_bytes("PNG")
    a = sanitize_image(upload("a.png", data))
    b = sanitize_image(upload("a.png", data))
    assert a.name != b.name
    assert NAME_JPG.match(a.name) and NAME_JPG.match(b.name)


def test_png_with_transparency_becomes_rgb_jpeg_on_white():
    from portal.uploads import sanitize_image

    data = image_bytes("PNG", mode="RGBA", color=(255, 0, 0, 0))
    result = sanitize_image(upload("logo.png", data, "image/png"))
    with Image.open(result) as out:
        assert out.format == "JPEG" and out.mode == "RGB"
        assert out.size == (30, 20)
        r, g, b = out.getpixel((5, 5))
        assert min(r, g, b) > 240  # transparent -> white, not black


@pytest.mark.parametrize("fmt", ["WEBP", "GIF"])
def test_webp_and_gif_are_accepted(fmt):
    from portal.uploads import sanitize_image

    mode = "P" if fmt == "GIF" else "RGB"
    color = 3 if fmt == "GIF" else (10, 200, 10)
    result = sanitize_image(upload(f"x.{fmt.lower()}", image_bytes(fmt, mode=mode, color=color)))
    assert NAME_JPG.match(result.name)
    with Image.open(result) as out:
        assert out.format == "JPEG"


def test_large_image_is_downsized_to_2000px_long_side():
    from portal.uploads import sanitize_image

    data = image_bytes("JPEG", size=(4000, 1000), quality=50)
    with Image.open(sanitize_image(upload("big.jpg", data))) as out:
        assert max(out.size) == 2000
        assert out.size == (2000, 500)
    with Image.open(sanitize_image(upload("big.jpg", data), max_side=None)) as out:
        assert out.size == (4000, 1000)


def test_text_file_named_jpg_is_rejected():
    from django.core.exceptions import ValidationError

    from portal.uploads import sanitize_image

    with pytest.raises(ValidationError) as exc:
        sanitize_image(upload("x.jpg", b"just some text, not a picture\n", "image/jpeg"))
    assert codes(exc.value) == {"not_image"}


def test_empty_and_truncated_files_are_rejected():
    from django.core.exceptions import ValidationError

    from portal.uploads import sanitize_image

    with pytest.raises(ValidationError) as exc:
        sanitize_image(upload("empty.jpg", b""))
    assert codes(exc.value) == {"not_image"}

    full = image_bytes("JPEG", size=(300, 300), quality=95)
    with pytest.raises(ValidationError) as exc:
        sanitize_image(upload("cut.jpg", full[: len(full) // 2]))
    assert codes(exc.value) == {"not_image"}


def test_eleven_megabyte_file_is_rejected_before_decoding():
    from django.core.exceptions import ValidationError

    from portal.uploads import sanitize_image

    big = b"\xff\xd8" + b"\x00" * (11 * 1024 * 1024)
    with pytest.raises(ValidationError) as exc:
        sanitize_image(upload("huge.jpg", big, "image/jpeg"))
    assert codes(exc.value) == {"too_large"}
    message = exc.value.messages[0]
    assert "11.0" in message and "10.0" in message and "MB" in message

    # Plain file objects without a .size attribute are measured while reading.
    with pytest.raises(ValidationError) as exc:
        sanitize_image(io.BytesIO(big))
    assert codes(exc.value) == {"too_large"}


def test_decompression_bomb_is_rejected():
    """Tiny file on disk, 30000 x 30000 declared (900 Mpx): Pillow's hard limit."""
    from django.core.exceptions import ValidationError

    from portal.uploads import sanitize_image

    bomb = png_header_only(30000, 30000)
    assert len(bomb) < 2000
    with pytest.raises(ValidationError) as exc:
        sanitize_image(upload("bomb.png", bomb, "image/png"))
    assert codes(exc.value) == {"bomb"}


def test_decompression_bomb_warning_is_turned_into_an_error():
    """10000 x 10000 (100 Mpx) only makes Pillow *warn*; we must still refuse."""
    from django.core.exceptions import ValidationError

    from portal.uploads import sanitize_image

    with pytest.raises(ValidationError) as exc:
        sanitize_image(upload("warn.png", png_header_only(10000, 10000)), max_pixels=10**9)
    assert codes(exc.value) == {"bomb"}


def test_too_many_pixels_is_rejected_before_load():
    from django.core.exceptions import ValidationError

    from portal.uploads import sanitize_image

    with pytest.raises(ValidationError) as exc:
        sanitize_image(upload("wide.png", png_header_only(7000, 7000)))
    assert codes(exc.value) == {"too_many_pixels"}
    assert "7000" in exc.value.messages[0] and "40" in exc.value.messages[0]


def test_eps_is_rejected():
    from django.core.exceptions import ValidationError

    from portal.uploads import sanitize_document, sanitize_image

    eps = image_bytes("EPS", size=(10, 10))
    assert eps.startswith(b"%!PS-Adobe")
    with pytest.raises(ValidationError) as exc:
        sanitize_image(upload("evil.jpg", eps, "image/jpeg"))
    assert codes(exc.value) == {"not_image"}
    with pytest.raises(ValidationError) as exc:
        sanitize_document(upload("evil.eps", eps, "application/postscript"))
    assert codes(exc.value) == {"bad_type"}


@pytest.mark.parametrize("fmt", ["TIFF", "BMP", "ICO"])
def test_other_pillow_formats_are_not_decoded(fmt):
    from django.core.exceptions import ValidationError

    from portal.uploads import sanitize_image

    with pytest.raises(ValidationError) as exc:
        sanitize_image(upload("x.jpg", image_bytes(fmt, size=(16, 16))))
    assert codes(exc.value) == {"not_image"}


# --------------------------------------------------------------------------- #
# sanitize_document
# --------------------------------------------------------------------------- #
def test_valid_pdf_is_accepted_with_random_name():
    from portal.uploads import sanitize_document

    pdf = real_pdf()
    result = sanitize_document(upload("申请表-张三.pdf", pdf, "application/pdf"))
    assert NAME_PDF.match(result.name), result.name
    assert result.read() == pdf


def test_image_document_is_sanitised_as_image():
    from portal.uploads import sanitize_document

    result = sanitize_document(upload("scan.jpg", jpeg_with_gps()))
    assert NAME_JPG.match(result.name)
    assert b"Exif" not in result.read()


@pytest.mark.parametrize(
    "data",
    [
        b"This is not a PDF at all\n%%EOF\n",  # text renamed .pdf
        b"%PDF-1.7\n1 0 obj << >> endobj\n" + b"x" * 5000,  # header but no %%EOF
        b"<html><script>alert(1)</script></html>",
    ],
    ids=["text", "truncated", "html"],
)
def test_fake_pdf_is_rejected(data):
    from django.core.exceptions import ValidationError

    from portal.uploads import sanitize_document

    with pytest.raises(ValidationError) as exc:
        sanitize_document(upload("fake.pdf", data, "application/pdf"))
    assert codes(exc.value) == {"bad_type"}


def test_document_size_limit():
    from django.core.exceptions import ValidationError

    from portal.uploads import sanitize_document

    big = b"%PDF-1.4\n" + b"0" * (21 * 1024 * 1024) + b"\n%%EOF\n"
    with pytest.raises(ValidationError) as exc:
        sanitize_document(upload("big.pdf", big, "application/pdf"))
    assert codes(exc.value) == {"too_large"}


def test_document_passes_through_bomb_errors():
    from django.core.exceptions import ValidationError

    from portal.uploads import sanitize_document

    with pytest.raises(ValidationError) as exc:
        sanitize_document(upload("bomb.png", png_header_only(30000, 30000)))
    assert codes(exc.value) == {"bomb"}


# --------------------------------------------------------------------------- #
# form fields
# --------------------------------------------------------------------------- #
def test_sanitized_image_field_clean_returns_safe_file():
    from django import forms
    from django.core.files.base import ContentFile

    from portal.uploads import SanitizedImageField

    field = SanitizedImageField()
    cleaned = field.clean(upload("me.jpg", jpeg_with_gps(), "image/jpeg"))
    assert isinstance(cleaned, ContentFile)
    assert NAME_JPG.match(cleaned.name)
    assert b"GPS" not in cleaned.read()

    with pytest.raises(forms.ValidationError) as exc:
        field.clean(upload("me.jpg", b"not an image"))
    assert codes(exc.value) == {"not_image"}

    optional = SanitizedImageField(required=False)
    assert optional.clean(None) is None
    assert optional.widget.attrs["accept"] == "image/jpeg,image/png,image/webp,image/gif"


def test_sanitized_image_field_in_form():
    from django import forms
    from django.utils.datastructures import MultiValueDict

    from portal.uploads import SanitizedImageField

    class AvatarForm(forms.Form):
        photo = SanitizedImageField(max_side=100)

    form = AvatarForm(
        data={},
        files=MultiValueDict({"photo": [upload("p.png", image_bytes("PNG", size=(400, 200)))]}),
    )
    assert form.is_valid(), form.errors
    with Image.open(form.cleaned_data["photo"]) as out:
        assert out.size == (100, 50)

    bad = AvatarForm(data={}, files=MultiValueDict({"photo": [upload("p.jpg", b"text")]}))
    assert not bad.is_valid()
    assert bad.errors.as_data()["photo"][0].code == "not_image"


def test_sanitized_file_field_accepts_pdf_and_rejects_other():
    from django import forms

    from portal.uploads import SanitizedFileField

    field = SanitizedFileField()
    cleaned = field.clean(upload("form.pdf", real_pdf(), "application/pdf"))
    assert NAME_PDF.match(cleaned.name)

    with pytest.raises(forms.ValidationError) as exc:
        field.clean(upload("x.pdf", b"MZ\x90\x00 executable"))
    assert codes(exc.value) == {"bad_type"}

    with pytest.raises(forms.ValidationError) as exc:
        field.clean(upload("empty.pdf", b""))
    assert codes(exc.value) == {"empty"}  # Django's own FileField check still runs
