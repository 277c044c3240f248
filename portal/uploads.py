"""Upload sanitising for user-supplied images and documents.

Every file a visitor or member uploads (avatars, ID photos for membership
applications, work samples, scanned certificates...) goes through here before it
is stored:

* size limits are enforced before anything is decoded;
* images are only decoded by the JPEG/PNG/WEBP/GIF plugins of Pillow (never EPS,
  PSD, ICO, ... and never by file extension), decompression bombs and absurd
  resolutions are refused;
* images are re-encoded from pixels into a fresh JPEG, so EXIF (including GPS
  position, camera serial numbers), XMP, IPTC, comments and any appended payload
  are dropped (PIPL: we do not keep personal information we do not need);
* stored names are random (``<uuid4 hex>.jpg`` / ``.pdf``) so the user's original
  file name (often containing their name or ID number) is never kept or used in a
  path.

PDFs are checked structurally (``%PDF-`` header, ``%%EOF`` trailer) but not
rewritten; serve them with ``Content-Disposition: attachment`` and
``X-Content-Type-Options: nosniff`` (both are the safe defaults for user files).

Public API::

    sanitize_image(uploaded_file, *, max_bytes=10 MB, max_pixels=40_000_000,
                   max_side=2000) -> ContentFile            # "<hex>.jpg"
    sanitize_document(uploaded_file, *, max_bytes=20 MB, ...) -> ContentFile
    SanitizedImageField(forms.ImageField)   # clean() -> sanitised ContentFile
    SanitizedFileField(forms.FileField)     # PDF or image -> ContentFile

All errors are ``django.core.exceptions.ValidationError`` with one of the codes
``too_large``, ``not_image``, ``bomb``, ``too_many_pixels`` (images) or
``too_large``, ``bad_type`` (documents; image errors pass through).
"""

from __future__ import annotations

import io
import logging
import uuid
import warnings

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

try:  # LittleCMS is optional in Pillow builds; without it we fall back to convert().
    from PIL import ImageCms
except ImportError:  # pragma: no cover - depends on the Pillow build
    ImageCms = None

logger = logging.getLogger(__name__)

__all__ = [
    "ALLOWED_IMAGE_FORMATS",
    "DOCUMENT_MAX_BYTES",
    "IMAGE_MAX_BYTES",
    "IMAGE_MAX_PIXELS",
    "IMAGE_MAX_SIDE",
    "SanitizedFileField",
    "SanitizedImageField",
    "sanitize_document",
    "sanitize_image",
]

IMAGE_MAX_BYTES = 10 * 1024 * 1024
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
IMAGE_MAX_PIXELS = 40_000_000
IMAGE_MAX_SIDE = 2000
JPEG_QUALITY = 88

# Only these Pillow decoders may ever see user data.
ALLOWED_IMAGE_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
# What Pillow may report for a file opened with the plugins above (a JPEG with
# several embedded pictures, e.g. from some phones, is reported as MPO).
_ACCEPTED_REPORTED_FORMATS = frozenset(ALLOWED_IMAGE_FORMATS) | {"MPO"}

_PDF_HEADER = b"%PDF-"
_PDF_EOF = b"%%EOF"
_PDF_EOF_WINDOW = 1024  # readers look for %%EOF within the last 1024 bytes

_READ_CHUNK = 1024 * 1024


# --------------------------------------------------------------------------- #
# helpers
# --------------------------------------------------------------------------- #
def _size_text(num_bytes: int) -> str:
    """Human readable, locale-aware size ("10.0 MB")."""
    return str(filesizeformat(num_bytes))


def _read_limited(uploaded_file, max_bytes: int) -> tuple[bytes | None, int]:
    """Read the whole upload if it is at most ``max_bytes``.

    Returns ``(data, size)``; ``data`` is ``None`` when the file is too large
    (``size`` is then the real size as far as it could be determined). Never
    holds more than ``max_bytes + 1`` bytes in memory.
    """
    if isinstance(uploaded_file, (bytes, bytearray, memoryview)):
        data = bytes(uploaded_file)
        return (data if len(data) <= max_bytes else None), len(data)

    declared = getattr(uploaded_file, "size", None)
    if isinstance(declared, int) and declared > max_bytes:
        return None, declared

    try:
        uploaded_file.seek(0)
    except (AttributeError, OSError, ValueError):
        pass
    data = uploaded_file.read(max_bytes + 1) or b""
    if isinstance(data, str):  # a text-mode file is certainly not an image/PDF
        data = data.encode("utf-8", "surrogateescape")
    if len(data) <= max_bytes:
        return data, len(data)

    # Too large: count the rest without keeping it, for an accurate message.
    size = len(data)
    while True:
        chunk = uploaded_file.read(_READ_CHUNK)
        if not chunk:
            break
        size += len(chunk)
    return None, size


def _random_name(extension: str) -> str:
    return f"{uuid.uuid4().hex}.{extension}"


def _image_too_large(size: int, max_bytes: int) -> ValidationError:
    return ValidationError(
        _(
            "The image is %(size)s; images may be at most %(max)s. "
            "Please compress it or choose a smaller one."
        ),
        code="too_large",
        params={"size": _size_text(size), "max": _size_text(max_bytes)},
    )


def _not_image() -> ValidationError:
    return ValidationError(
        _(
            "The file is not a valid JPEG, PNG, WebP or GIF image, or it is damaged. "
            "Please upload a picture in one of these formats."
        ),
        code="not_image",
    )


def _bomb() -> ValidationError:
    return ValidationError(
        _(
            "The image declares an extremely large size and cannot be processed safely. "
            "Please save it again at a normal resolution and upload it again."
        ),
        code="bomb",
    )


def _too_many_pixels(width: int, height: int, max_pixels: int) -> ValidationError:
    return ValidationError(
        _(
            "The image is %(width)s × %(height)s pixels; at most %(max)s pixels in total "
            "are allowed. Please reduce its resolution and upload it again."
        ),
        code="too_many_pixels",
        params={"width": width, "height": height, "max": f"{max_pixels:,}"},
    )


def _has_alpha(img: Image.Image) -> bool:
    return img.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        img.mode == "P" and "transparency" in img.info
    )


def _to_rgb(img: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Return an RGB image: transparency flattened onto white, colours in sRGB."""
    if _has_alpha(img):
        rgba = img.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        background.alpha_composite(rgba)
        img = background.convert("RGB")
    elif img.mode.startswith("I") or img.mode == "F":
        # 16/32-bit greyscale (some PNGs): scale into 8 bits instead of clipping.
        sixteen_bit = img.mode.startswith("I;16")
        img = img.convert("I")
        _lo, hi = img.getextrema()
        if sixteen_bit or hi > 255:
            scale = 255.0 / 65535 if sixteen_bit else 255.0 / hi
            img = img.point(lambda v: v * scale)
        img = img.convert("L")
    elif img.mode not in ("RGB", "L", "CMYK"):
        img = img.convert("RGB")

    if icc_profile and ImageCms is not None and img.mode in ("RGB", "L", "CMYK"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            srgb = ImageCms.createProfile("sRGB")
            converted = ImageCms.profileToProfile(img, source, srgb, outputMode="RGB")
            if converted is not None:
                img = converted
        except Exception:  # broken/mismatched profile: plain convert() below
            logger.debug("Ignoring unusable ICC profile in upload", exc_info=True)
    if img.mode != "RGB":
        img = img.convert("RGB")
    return img


def _reencode_image(data: bytes, *, max_pixels: int, max_side: int | None) -> bytes:
    """Decode ``data`` with the allowed plugins only and return clean JPEG bytes."""
    try:
        with warnings.catch_warnings():
            # Pillow warns (instead of raising) between MAX_IMAGE_PIXELS and twice
            # that; treat the warning as the error it is.
            warnings.simplefilter("error", Image.DecompressionBombWarning)

            # Pass 1: header + structural check. verify() leaves the image unusable.
            with Image.open(io.BytesIO(data), formats=list(ALLOWED_IMAGE_FORMATS)) as probe:
                if probe.format not in _ACCEPTED_REPORTED_FORMATS:
                    raise _not_image()
                width, height = probe.size
                if width <= 0 or height <= 0:
                    raise _not_image()
                # Same threshold as Pillow's warning, but independent of the
                # (process-global, not thread-safe) warnings filter state.
                if width * height > (Image.MAX_IMAGE_PIXELS or float("inf")):
                    raise _bomb()
                if width * height > max_pixels:
                    raise _too_many_pixels(width, height, max_pixels)
                probe.verify()

            # Pass 2: actually decode (first frame of animations only).
            with Image.open(io.BytesIO(data), formats=list(ALLOWED_IMAGE_FORMATS)) as img:
                if img.size != (width, height):
                    raise _not_image()
                if max_side and img.format in ("JPEG", "MPO"):
                    # Let libjpeg decode at a reduced scale: far less memory/CPU.
                    img.draft("RGB", (max_side, max_side))
                img.load()
                icc_profile = img.info.get("icc_profile")
                try:
                    oriented = ImageOps.exif_transpose(img)
                except Exception:  # noqa: BLE001 - unreadable EXIF must not block upload
                    oriented = img.copy()
                rgb = _to_rgb(oriented, icc_profile)

            if max_side and max(rgb.size) > max_side:
                rgb.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)

            # Copy the pixels into a brand-new image so no info/metadata can leak.
            clean = Image.new("RGB", rgb.size, (255, 255, 255))
            clean.paste(rgb)
            out = io.BytesIO()
            clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
            return out.getvalue()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _bomb() from None
    except MemoryError:
        raise _bomb() from None
    except Exception:  # noqa: BLE001 - any decoder failure means "not an image"
        # UnidentifiedImageError, truncated data, SyntaxError from plugins,
        # struct errors from malformed chunks, ...
        raise _not_image() from None


# --------------------------------------------------------------------------- #
# public functions
# --------------------------------------------------------------------------- #
def sanitize_image(
    uploaded_file,
    *,
    max_bytes: int = IMAGE_MAX_BYTES,
    max_pixels: int = IMAGE_MAX_PIXELS,
    max_side: int | None = IMAGE_MAX_SIDE,
) -> ContentFile:
    """Validate an uploaded image and return a metadata-free JPEG copy.

    ``uploaded_file`` is a Django ``UploadedFile``/``File``, any binary file-like
    object, or ``bytes``. The result is a ``ContentFile`` named ``<uuid4 hex>.jpg``
    (JPEG, quality 88, EXIF orientation applied, RGB, no EXIF/GPS/ICC/XMP),
    downsized to at most ``max_side`` pixels on the long side (``None`` keeps
    the size).

    Raises ``ValidationError`` with code ``too_large``, ``not_image``, ``bomb``
    or ``too_many_pixels``.
    """
    data, size = _read_limited(uploaded_file, max_bytes)
    if data is None:
        raise _image_too_large(size, max_bytes)
    if not data:
        raise _not_image()
    jpeg = _reencode_image(data, max_pixels=max_pixels, max_side=max_side)
    result = ContentFile(jpeg, name=_random_name("jpg"))
    result.content_type = "image/jpeg"
    return result


def _looks_like_pdf(data: bytes) -> bool:
    return data.startswith(_PDF_HEADER)


def sanitize_document(
    uploaded_file,
    *,
    max_bytes: int = DOCUMENT_MAX_BYTES,
    max_pixels: int = IMAGE_MAX_PIXELS,
    max_side: int | None = IMAGE_MAX_SIDE,
) -> ContentFile:
    """Validate an uploaded document: a PDF, or an image (sanitised as above).

    PDFs must start with ``%PDF-`` and contain ``%%EOF`` in their last 1024
    bytes; they are returned unchanged under a random ``<uuid4 hex>.pdf`` name.
    Images are delegated to :func:`sanitize_image` (same ``max_bytes``) and come
    back as ``<uuid4 hex>.jpg``.

    Raises ``ValidationError`` with code ``too_large`` or ``bad_type`` (or the
    image codes ``bomb`` / ``too_many_pixels`` for hostile images).
    """
    data, size = _read_limited(uploaded_file, max_bytes)
    if data is None:
        raise ValidationError(
            _(
                "The file is %(size)s; documents may be at most %(max)s. "
                "Please compress it or split it into smaller files."
            ),
            code="too_large",
            params={"size": _size_text(size), "max": _size_text(max_bytes)},
        )

    if _looks_like_pdf(data):
        if _PDF_EOF not in data[-_PDF_EOF_WINDOW:]:
            raise ValidationError(
                _(
                    "The PDF file is incomplete or damaged. "
                    "Please export or save it as PDF again and upload the new file."
                ),
                code="bad_type",
            )
        result = ContentFile(data, name=_random_name("pdf"))
        result.content_type = "application/pdf"
        return result

    try:
        return sanitize_image(data, max_bytes=max_bytes, max_pixels=max_pixels, max_side=max_side)
    except ValidationError as exc:
        if getattr(exc, "code", None) != "not_image":
            raise
    raise ValidationError(
        _(
            "Only PDF documents and JPEG, PNG, WebP or GIF images can be uploaded. "
            "Please convert the file to PDF or take a photo of it, then try again."
        ),
        code="bad_type",
    )


# --------------------------------------------------------------------------- #
# form fields
# --------------------------------------------------------------------------- #
class SanitizedImageField(forms.ImageField):
    """``forms.ImageField`` whose cleaned value is the sanitised JPEG ContentFile.

    Use in any form (or as ``formfield`` override in a ModelForm); the model's
    ``FileField``/``ImageField`` then stores ``<uuid4 hex>.jpg`` under its
    ``upload_to``.
    """

    def __init__(
        self,
        *,
        max_bytes: int = IMAGE_MAX_BYTES,
        max_pixels: int = IMAGE_MAX_PIXELS,
        max_side: int | None = IMAGE_MAX_SIDE,
        **kwargs,
    ):
        self.max_bytes = max_bytes
        self.max_pixels = max_pixels
        self.max_side = max_side
        super().__init__(**kwargs)

    def to_python(self, data):
        # FileField's checks (missing name, empty file, name too long) without
        # ImageField's own unrestricted Pillow decoding.
        f = forms.FileField.to_python(self, data)
        if f is None:
            return None
        return sanitize_image(
            f,
            max_bytes=self.max_bytes,
            max_pixels=self.max_pixels,
            max_side=self.max_side,
        )

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs["accept"] = "image/jpeg,image/png,image/webp,image/gif"
        return attrs


class SanitizedFileField(forms.FileField):
    """``forms.FileField`` accepting a PDF or an image; cleans to a safe ContentFile."""

    def __init__(
        self,
        *,
        max_bytes: int = DOCUMENT_MAX_BYTES,
        max_pixels: int = IMAGE_MAX_PIXELS,
        max_side: int | None = IMAGE_MAX_SIDE,
        **kwargs,
    ):
        self.max_bytes = max_bytes
        self.max_pixels = max_pixels
        self.max_side = max_side
        super().__init__(**kwargs)

    def to_python(self, data):
        f = super().to_python(data)
        if f is None:
            return None
        return sanitize_document(
            f,
            max_bytes=self.max_bytes,
            max_pixels=self.max_pixels,
            max_side=self.max_side,
        )

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs["accept"] = "application/pdf,image/jpeg,image/png,image/webp,image/gif"
        return attrs


def private_file_response(field_file):
    """Serve a private upload after the caller's permission check: PDFs as attachments,
    images inline in a sandbox, never sniffed, never cached."""
    import mimetypes

    from django.http import FileResponse, Http404

    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    name = field_file.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    is_pdf = name.lower().endswith(".pdf")
    response = FileResponse(handle, content_type=content_type, as_attachment=is_pdf, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if not is_pdf:
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
