"""Finding an item or bundle the way an officer types: Chinese, pinyin initials (``yyzz``),
full pinyin, the item code, English words, or any of these with a typo.

Matching runs over one long string per kind of name (names joined by a separator), so a
substring search is a handful of ``str.find`` calls in C rather than a Python loop over
ten thousand items; fuzzy matching (rapidfuzz) runs only when exact matching finds fewer
than three results. Pinyin is computed once per catalogue and can be cached with it
(``pinyin_table``/``SearchIndex.build(table=...)``), so a warm start needs no pypinyin.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain

from rapidfuzz import fuzz, process

from counterdesk.domain.catalogue.compact import labels_of
from counterdesk.domain.catalogue.model import Catalogue

SEPARATOR = "\x00"
FUZZY_WHEN_FEWER_THAN = 3
FUZZY_CUTOFF = 72.0
FUZZY_CANDIDATES = 200
_CJK = re.compile(r"[\u3400-\u9fff]")
_NOT_WORD = re.compile(r"[^0-9a-z]+")
_COMPACT = re.compile(r"[\s'’\-_·]+")

# name -> (full pinyin, initials), both lower-case ASCII without separators
PinyinTable = dict[str, tuple[str, str]]


@dataclass(frozen=True)
class Hit:
    code: str
    name: str
    is_bundle: bool
    score: float
    matched: str  # which kind of name matched: code, name, initials, pinyin, english, fuzzy


def pinyin_table(names: Iterable[str]) -> PinyinTable:
    """Full pinyin and initials for each name (imports pypinyin: slow, call once)."""
    from pypinyin import Style, lazy_pinyin

    table: PinyinTable = {}
    for name in names:
        if name in table:
            continue
        # Each non-Chinese character stays a syllable of its own, so "KTV" gives "ktv".
        # (pypinyin accepts a list from `errors`, though its type hints say str.)
        syllables = lazy_pinyin(name, style=Style.NORMAL, errors=_characters)  # type: ignore[arg-type]
        words = [_NOT_WORD.sub("", s.lower()) for s in syllables]
        words = [w for w in words if w]
        table[name] = ("".join(words), "".join(w[0] for w in words))
    return table


def _characters(chunk: str) -> list[str]:
    return list(chunk)


Offer = Callable[[int, float, str], None]


class _Haystack:
    """One kind of name for every entry, joined shortest first, so that the first matches
    found are the closest ones and a search can stop after ``limit`` of them however many
    entries contain a common word such as 许可."""

    def __init__(self, values: Sequence[str]) -> None:
        self.values = list(values)
        self.order = sorted(range(len(self.values)), key=lambda i: (len(self.values[i]), i))
        self.starts: list[int] = []
        position = 1
        for index in self.order:
            self.starts.append(position)
            position += len(self.values[index]) + 1
        # Every value is preceded by the separator, so SEPARATOR + needle finds prefixes.
        self.text = SEPARATOR + SEPARATOR.join(self.values[i] for i in self.order)

    def find(self, needle: str, limit: int) -> list[tuple[int, bool]]:
        """Up to ``limit`` entries starting with ``needle`` and up to ``limit`` others
        containing it, shortest first, as (entry index, starts with it)."""
        if not needle:
            return []
        found = self._scan(SEPARATOR + needle, limit, offset=1)
        prefixed = {index for index, _ in found}
        others = [
            hit for hit in self._scan(needle, limit + len(prefixed)) if hit[0] not in prefixed
        ]
        return found + others[:limit]

    def _scan(self, needle: str, limit: int, offset: int = 0) -> list[tuple[int, bool]]:
        hits: list[tuple[int, bool]] = []
        at = self.text.find(needle)
        while at != -1 and len(hits) < limit:
            slot = bisect_right(self.starts, at + offset) - 1
            hits.append((self.order[slot], at + offset == self.starts[slot]))
            # Skip to the next value: one entry counts once.
            next_start = (
                self.starts[slot + 1] - 1 if slot + 1 < len(self.starts) else len(self.text)
            )
            at = self.text.find(needle, max(next_start, at + 1))
        return hits


class _GramIndex:
    """Which entries share n-grams with a query: narrows fuzzy matching from every entry to
    a few hundred candidates. Grams found in more than one entry in twenty say little
    and are left out, which also keeps counting cheap."""

    def __init__(self, values: Sequence[str], n: int, max_share: float = 0.05) -> None:
        self.n = n
        postings: dict[str, list[int]] = {}
        for index, value in enumerate(values):
            for gram in {value[j : j + n] for j in range(len(value) - n + 1)}:
                postings.setdefault(gram, []).append(index)
        limit = max(50, int(len(values) * max_share))
        self.postings = {gram: ids for gram, ids in postings.items() if len(ids) <= limit}

    def candidates(self, query: str, limit: int = FUZZY_CANDIDATES) -> list[int]:
        grams = {query[j : j + self.n] for j in range(len(query) - self.n + 1)}
        lists = [self.postings[gram] for gram in grams if gram in self.postings]
        counts = Counter(chain.from_iterable(lists))
        return [index for index, _ in counts.most_common(limit)]


class SearchIndex:
    def __init__(
        self,
        codes: list[str],
        names: list[str],
        names_en: list[str],
        bundles: list[bool],
        table: PinyinTable,
    ) -> None:
        self.codes = codes
        self.names = names
        self.is_bundle = bundles
        self.pinyin = table  # kept so a caller can cache it with the catalogue
        # Codes without dashes, so "scjg-sp-001", "SCJGSP001" and "SCJG SP 001" all match.
        self._code = _Haystack([_COMPACT.sub("", c.lower()) for c in codes])
        self._name = _Haystack(names)
        self._english = _Haystack([" " + _NOT_WORD.sub(" ", n.lower()).strip() for n in names_en])
        self._pinyin = _Haystack([table[n][0] for n in names])
        self._initials = _Haystack([table[n][1] for n in names])
        self._english_words = sorted({w for name in self._english.values for w in name.split()})
        self._grams: dict[str, _GramIndex] = {}  # built on the first fuzzy search

    @classmethod
    def build(cls, catalogue: Catalogue, table: PinyinTable | None = None) -> SearchIndex:
        rows = labels_of(catalogue)
        names = [name for _, name, _, _ in rows]
        missing = [n for n in names if table is None or n not in table]
        if missing:
            table = {**(table or {}), **pinyin_table(missing)}
        assert table is not None
        return cls(
            codes=[code for code, _, _, _ in rows],
            names=names,
            names_en=[name_en for _, _, name_en, _ in rows],
            bundles=[is_bundle for _, _, _, is_bundle in rows],
            table=table,
        )

    def search(self, query: str, limit: int = 10) -> list[Hit]:
        text = query.strip().lower()
        if not text:
            return []
        scores: dict[int, tuple[float, str]] = {}

        def offer(index: int, score: float, matched: str) -> None:
            if score > scores.get(index, (-1.0, ""))[0]:
                scores[index] = (score, matched)

        compact = _COMPACT.sub("", text)
        reach = max(limit, 10)
        for index, at_start in self._code.find(compact, reach):
            exact = self._code.values[index] == compact
            offer(index, 1000 if exact else 900 if at_start else 500, "code")
        if _CJK.search(text):
            for index, at_start in self._name.find(compact, reach):
                offer(index, 800 + (50 if at_start else 0) - len(self.names[index]) / 100, "name")
        else:
            for haystack, kind in ((self._initials, "initials"), (self._pinyin, "pinyin")):
                for index, at_start in haystack.find(compact, reach):
                    closeness = len(compact) / max(1, len(haystack.values[index]))
                    offer(index, 650 + (50 if at_start else 0) + 40 * closeness, kind)
            self._english_matches(text, offer, reach=reach)
        exact_code = any(score >= 1000 for score, _ in scores.values())
        if len(scores) < FUZZY_WHEN_FEWER_THAN and not exact_code and not _CJK.search(text):
            self._corrected_english_matches(text, offer)
        if len(scores) < FUZZY_WHEN_FEWER_THAN and not exact_code:
            self._fuzzy(compact if _CJK.search(text) else text, offer)
        ranked = sorted(
            scores.items(), key=lambda kv: (-kv[1][0], len(self.names[kv[0]]), self.codes[kv[0]])
        )
        return [
            Hit(self.codes[i], self.names[i], self.is_bundle[i], round(score, 2), matched)
            for i, (score, matched) in ranked[:limit]
        ]

    def _english_matches(self, text: str, offer: Offer, base: float = 600, reach: int = 10) -> None:
        words = [w for w in _NOT_WORD.split(text) if w]
        if not words:
            return
        longest = max(words, key=len)
        # Words match at word starts (" fund" finds "funds" but not "refund").
        accepted = 0
        # Candidates for the longest word, checked for the others; widen until enough.
        for index, _ in self._english.find(" " + longest, reach * 20):
            name = self._english.values[index]
            if all(" " + w in name for w in words):
                offer(index, base + 60 * len(" ".join(words)) / len(name), "english")
                accepted += 1
                if accepted >= reach:
                    break

    def _corrected_english_matches(self, text: str, offer: Offer) -> None:
        """Mend each misspelt English word to the nearest word the catalogue uses, then
        match again ("provdent fund" -> "provident fund")."""
        words = [w for w in _NOT_WORD.split(text) if w]
        mended = []
        for word in words:
            at = bisect_left(self._english_words, word)
            if at < len(self._english_words) and self._english_words[at].startswith(word):
                mended.append(word)
                continue
            best = process.extractOne(word, self._english_words, scorer=fuzz.ratio, score_cutoff=70)
            mended.append(best[0] if best else word)
        if mended != words:
            self._english_matches(" ".join(mended), offer, base=450)

    def _fuzzy(self, text: str, offer: Offer) -> None:
        if _CJK.search(text):
            targets = [("name", self._name, text, 2)]
        else:
            compact = _COMPACT.sub("", text)
            targets = [("english", self._english, text, 3), ("pinyin", self._pinyin, compact, 3)]
        for kind, haystack, query, n in targets:
            grams = self._grams.get(kind)
            if grams is None:
                grams = self._grams[kind] = _GramIndex(haystack.values, n)
            candidates = grams.candidates(query)
            matches = process.extract(
                query,
                [haystack.values[i] for i in candidates],
                scorer=fuzz.WRatio,
                limit=5,
                score_cutoff=FUZZY_CUTOFF,
            )
            for _value, score, position in matches:
                offer(candidates[position], 300 + score, "fuzzy")
