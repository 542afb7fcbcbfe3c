#!/usr/bin/env python3
"""Translation catalogues: extract, check and compile.

    python scripts/messages.py extract         # makemessages -l nl for the project and every app
    python scripts/messages.py extract APP     # only for one app (e.g. budgets)
    python scripts/messages.py check     # fail on missing or fuzzy Dutch translations
    python scripts/messages.py compile   # write .mo files (pure Python, no gettext needed)

Every app keeps its own catalogue in <app>/locale/nl/LC_MESSAGES/django.po; the
project-wide templates (base.html, 404, 500) and settings use
src/buurtbasis/locale. Placeholders such as %(name)s must match the msgid.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ROOT / "src" / "buurtbasis"
PLACEHOLDER = re.compile(r"%\([a-zA-Z_]+\)[sd]|\{[a-zA-Z_]*\}")


def catalogue_dirs() -> list[Path]:
    """Folders whose locale/ holds a catalogue: the project package and each app."""
    apps = sorted(p.parent for p in PROJECT.glob("*/apps.py"))
    return [PROJECT, *apps]


def po_files() -> list[Path]:
    return sorted(
        d / "locale" / "nl" / "LC_MESSAGES" / "django.po"
        for d in catalogue_dirs()
        if (d / "locale" / "nl" / "LC_MESSAGES" / "django.po").exists()
    )


def extract(only: str | None = None) -> int:
    manage = [
        sys.executable,
        str(ROOT / "manage.py"),
        "makemessages",
        "-l",
        "nl",
        "--no-obsolete",
        "--no-location",
    ]
    app_names = [p.parent.name for p in PROJECT.glob("*/apps.py")]
    known = known_translations()
    for folder in catalogue_dirs():
        if only and folder.name != only:
            continue
        (folder / "locale").mkdir(exist_ok=True)
        ignore = ["--ignore=tests/*", "--ignore=*/tests/*"]
        if folder == PROJECT:
            ignore += [f"--ignore={name}/*" for name in app_names]
        subprocess.run(
            [*manage, *ignore],
            cwd=folder,
            check=True,
            # A development tool: DEBUG=True lets the settings load without a SECRET_KEY.
            env={"DEBUG": "True", **os.environ, "PYTHONPATH": str(ROOT / "src")},
        )
    reused = reuse_translations(known)
    if reused:
        print(f"Reused {reused} Dutch translations that other catalogues already had.")
    print("Now translate the empty msgstr entries and run: make check-messages")
    return 0


def _key(entry) -> tuple[str | None, str, str]:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural or "")


def known_translations() -> dict:
    """Every finished translation in every catalogue, before extraction rewrites them.

    Text that moves to another app (a template or module changing floors) keeps its
    Dutch translation this way."""
    known: dict = {}
    for path in po_files():
        for entry in polib.pofile(str(path)):
            if entry.obsolete or "fuzzy" in entry.flags:
                continue
            if entry.msgid_plural and all(entry.msgstr_plural.values()):
                known.setdefault(_key(entry), dict(entry.msgstr_plural))
            elif entry.msgstr:
                known.setdefault(_key(entry), entry.msgstr)
    return known


def reuse_translations(known: dict) -> int:
    """Fill empty entries, and replace fuzzy guesses, whose exact text (and context)
    is translated elsewhere."""
    filled = 0
    for path in po_files():
        po = polib.pofile(str(path))
        changed = False
        for entry in po:
            if entry.obsolete or _key(entry) not in known:
                continue
            value = known[_key(entry)]
            fuzzy = "fuzzy" in entry.flags
            if entry.msgid_plural and (fuzzy or not all(entry.msgstr_plural.values())):
                entry.msgstr_plural = dict(value)
            elif not entry.msgid_plural and (fuzzy or not entry.msgstr):
                entry.msgstr = value
            else:
                continue
            if fuzzy:
                entry.flags.remove("fuzzy")
                entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
            filled += 1
            changed = True
        if changed:
            po.save(str(path))
    return filled


def check() -> int:
    problems: list[str] = []
    for path in po_files():
        po = polib.pofile(str(path))
        rel = path.relative_to(ROOT)
        for entry in po:
            if entry.obsolete:
                continue
            if "fuzzy" in entry.flags:
                problems.append(f"{rel}: fuzzy: {entry.msgid!r}")
            elif entry.msgid_plural:
                if not all(entry.msgstr_plural.values()):
                    problems.append(f"{rel}: untranslated plural: {entry.msgid!r}")
            elif not entry.msgstr:
                problems.append(f"{rel}: untranslated: {entry.msgid!r}")
            elif sorted(PLACEHOLDER.findall(entry.msgid)) != sorted(
                PLACEHOLDER.findall(entry.msgstr)
            ):
                problems.append(f"{rel}: placeholders differ: {entry.msgid!r}")
    if problems:
        print("Dutch translations are missing or fuzzy:", file=sys.stderr)
        for line in problems:
            print(f"  {line}", file=sys.stderr)
        return 1
    print(f"translations: {len(po_files())} catalogues complete")
    return 0


def compile_all() -> int:
    for path in po_files():
        polib.pofile(str(path)).save_as_mofile(str(path.with_suffix(".mo")))
    return 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "extract":
        # `extract APP` limits extraction to one app (or "buurtbasis" for the project).
        sys.exit(extract(sys.argv[2] if len(sys.argv) > 2 else None))
    sys.exit({"check": check, "compile": compile_all}[command]())
