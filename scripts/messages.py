"""Interface translations: extract, derive Traditional from Simplified, compile, check.

    python scripts/messages.py            # extract + derive + compile
    python scripts/messages.py compile    # only .po -> .mo
    python scripts/messages.py check      # exit 1 when a string is untranslated or a .mo is stale

Simplified Chinese (zh_Hans) is translated by hand in saohei/locale/zh_Hans/LC_MESSAGES/django.po.
Traditional Chinese (zh_Hant) is derived from it with OpenCC (s2t: the same mainland terms in
traditional characters, as the system's vocabulary is fixed by domain.md) plus the overrides below, so
the two never drift; English is the source language (msgids).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "saohei" / "locale"
LANGS = ("zh_Hans", "zh_Hant", "en")
# Where OpenCC's Taiwan phrasing is not what mainland-adjacent users of zh-hant expect.
HANT_OVERRIDES = {
    "資訊": "資訊",
    # opencc keeps 周 (a surname too: 周建国); the weekly analysis is usually written 週研判.
    "周研判": "週研判",
}


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "django.po"


def extract() -> None:
    env = {**os.environ, "SAOHEI_SECRET_KEY": "x", "SAOHEI_RECEIPT_KEY": "x", "SAOHEI_ENV_FILE": "/nonexistent",
           "SAOHEI_IDENTITY_KEY": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="}
    args = [sys.executable, "-m", "saohei.cli", "makemessages", "--no-location", "--no-obsolete"]
    for lang in LANGS:
        args += ["-l", lang]
    for pattern in (".venv/*", "node_modules/*", "benchmarks/*", "tests/*", "*/tests/*", "build/*"):
        args += ["--ignore", pattern]
    subprocess.run(args, cwd=ROOT / "saohei", env=env, check=True)


def derive_hant() -> None:
    import opencc

    converter = opencc.OpenCC("s2t")
    hans = polib.pofile(str(po_path("zh_Hans")))
    hant = polib.pofile(str(po_path("zh_Hant")))
    source = {(e.msgctxt, e.msgid): e for e in hans}
    for entry in hant:
        src = source.get((entry.msgctxt, entry.msgid))
        if src is None:
            continue

        def conv(text: str) -> str:
            out = converter.convert(text)
            for a, b in HANT_OVERRIDES.items():
                out = out.replace(a, b)
            return out

        if src.msgid_plural:
            entry.msgstr_plural = {k: conv(v) for k, v in src.msgstr_plural.items()}
        else:
            entry.msgstr = conv(src.msgstr)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    hant.metadata["Language"] = "zh_Hant"
    hant.save()


def compile_all() -> None:
    for lang in LANGS:
        po = polib.pofile(str(po_path(lang)))
        po.save_as_mofile(str(po_path(lang).with_suffix(".mo")))


def problems() -> list[str]:
    found: list[str] = []
    hans = polib.pofile(str(po_path("zh_Hans")))
    for entry in hans:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            found.append(f"zh_Hans: fuzzy: {entry.msgid!r}")
        elif entry.msgid_plural:
            if not all(entry.msgstr_plural.values()):
                found.append(f"zh_Hans: untranslated plural: {entry.msgid!r}")
        elif not entry.msgstr:
            found.append(f"zh_Hans: untranslated: {entry.msgid!r}")
    for lang in LANGS:
        po = polib.pofile(str(po_path(lang)))
        mo_file = po_path(lang).with_suffix(".mo")
        if not mo_file.exists():
            found.append(f"{lang}: django.mo missing: run `make messages`")
            continue
        mo = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.mofile(str(mo_file))}
        for e in po.translated_entries():
            if mo.get((e.msgctxt, e.msgid)) is None:
                found.append(f"{lang}: django.mo is stale: run `make messages`")
                break
        found += _gettext_syntax_errors(po_path(lang))
    return found


def _gettext_syntax_errors(path: Path) -> list[str]:
    """What GNU msgfmt refuses in a catalog: makemessages (msgmerge) stops on the same errors, which polib
    lets through (e.g. a `#| msgid_plural` comment without its `#| msgid`)."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        return [f"{path}: msgfmt is not installed (Debian package gettext): cannot check the catalog's syntax"]
    result = subprocess.run([msgfmt, "--check-format", "-o", os.devnull, str(path)], capture_output=True, text=True)
    if result.returncode == 0:
        return []
    return [line for line in result.stderr.splitlines() if "error" in line] or [f"{path}: msgfmt refused it"]


def main(argv: list[str]) -> int:
    step = argv[0] if argv else "all"
    if step in ("all", "extract"):
        extract()
    if step in ("all", "derive"):
        derive_hant()
    if step in ("all", "compile", "derive"):
        compile_all()
    if step == "check":
        issues = problems()
        print("\n".join(issues) or "translations complete")
        return 1 if issues else 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
