"""HTML → PDF in the official layout (GB/T 9704 公文格式), with WeasyPrint and Debian's CJK fonts.

The layout asks for 仿宋 body text, 黑体 first-level headings, 楷体 second-level headings and a 小标宋 title.
Debian ships no 仿宋 that covers simplified Chinese, so each face is a list: the official face first (a
machine that has the licensed fonts uses them), then the nearest face Debian packages, then Noto CJK:

- body 仿宋: FangSong / 仿宋_GB2312 → AR PL UMing CN (fonts-arphic-uming, a light Song) → Noto Serif CJK SC
- headings 黑体: SimHei → WenQuanYi Zen Hei (fonts-wqy-zenhei) → Noto Sans CJK SC (fonts-noto-cjk)
- 楷体: KaiTi → AR PL UKai CN (fonts-arphic-ukai) → Noto Serif CJK SC
- title 小标宋: 方正小标宋 → Noto Serif CJK SC Bold

Fontconfig falls back glyph by glyph, so a face missing a rare character borrows it from the next one.
Without any CJK font (or without Pango, which WeasyPrint needs) `render_pdf` refuses with a message that
names the Debian packages to install (README, "Official documents").
"""

from __future__ import annotations

import functools
import shutil
import subprocess

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from kechuang.core.exceptions import ApplicationError

DEBIAN_FONT_PACKAGES = ("fonts-noto-cjk", "fonts-arphic-uming", "fonts-arphic-ukai", "fonts-wqy-zenhei")


@functools.cache
def cjk_fonts() -> tuple[str, ...]:
    """The families fontconfig knows that cover simplified Chinese (empty without fontconfig)."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return ()
    try:
        out = subprocess.run(
            [fc_list, ":lang=zh-cn", "family"], capture_output=True, text=True, timeout=20, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    return tuple(sorted({line.split(",")[0].strip() for line in out.splitlines() if line.strip()}))


def unavailable_reason() -> str:
    """Why PDFs cannot be made on this machine, or "" when they can."""
    try:
        import weasyprint  # noqa: F401  (needs Pango, a system library)
    except (ImportError, OSError) as exc:
        return _("服务器无法生成 PDF：缺少 WeasyPrint 或其依赖的 Pango 库（%(error)s）。") % {"error": exc}
    if not cjk_fonts():
        return _("服务器没有中文字体，无法生成公文 PDF。请安装 Debian 软件包：%(packages)s。") % {
            "packages": " ".join(DEBIAN_FONT_PACKAGES)
        }
    return ""


def qr_svg(url: str) -> str:
    """The QR code of `url` as an inline SVG element (no raster library needed)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=1, box_size=10)
    svg = image.to_string(encoding="unicode")
    return svg[svg.index("<svg") :]


def fetch_nothing():
    """WeasyPrint's URL fetcher for our documents: they load nothing (fonts come from fontconfig, the QR code
    is inline SVG), so any URL in one (file:///etc/…, http://169.254.169.254/…) is refused rather than read
    into the PDF. WeasyPrint logs the refusal and goes on without the resource."""
    from weasyprint.urls import URLFetcher

    class FetchNothing(URLFetcher):
        def fetch(self, url, headers=None):
            raise ValueError(f"official documents load no external resource ({url[:80]})")

    return FetchNothing()


def render_pdf(template: str, context: dict) -> bytes:
    """The PDF of a document template (templates/documents/pdf/…), or ApplicationError saying what is missing."""
    reason = unavailable_reason()
    if reason:
        raise ApplicationError(reason, code="pdf_unavailable")
    import weasyprint

    html = render_to_string(template, context)
    return weasyprint.HTML(string=html, base_url=None, url_fetcher=fetch_nothing()).write_pdf()
