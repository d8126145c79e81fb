"""What a reporter does on the public portal, as small steps the portal tests share."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from PIL import Image

from tests.e2e.pages import RECEIPT_RE, shot

MOBILE = {"width": 360, "height": 740}
LANGUAGE_NAMES = {"zh-hans": "简体中文", "zh-hant": "繁體中文", "en": "English"}
PLACE_STEPS = ["湖北省", "武汉市", "江汉区"]
PLACE_TEXT = " · ".join(PLACE_STEPS)
SPY_MAKE = "SpyCam Maker"


def jpeg_with_gps(path: Path) -> Path:
    """A small JPEG whose EXIF names the camera and where the photo was taken."""
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = SPY_MAKE  # Make
    exif[0x8825] = {1: "N", 2: (30.0, 35.0, 12.5), 3: "E", 4: (114.0, 16.0, 40.2)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825), "the test image must carry GPS"
    path.write_bytes(data)
    return path


def reporter_context(browser: Any, *, js: bool) -> Any:
    """A stranger's phone: no login, a narrow screen, JavaScript on or off."""
    context = browser.new_context(viewport=MOBILE, java_script_enabled=js, locale="zh-CN")
    context.set_default_timeout(10_000)
    return context


def assert_fits_mobile(page: Any, artifacts: Path, name: str) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    if width > MOBILE["width"]:
        shot(page, artifacts, f"too-wide-{name}")
    assert width <= MOBILE["width"], f"{page.url} scrolls sideways at 360 px: scrollWidth {width}"


def html_lang(page: Any) -> str:
    return page.get_attribute("html", "lang") or ""


def switch_language(page: Any, lang: str) -> None:
    """Click the language link in the header (a plain link: works without JavaScript)."""
    with page.expect_navigation():
        page.click(f"nav.langs a[hreflang='{lang}']")
    assert html_lang(page) == lang, f"after choosing {lang} the page is in {html_lang(page)!r}"
    assert page.get_attribute(f"nav.langs a[hreflang='{lang}']", "aria-current") == "true"


def choose_place(page: Any, steps: list[str]) -> None:
    """Choose the place one level at a time on the place page, then land on the form."""
    for name in steps:
        select = page.locator("select#id_at")
        assert select.count() == 1, f"no place list to choose {name} from at {page.url}: {page.inner_text('main')!r}"
        select.select_option(label=name)
        with page.expect_navigation():
            page.click("form[action$='/submit/'] button[type=submit]")
    page.locator("form.report-form").wait_for()


def fill_report(page: Any, *, content: str, persons: str = "", location: str = "", when: str = "",
                protectors: str = "", evidence: str = "", files: list[Path] | None = None) -> None:
    page.fill("#id_content", content)
    if persons:
        page.fill("#id_persons", persons)
    if location:
        page.fill("#id_location_text", location)
    if when:
        page.fill("#id_when", when)
    if protectors:
        page.check("#id_protection_1")  # "yes"
        page.fill("#id_protectors", protectors)
    if evidence:
        page.fill("#id_evidence", evidence)
    if files:
        page.set_input_files("#id_files", [str(f) for f in files])


def send_report(page: Any) -> str:
    """Send the form; returns the receipt shown."""
    with page.expect_navigation():
        page.click("form.report-form button[type=submit]")
    code_box = page.locator("#receipt-code")
    assert code_box.count() == 1, f"no receipt after sending: {page.inner_text('main')!r}"
    code = str(code_box.inner_text()).strip()
    assert RECEIPT_RE.match(code), f"the receipt is not six groups of four characters: {code!r}"
    return code


def open_follow_up(page: Any, url: Any, receipt: str) -> None:
    page.goto(url("/portal/follow/"))
    page.fill("#id_receipt", receipt)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("#report-status").count() == 1, f"follow-up refused: {page.inner_text('main')!r}"
