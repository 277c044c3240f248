"""Membership certificate (会员证) as a one-page PDF, drawn with ReportLab.

The certificate is an official Chinese document, so everything printed on it is
Chinese by design (no gettext here).

Public API::

    render_certificate(*, name, association, number, joined_on, issued_on,
                       verify_url, photo, federation="安龙县文学艺术界联合会") -> bytes
    register_cjk_font() -> str          # "NotoSansSC", registered once per process
    format_chinese_date(date) -> str    # date(2026, 11, 28) -> "2026年11月28日"

Font: Noto Sans SC from the ``justmytype-intl-cjk`` package, registered as a
ReportLab ``TTFont`` so only the glyphs actually used are embedded (subset,
``FontFile2``). The packaged file is a variable font whose default instance is
the Thin weight; ReportLab cannot select a variable-font instance, so heavier
weights are obtained by drawing the glyph outline as well (text render mode 2,
"fill then stroke") with a stroke proportional to the font size. The text stays
real, selectable and searchable text.

All user-provided strings are drawn with ``canvas.drawString`` & co., i.e. as
literal glyphs: no markup is interpreted (a name such as ``<script>`` is printed
as those characters).
"""

from __future__ import annotations

import io
import re
import threading
import warnings
from datetime import date
from importlib.resources import files
from pathlib import Path

import segno
from PIL import Image, ImageOps
from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.pagesizes import A5, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas

__all__ = [
    "DEFAULT_FEDERATION",
    "FONT_NAME",
    "format_chinese_date",
    "register_cjk_font",
    "render_certificate",
]

FONT_NAME = "NotoSansSC"
DEFAULT_FEDERATION = "安龙县文学艺术界联合会"

_FONT_PACKAGE = "justmytype_intl_cjk"
_FONT_RELATIVE = ("fonts", "ofl", "notosanssc", "NotoSansSC[wght].ttf")
_font_lock = threading.Lock()
_font_registered = False

# Stroke width as a fraction of the font size (faux weight on the Thin master).
_WEIGHT_REGULAR = 0.028
_WEIGHT_MEDIUM = 0.040
_WEIGHT_BOLD = 0.060

# Palette: the deep red and gold of Chinese official certificates.
_RED = HexColor("#9E1B20")
_GOLD = HexColor("#C29A4A")
_INK = HexColor("#1F1F1F")
_LABEL = HexColor("#5A4A42")
_PAPER = HexColor("#FFFBF2")
_RULE = HexColor("#D9C9A8")
_PLACEHOLDER = HexColor("#9A9A9A")


# --------------------------------------------------------------------------- #
# font
# --------------------------------------------------------------------------- #
def _find_font_file() -> Path:
    """Locate NotoSansSC inside the installed justmytype-intl-cjk package."""
    root = files(_FONT_PACKAGE)
    candidate = root.joinpath(*_FONT_RELATIVE)
    if candidate.is_file():
        return Path(str(candidate))
    # Tolerate a re-packaged font (static file, different directory layout).
    fonts_dir = Path(str(root.joinpath("fonts")))
    matches = sorted(fonts_dir.rglob("NotoSansSC*.ttf")) + sorted(
        fonts_dir.rglob("NotoSansSC*.otf")
    )
    for path in matches:
        if path.suffix.lower() == ".ttf":
            return path
    raise FileNotFoundError(
        f"NotoSansSC TrueType font not found in package {_FONT_PACKAGE!r} ({fonts_dir})"
    )


def register_cjk_font() -> str:
    """Register Noto Sans SC with ReportLab (once per process) and return its name."""
    global _font_registered
    if _font_registered:
        return FONT_NAME
    with _font_lock:
        if not _font_registered:
            if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(FONT_NAME, str(_find_font_file())))
            _font_registered = True
    return FONT_NAME


# --------------------------------------------------------------------------- #
# helpers
# --------------------------------------------------------------------------- #
def format_chinese_date(value: date) -> str:
    """``date(2026, 11, 28)`` -> ``"2026年11月28日"`` (no zero padding)."""
    return f"{value.year}年{value.month}月{value.day}日"


def _text(
    c: rl_canvas.Canvas,
    x: float,
    y: float,
    text: str,
    *,
    size: float,
    color: Color = _INK,
    weight: float = _WEIGHT_REGULAR,
    align: str = "left",
    char_space: float = 0,
) -> None:
    """Draw literal text (no markup) with a faux weight."""
    c.saveState()
    c.setFont(FONT_NAME, size)
    c.setFillColor(color)
    c.setStrokeColor(color)
    c.setLineWidth(size * weight)
    c.setLineJoin(1)
    draw = {
        "left": c.drawString,
        "center": c.drawCentredString,
        "right": c.drawRightString,
    }[align]
    draw(x, y, text, mode=2, charSpace=char_space)
    c.restoreState()


def _clean(text: object) -> str:
    """Single line of text: collapse whitespace, drop control characters."""
    text = "".join(ch for ch in str(text) if ch.isprintable() or ch.isspace())
    return " ".join(text.split())


def _width(text: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, FONT_NAME, size)


def _truncate(text: str, max_width: float, size: float) -> str:
    if _width(text, size) <= max_width:
        return text
    while text and _width(text + "…", size) > max_width:
        text = text[:-1]
    return text + "…"


def _fit(text: str, max_width: float, size: float, min_size: float) -> tuple[str, float]:
    """Shrink the font size until ``text`` fits; truncate with … as a last resort."""
    text = _clean(text)
    while size > min_size and _width(text, size) > max_width:
        size = max(min_size, size - 0.5)
    return _truncate(text, max_width, size), size


def _wrap(text: str, max_width: float, size: float) -> list[str]:
    """Greedy line breaking by character (CJK has no spaces), keeping Latin words whole."""
    lines: list[str] = []
    current = ""
    for token in re.findall(r"[A-Za-z0-9@._\-]+|\s+|.", text):
        if not current and token.isspace():
            continue
        if _width(current + token, size) <= max_width or not current:
            current += token
        else:
            lines.append(current.rstrip())
            current = token.lstrip()
    if current:
        lines.append(current.rstrip())
    return lines


def _fit_lines(
    text: str, max_width: float, size: float, min_size: float, *, two_line_size: float
) -> tuple[list[str], float]:
    """One line if it fits at ``two_line_size`` or more, else up to two lines."""
    text = _clean(text)
    one_size = size
    while one_size > two_line_size and _width(text, one_size) > max_width:
        one_size = max(two_line_size, one_size - 0.5)
    if _width(text, one_size) <= max_width:
        return [text], one_size
    size = two_line_size
    while True:
        lines = _wrap(text, max_width, size)
        if len(lines) <= 2 or size <= min_size:
            break
        size = max(min_size, size - 0.5)
    if len(lines) > 2:
        rest = text[len(lines[0]) :].strip() if text.startswith(lines[0]) else " ".join(lines[1:])
        lines = [lines[0], _truncate(rest, max_width, size)]
    return [_truncate(line, max_width, size) for line in lines], size


def _load_photo(photo: bytes | None) -> Image.Image | None:
    """Decode the member photo (allowed formats only); ``None`` if unusable."""
    if not photo:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(photo), formats=["JPEG", "PNG", "WEBP", "GIF"]) as img:
                img.load()
                img = ImageOps.exif_transpose(img)
                if img.mode in ("RGBA", "LA", "PA") or "transparency" in img.info:
                    rgba = img.convert("RGBA")
                    bg = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
                    bg.alpha_composite(rgba)
                    img = bg
                return img.convert("RGB")
    except Exception:  # noqa: BLE001 - unusable photo -> placeholder, never a 500
        return None


def _draw_corner_ornaments(c: rl_canvas.Canvas, x0: float, y0: float, x1: float, y1: float) -> None:
    """Small gold L-shaped ornaments inside the four corners of the frame."""
    arm = 16
    c.saveState()
    c.setStrokeColor(_GOLD)
    c.setLineWidth(1.6)
    for cx, cy, dx, dy in (
        (x0, y0, 1, 1),
        (x1, y0, -1, 1),
        (x0, y1, 1, -1),
        (x1, y1, -1, -1),
    ):
        p = c.beginPath()
        p.moveTo(cx, cy + dy * arm)
        p.lineTo(cx, cy)
        p.lineTo(cx + dx * arm, cy)
        c.drawPath(p, stroke=1, fill=0)
        c.setFillColor(_GOLD)
        c.rect(cx + dx * 3 - 1.5, cy + dy * 3 - 1.5, 3, 3, stroke=0, fill=1)
    c.restoreState()


def _draw_photo(
    c: rl_canvas.Canvas, photo: bytes | None, x: float, y: float, w: float, h: float
) -> None:
    img = _load_photo(photo)
    c.saveState()
    if img is not None:
        # Centre-crop to the box ratio; ~300 dpi is plenty for a 3:4 ID photo.
        px_w = max(1, round(w / 72 * 300))
        px_h = max(1, round(h / 72 * 300))
        fitted = ImageOps.fit(img, (px_w, px_h), Image.Resampling.LANCZOS, centering=(0.5, 0.4))
        c.drawImage(ImageReader(fitted), x, y, width=w, height=h)
        c.setStrokeColor(_RULE)
        c.setLineWidth(0.8)
        c.rect(x, y, w, h, stroke=1, fill=0)
    else:
        c.setFillColor(HexColor("#F4F1EA"))
        c.setStrokeColor(_PLACEHOLDER)
        c.setLineWidth(0.8)
        c.setDash(3, 2)
        c.rect(x, y, w, h, stroke=1, fill=1)
        c.setDash()
        c.restoreState()
        _text(
            c,
            x + w / 2,
            y + h / 2 - 5,
            "照片",
            size=14,
            color=_PLACEHOLDER,
            align="center",
        )
        return
    c.restoreState()


def _draw_qr(c: rl_canvas.Canvas, data: str, x: float, y: float, size: float) -> None:
    """Vector QR code (crisp at any zoom) with a 4-module white quiet zone."""
    qr = segno.make(data, error="m", micro=False)
    matrix = qr.matrix
    n = len(matrix)
    quiet = 4
    module = size / (n + 2 * quiet)
    c.saveState()
    c.setFillColor(white)
    c.rect(x, y, size, size, stroke=0, fill=1)
    c.setFillColor(HexColor("#000000"))
    path = c.beginPath()
    origin_x = x + quiet * module
    top = y + size - quiet * module
    for row_index, row in enumerate(matrix):
        col = 0
        while col < n:
            if row[col]:
                start = col
                while col < n and row[col]:
                    col += 1
                path.rect(
                    origin_x + start * module,
                    top - (row_index + 1) * module,
                    (col - start) * module,
                    module,
                )
            else:
                col += 1
    c.drawPath(path, stroke=0, fill=1)
    c.restoreState()


# --------------------------------------------------------------------------- #
# public
# --------------------------------------------------------------------------- #
def render_certificate(
    *,
    name: str,
    association: str,
    number: str,
    joined_on: date,
    issued_on: date,
    verify_url: str,
    photo: bytes | None,
    federation: str = DEFAULT_FEDERATION,
) -> bytes:
    """Render the membership certificate and return the PDF bytes.

    One landscape A5 page: border, federation name, title 会员证, the member's
    photo (or a dashed 照片 placeholder when ``photo`` is ``None`` or cannot be
    decoded), 姓名 / 所属协会 / 会员证号 / 入会日期 / 发证日期, and a QR code for
    ``verify_url`` captioned 扫码验证真伪.
    """
    if not verify_url:
        raise ValueError("verify_url is required for the certificate QR code")
    register_cjk_font()

    page_w, page_h = landscape(A5)  # 595.3 x 419.5 pt (210 x 148 mm)
    buf = io.BytesIO()
    c = rl_canvas.Canvas(
        buf,
        pagesize=(page_w, page_h),
        pageCompression=1,
        initialFontName=FONT_NAME,  # no unembedded Helvetica resource
        initialFontSize=12,
    )
    c.setTitle(f"会员证 {number}")
    c.setAuthor(federation)
    c.setSubject("会员证")
    c.setCreator(federation)

    # Paper and frame ---------------------------------------------------------
    c.setFillColor(_PAPER)
    c.rect(0, 0, page_w, page_h, stroke=0, fill=1)
    outer = 14
    c.setStrokeColor(_RED)
    c.setLineWidth(3.5)
    c.rect(outer, outer, page_w - 2 * outer, page_h - 2 * outer, stroke=1, fill=0)
    inner = outer + 6
    c.setStrokeColor(_GOLD)
    c.setLineWidth(0.9)
    c.rect(inner, inner, page_w - 2 * inner, page_h - 2 * inner, stroke=1, fill=0)
    _draw_corner_ornaments(c, inner + 5, inner + 5, page_w - inner - 5, page_h - inner - 5)

    # Header -------------------------------------------------------------------
    header, header_size = _fit(federation, page_w - 140, 17, 10)
    _text(
        c,
        page_w / 2,
        page_h - 66,
        header,
        size=header_size,
        color=_RED,
        weight=_WEIGHT_MEDIUM,
        align="center",
        char_space=1.5,
    )
    _text(
        c,
        page_w / 2,
        page_h - 110,
        "会员证",
        size=32,
        color=_RED,
        weight=_WEIGHT_BOLD,
        align="center",
        char_space=12,
    )
    rule_y = page_h - 127
    c.setStrokeColor(_GOLD)
    c.setLineWidth(1.2)
    c.line(page_w / 2 - 150, rule_y, page_w / 2 + 150, rule_y)
    c.setLineWidth(0.5)
    c.line(page_w / 2 - 120, rule_y - 3, page_w / 2 + 120, rule_y - 3)

    # Body: photo | fields | QR ------------------------------------------------
    body_top = page_h - 152
    photo_w, photo_h = 105, 140  # 3:4, about 37 x 49 mm
    photo_x = 50
    _draw_photo(c, photo, photo_x, body_top - photo_h, photo_w, photo_h)

    qr_size = 118
    qr_x = page_w - 50 - qr_size
    qr_y = body_top - qr_size
    _draw_qr(c, verify_url, qr_x, qr_y, qr_size)
    c.setStrokeColor(_RULE)
    c.setLineWidth(0.6)
    c.rect(qr_x, qr_y, qr_size, qr_size, stroke=1, fill=0)
    _text(
        c,
        qr_x + qr_size / 2,
        qr_y - 17,
        "扫码验证真伪",
        size=10.5,
        color=_LABEL,
        align="center",
        char_space=1,
    )

    label_x = photo_x + photo_w + 24
    value_x = label_x + 68
    value_max_w = qr_x - 22 - value_x
    rows = (
        ("姓　　名", name),
        ("所属协会", association),
        ("会员证号", number),
        ("入会日期", format_chinese_date(joined_on)),
        ("发证日期", format_chinese_date(issued_on)),
    )
    row_gap = 30
    first_baseline = body_top - 18
    for i, (label, value) in enumerate(rows):
        y = first_baseline - i * row_gap
        _text(c, label_x, y, label, size=11.5, color=_LABEL, weight=_WEIGHT_REGULAR)
        weight = _WEIGHT_BOLD if i == 0 else _WEIGHT_MEDIUM
        lines, size = _fit_lines(value, value_max_w, 14, 8, two_line_size=11)
        if len(lines) == 1:
            _text(c, value_x, y, lines[0], size=size, color=_INK, weight=weight)
        else:  # long value: two smaller lines centred on the row
            _text(c, value_x, y + 6, lines[0], size=size, color=_INK, weight=weight)
            _text(c, value_x, y - 5, lines[1], size=size, color=_INK, weight=weight)
        c.setStrokeColor(_RULE)
        c.setLineWidth(0.6)
        c.line(value_x - 4, y - 8, value_x + value_max_w, y - 8)

    # Footer -------------------------------------------------------------------
    footer, footer_size = _fit(f"发证单位：{federation}", page_w - 140, 10.5, 8)
    _text(c, page_w - 50, 46, footer, size=footer_size, color=_LABEL, align="right")

    c.showPage()
    c.save()
    return buf.getvalue()
