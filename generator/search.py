"""Site search: synonym groups as content, applied to the search index when the site is built.

Material's search (lunr in the browser) matches words as they are written, so a reader typing
"labor contract", the official text's spelling, would not find our pages that write "labour".
Each synonym group (``content/synonyms.yaml``) names words that mean the same; after the theme
writes ``search/search_index.json``, every section that contains one word of a group gets the
group's other words appended, in hidden elements (the theme shows a result's title and text as
HTML), so any of them finds it. The official text is never changed: only the index is. Pure
functions over the index's JSON; nothing here imports MkDocs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from .loading import CorpusDraft, Loading
from .model import SynonymGroup
from .yamlsource import Source

TAG = re.compile(r"<[^>]*>")
WORD = re.compile(r"[a-z0-9]+")


def load_synonyms(source: Source, draft: CorpusDraft, loading: Loading) -> None:
    for index, words in enumerate(source.data["synonyms"]):
        for position, word in enumerate(words):
            # A word in two groups would make the groups one; refused like a duplicate id.
            loading.define(source, ("synonyms", index, position), f"synonym:{word}")
        draft.synonyms[words[0]] = SynonymGroup(tuple(words))


def words_of(html: str) -> set[str]:
    """The lower-case words of a piece of the index's text (tags removed)."""
    return set(WORD.findall(TAG.sub(" ", html).lower()))


def missing_variants(text: str, groups: Iterable[SynonymGroup]) -> list[str]:
    """The words of every group that ``text`` uses one of, but not written in it, in group order."""
    present = words_of(text)
    return [word for group in groups if present & set(group.words) for word in group.words if word not in present]


def expand_index(index: dict, groups: Iterable[SynonymGroup]) -> int:
    """Give each entry the variants it lacks, hidden where the theme shows the result: those of its
    title's words in its title (a title match weighs most, so "labor contract" ranks the case titled
    "labour contracts" above one titled "contractor"), and those of its text's words after its
    text. Returns how many entries changed."""
    groups = tuple(groups)
    changed = 0
    for entry in index.get("docs", []):
        title, text = entry.get("title", ""), entry.get("text", "")
        in_title = missing_variants(title, groups)
        in_text = [word for word in missing_variants(f"{title} {text}", groups) if word not in in_title]
        if in_title:
            entry["title"] = f"{title}<span hidden> {' '.join(in_title)}</span>"
        if in_text:
            entry["text"] = f"{text}<p hidden>{' '.join(in_text)}</p>"
        changed += bool(in_title or in_text)
    return changed


def apply_synonyms(index_file: Path, synonyms: Mapping[str, SynonymGroup]) -> int:
    """Rewrite the theme's search index with the synonyms applied (no file: no search, nothing to do)."""
    if not synonyms or not index_file.is_file():
        return 0
    index = json.loads(index_file.read_text(encoding="utf-8"))
    changed = expand_index(index, synonyms.values())
    index_file.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return changed
