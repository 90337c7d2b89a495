"""Seal images (SIGN-12): what an uploaded seal must be, and the demo's drawn seals.

* `check_seal_image(data)`: a PNG or JPEG by its content (decoded, not just its first bytes),
  within NETSIGN_SEAL_MAX_BYTES and NETSIGN_SEAL_MAX_PIXELS a side, at least 64 px; ValueError
  with a Chinese message otherwise. The seal admin's upload and `store_seal_image` use it.
* `draw_company_seal(name)` / `draw_legal_rep_seal(name)`: a red round seal with the company's
  name along the rim and a star, and a square seal of the legal representative's name, drawn
  with Pillow and the CJK font the PDFs use (no image files shipped or downloaded).
* `seal_image(seal)`: the stored bytes of a seal, read from the private directory.
"""

from __future__ import annotations

import io
import math
import secrets
from pathlib import Path

from netsign_console import settings as config  # read at call time: tests swap config.settings
from netsign_console.admin import files

RED = (200, 16, 28, 255)
MIN_PIXELS = 64


def check_seal_image(data: bytes) -> None:
    from PIL import Image, UnidentifiedImageError

    limit = config.settings.seal_max_bytes
    if len(data) > limit:
        raise ValueError(f"印章图片不能超过{max(1, limit // 1024)}KB")
    if not (data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"\xff\xd8\xff")):
        raise ValueError("印章图片应为PNG或JPEG格式")
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in ("PNG", "JPEG"):
                raise ValueError("印章图片应为PNG或JPEG格式")
            width, height = image.size
            image.verify()  # a truncated or forged file fails here
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise ValueError("印章图片已损坏或不是有效的PNG/JPEG图片") from None
    most = config.settings.seal_max_pixels
    if max(width, height) > most:
        raise ValueError(f"印章图片尺寸不能超过{most}×{most}像素")
    if min(width, height) < MIN_PIXELS:
        raise ValueError(f"印章图片太小，至少{MIN_PIXELS}×{MIN_PIXELS}像素")


def store_seal_image(data: bytes) -> str:
    """Keep a checked seal image in the private directory; the stored relative path."""
    check_seal_image(data)
    ext = "png" if data.startswith(b"\x89PNG") else "jpg"
    relative = f"files/seal/{secrets.token_hex(16)}.{ext}"
    files.private_path(*relative.split("/")).write_bytes(data)
    return relative


def seal_image(seal) -> bytes:
    path = files.resolve_stored(seal.image_file)
    if path is None:
        raise FileNotFoundError(f"印章图片不存在：{seal.image_file}")
    return path.read_bytes()


def _font(size: int):
    from PIL import ImageFont

    return ImageFont.truetype(str(Path(config.settings.pdf_font)), size, index=0)


def _png(image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _star(draw, cx: float, cy: float, r: float) -> None:
    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.382
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    draw.polygon(points, fill=RED)


def draw_company_seal(name: str, *, size: int = 420, footer: str = "合同专用章") -> bytes:
    """A round company seal: rim, the name along the upper arc, a star, the seal's use below."""
    from PIL import Image, ImageDraw

    scale = 2  # drawn large, then reduced: smooth edges without anti-aliasing primitives
    big = size * scale
    image = Image.new("RGBA", (big, big), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    ring = big * 0.035
    draw.ellipse((ring, ring, big - ring, big - ring), outline=RED, width=int(ring))
    c = big / 2
    _star(draw, c, c, big * 0.15)
    chars = list(name)
    font = _font(int(big * 0.105))
    span = math.radians(min(250, 18 * len(chars) + 20))
    radius = big * 0.36
    for i, ch in enumerate(chars):
        angle = -math.pi / 2 - span / 2 + span * (i + 0.5) / len(chars)
        glyph = Image.new("RGBA", (int(big * 0.14), int(big * 0.14)), (255, 255, 255, 0))
        ImageDraw.Draw(glyph).text((glyph.width / 2, glyph.height / 2), ch, font=font, fill=RED, anchor="mm")
        glyph = glyph.rotate(-math.degrees(angle) - 90, resample=Image.BICUBIC, expand=True)
        x, y = c + radius * math.cos(angle), c + radius * math.sin(angle)
        image.alpha_composite(glyph, (int(x - glyph.width / 2), int(y - glyph.height / 2)))
    draw.text((c, c + big * 0.25), footer, font=_font(int(big * 0.075)), fill=RED, anchor="mm")
    return _png(image.resize((size, size), Image.LANCZOS))


def draw_legal_rep_seal(person: str, *, size: int = 220) -> bytes:
    """A square personal seal: the name and 印, two characters a column, read right to left."""
    from PIL import Image, ImageDraw

    scale = 2
    big = size * scale
    image = Image.new("RGBA", (big, big), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    border = int(big * 0.05)
    draw.rectangle((border, border, big - border, big - border), outline=RED, width=border)
    text = (person + "印") if len(person) % 2 else (person + "之印")
    text = text[:4].ljust(4, "印")
    font = _font(int(big * 0.36))
    # Columns right to left, top to bottom: 王建 / 国印 -> right column 王建, left column 国印.
    cells = [(0.72, 0.29), (0.72, 0.71), (0.28, 0.29), (0.28, 0.71)]
    for ch, (fx, fy) in zip(text, cells):
        draw.text((big * fx, big * fy), ch, font=font, fill=RED, anchor="mm")
    return _png(image.resize((size, size), Image.LANCZOS))
