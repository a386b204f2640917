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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from counterdesk.domain.catalogue.model import Bundle, Catalogue, Item

SEPARATOR = "\x00"
FUZZY_WHEN_FEWER_THAN = 3
FUZZY_CUTOFF = 72.0
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
    """One kind of name for every entry, joined, with offsets to map a match to its entry."""

    def __init__(self, values: Sequence[str]) -> None:
        self.values = list(values)
        self.starts: list[int] = []
        position = 0
        for value in self.values:
            self.starts.append(position)
            position += len(value) + 1
        self.text = SEPARATOR.join(self.values)

    def find(self, needle: str) -> dict[int, bool]:
        """Entries containing ``needle`` -> whether they start with it."""
        found: dict[int, bool] = {}
        if not needle:
            return found
        at = self.text.find(needle)
        while at != -1:
            index = bisect_right(self.starts, at) - 1
            found.setdefault(index, at == self.starts[index])
            # Skip to the next entry: one entry counts once.
            next_start = self.starts[index + 1] if index + 1 < len(self.starts) else len(self.text)
            at = self.text.find(needle, next_start)
        return found


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

    @classmethod
    def build(cls, catalogue: Catalogue, table: PinyinTable | None = None) -> SearchIndex:
        targets: list[Item | Bundle] = [*catalogue.items.values(), *catalogue.bundles.values()]
        names = [t.name for t in targets]
        if table is None or any(n not in table for n in names):
            table = {
                **(table or {}),
                **pinyin_table(n for n in names if not table or n not in table),
            }
        return cls(
            codes=[t.code for t in targets],
            names=names,
            names_en=[t.name_en for t in targets],
            bundles=[t.code in catalogue.bundles for t in targets],
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
        for index, at_start in self._code.find(compact).items():
            exact = self._code.values[index] == compact
            offer(index, 1000 if exact else 900 if at_start else 500, "code")
        if _CJK.search(text):
            for index, at_start in self._name.find(compact).items():
                offer(index, 800 + (50 if at_start else 0) - len(self.names[index]) / 100, "name")
        else:
            for haystack, kind in ((self._initials, "initials"), (self._pinyin, "pinyin")):
                for index, at_start in haystack.find(compact).items():
                    closeness = len(compact) / max(1, len(haystack.values[index]))
                    offer(index, 650 + (50 if at_start else 0) + 40 * closeness, kind)
            self._english_matches(text, offer)
        if len(scores) < FUZZY_WHEN_FEWER_THAN and not _CJK.search(text):
            self._corrected_english_matches(text, offer)
        if len(scores) < FUZZY_WHEN_FEWER_THAN:
            self._fuzzy(compact if _CJK.search(text) else text, offer)
        ranked = sorted(
            scores.items(), key=lambda kv: (-kv[1][0], len(self.names[kv[0]]), self.codes[kv[0]])
        )
        return [
            Hit(self.codes[i], self.names[i], self.is_bundle[i], round(score, 2), matched)
            for i, (score, matched) in ranked[:limit]
        ]

    def _english_matches(self, text: str, offer: Offer, base: float = 600) -> None:
        words = [w for w in _NOT_WORD.split(text) if w]
        if not words:
            return
        longest = max(words, key=len)
        # Words match at word starts (" fund" finds "funds" but not "refund").
        for index in self._english.find(" " + longest):
            name = self._english.values[index]
            if all(" " + w in name for w in words):
                offer(index, base + 60 * len(" ".join(words)) / len(name), "english")

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
            choices: list[tuple[_Haystack, float]] = [(self._name, 0.0)]
        else:
            compact = _COMPACT.sub("", text)
            choices = [(self._english, 0.0), (self._pinyin, 0.0)]
            text_for = {id(self._english): text, id(self._pinyin): compact}
        for haystack, _ in choices:
            query = text if _CJK.search(text) else text_for[id(haystack)]
            matches = process.extract(
                query,
                haystack.values,
                scorer=fuzz.WRatio,
                limit=5,
                score_cutoff=FUZZY_CUTOFF,
            )
            for _value, score, index in matches:
                offer(index, 300 + score, "fuzzy")
