""" "Initiatives like mine": which texts are indexed, the indexing and the lookup.

Indexed are public initiatives and published practices of every municipality on the
install. The vectors are computed in the background (``tasks.py``) when an initiative
or practice changes, and stored; the lookup reads the matrix this process keeps
(``adapters.neighbours``) and does one matrix product, then reads the names of the
few rows it found (a fixed number of queries).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from buurtbasis.areas.models import Area, AreaLevel
from buurtbasis.initiatives.models import Initiative

from . import adapters
from .models import ItemKind, Practice, SimilarIndex, SimilarItem

logger = logging.getLogger(__name__)

#: How many similar initiatives and practices the block shows.
LIKE_MINE = 5
#: At least this many of them come from other municipalities (when there are any) …
OTHER_MUNICIPALITIES = 2
#: … looked for among the ``LIKE_MINE * OTHER_DEPTH`` most similar rows.
OTHER_DEPTH = 8


def initiative_text(initiative: Initiative) -> str:
    parts = [initiative.name, initiative.pitch, initiative.description]
    parts += [str(t) for t in initiative.themes.all()]
    parts += [str(g) for g in initiative.target_groups.all()]
    return "\n".join(p for p in parts if p)


def practice_text(content: dict, initiative: Initiative) -> str:
    fields = ("title", "what_it_does", "for_whom", "went_well", "went_less_well")
    return "\n".join([initiative.pitch, *(str(content.get(f) or "") for f in fields)])


def _municipality(initiative: Initiative) -> str:
    """The municipality of its first area (areas prefetched: no query)."""
    areas = sorted(initiative.areas.all(), key=lambda a: a.pk)
    return areas[0].municipality_code if areas else ""


def _texts(initiative_ids=(), practice_ids=()) -> tuple[list, list]:
    """``(keep, drop)``: ``keep`` are (kind, id, initiative, code, text) of the rows that
    belong in the index, ``drop`` (kind, id) of those that do not (any more)."""
    keep, drop = [], []
    found = {
        i.pk: i
        for i in Initiative.objects.filter(pk__in=list(initiative_ids)).prefetch_related(
            "themes", "target_groups", "areas"
        )
    }
    public = set(
        Initiative.objects.public().filter(pk__in=list(found)).values_list("pk", flat=True)
    )
    for pk in initiative_ids:
        initiative = found.get(pk)
        if initiative is None or pk not in public:
            drop.append((ItemKind.INITIATIVE, pk))
        else:
            text = initiative_text(initiative)
            keep.append((ItemKind.INITIATIVE, pk, initiative, _municipality(initiative), text))
    practices = {
        p.pk: p
        for p in Practice.objects.filter(pk__in=list(practice_ids))
        .select_related("initiative")
        .prefetch_related("initiative__areas")
    }
    for pk in practice_ids:
        practice = practices.get(pk)
        if practice is None or not practice.is_public:
            drop.append((ItemKind.PRACTICE, pk))
        else:
            text = practice_text(practice.published_content, practice.initiative)
            code = practice.municipality_code or _municipality(practice.initiative)
            keep.append((ItemKind.PRACTICE, pk, practice.initiative, code, text))
    return keep, drop


def index(initiative_ids=(), practice_ids=(), *, backend: str | None = None) -> dict:
    """Store (or remove) the vectors of these initiatives and practices; raise the
    index's version so every process reloads its matrix."""
    backend = backend or adapters.similar_backend()
    keep, drop = _texts(list(initiative_ids), list(practice_ids))
    try:
        encoded = adapters.encode([row[4] for row in keep], backend)
    except adapters.BackendUnavailable:
        logger.warning("embedding model unavailable; practices indexed lexically")
        backend = adapters.LEXICAL
        encoded = adapters.encode([row[4] for row in keep], backend)
    with transaction.atomic():
        version = _next_version(backend)
        for (kind, pk, initiative, code, _text), (indices, values) in zip(
            keep, encoded, strict=True
        ):
            SimilarItem.objects.update_or_create(
                backend=backend,
                kind=kind,
                object_id=pk,
                defaults={
                    "initiative": initiative,
                    "municipality_code": code,
                    "indices": indices,
                    "values": values,
                    "seq": version,
                    "removed": False,
                },
            )
        _remove(drop)
    return {"backend": backend, "stored": len(keep), "removed": len(drop)}


def _next_version(backend: str) -> int:
    """Raise the version of ``backend``'s index (the row stays locked until the commit,
    so versions follow the order of the commits) and return it."""
    SimilarIndex.objects.get_or_create(backend=backend)
    state = SimilarIndex.objects.select_for_update().get(backend=backend)
    state.version += 1
    state.save(update_fields=["version"])
    return state.version


def _remove(keys: list[tuple]) -> None:
    """Keep the rows of ``keys`` as removed (without vectors), in every backend."""
    if not keys:
        return
    match = Q()
    for kind, pk in keys:
        match |= Q(kind=kind, object_id=pk)
    gone = SimilarItem.objects.filter(match, removed=False)
    for backend in sorted(set(gone.values_list("backend", flat=True))):
        version = _next_version(backend)
        gone.filter(backend=backend).update(removed=True, indices=b"", values=b"", seq=version)


def rebuild(*, backend: str | None = None, batch: int = 500) -> dict:
    """Index every public initiative and published practice (demo, command)."""
    initiative_ids = list(Initiative.objects.public().values_list("pk", flat=True))
    practice_ids = list(Practice.objects.published().values_list("pk", flat=True))
    stored = 0
    for start in range(0, max(len(initiative_ids), len(practice_ids)), batch):
        result = index(
            initiative_ids[start : start + batch],
            practice_ids[start : start + batch],
            backend=backend,
        )
        stored += result["stored"]
    return {"stored": stored}


@dataclass
class Similar:
    kind: str
    name: str
    pitch: str
    municipality_code: str
    municipality: str
    path: str
    cosine: float
    same_municipality: bool


def like_mine(initiative: Initiative, *, k: int = LIKE_MINE) -> list[Similar]:
    """The initiatives and published practices most like ``initiative``, across the
    municipalities of the install; one per initiative (its practice when it has one),
    never the initiative itself. Four queries, whatever the size of the index."""
    order = [adapters.similar_backend()]
    order += [b for b in (adapters.EMBEDDINGS, adapters.LEXICAL) if b not in order]
    key = (ItemKind.INITIATIVE, initiative.pk)
    loaded = None
    for backend in order:
        loaded = adapters.neighbours(backend)
        if key in loaded.neighbours:
            break
        loaded = None
    if loaded is None:
        return []
    meta = loaded.meta
    here = meta[key][1]
    found = loaded.neighbours.like(
        key, k * OTHER_DEPTH, skip=lambda other: meta[other][0] == initiative.pk
    )
    # One row per initiative: its practice when that is among the found rows.
    per_initiative: dict[int, tuple] = {}
    for other, cosine in found:
        owner = meta[other][0]
        if owner not in per_initiative:
            per_initiative[owner] = (other, cosine)
        elif other[0] == ItemKind.PRACTICE:
            per_initiative[owner] = (other, per_initiative[owner][1])
    ranked = list(per_initiative.values())
    chosen = ranked[:k]
    # The most similar of other municipalities too, also when this one has many alike.
    others = sum(1 for o, _c in chosen if meta[o][1] != here)
    for row in ranked[k:]:
        if others >= OTHER_MUNICIPALITIES:
            break
        if meta[row[0]][1] != here:
            chosen.append(row)
            others += 1
    initiative_ids = [o[1] for o, _c in chosen if o[0] == ItemKind.INITIATIVE]
    practice_ids = [o[1] for o, _c in chosen if o[0] == ItemKind.PRACTICE]
    initiatives = {
        i.pk: i
        for i in Initiative.objects.public()
        .filter(pk__in=initiative_ids)
        .only("pk", "name", "slug", "pitch")
    }
    practices = {
        p.pk: p
        for p in Practice.objects.published()
        .filter(pk__in=practice_ids)
        .select_related("initiative")
        .only("pk", "published_content", "initiative__pitch", "initiative__name")
    }
    codes = {meta[o][1] for o, _c in chosen}
    names = dict(
        Area.objects.filter(level=AreaLevel.MUNICIPALITY, code__in=codes)
        .order_by("code", "-year")
        .values_list("code", "name")
    )
    out = []
    for other, cosine in chosen:
        code = meta[other][1]
        if other[0] == ItemKind.INITIATIVE:
            row = initiatives.get(other[1])
            if row is None:
                continue
            name, pitch, path = row.name, row.pitch, row.get_absolute_url()
        else:
            row = practices.get(other[1])
            if row is None:
                continue
            name = row.published_content.get("title") or row.initiative.name
            pitch, path = row.initiative.pitch, row.get_absolute_url()
        out.append(
            Similar(
                kind=other[0],
                name=name,
                pitch=pitch,
                municipality_code=code,
                municipality=names.get(code, ""),
                path=path,
                cosine=cosine,
                same_municipality=code == here,
            )
        )
    return out
