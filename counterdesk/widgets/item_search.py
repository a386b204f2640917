"""Finding the item or bundle as the officer types: Chinese, pinyin initials, code, English
or a typo, best first (the domain's ``SearchIndex``). Up and Down move through the results,
Enter takes the highlighted one (the best by default), Escape closes the list."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from counterdesk.domain.catalogue.search import Hit, SearchIndex
from counterdesk.i18n import _, translate_bindings
from counterdesk.widgets.fields import TextField

RESULTS_SHOWN = 8


class SearchField(TextField):
    BINDINGS = [
        Binding("down", "results_down", "Next result", show=False, id="search.next"),
        Binding("up", "results_up", "Previous result", show=False, id="search.previous"),
        Binding("escape", "close_results", "Close the results", show=False, id="search.close"),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        translate_bindings(self)

    def action_results_down(self) -> None:
        self.parent_search.results.action_cursor_down()

    def action_results_up(self) -> None:
        self.parent_search.results.action_cursor_up()

    def action_close_results(self) -> None:
        search = self.parent_search
        if search.results.display:
            search.hide_results()
        else:
            self.screen.action_back()  # type: ignore[attr-defined]

    @property
    def parent_search(self) -> ItemSearch:
        return self.query_ancestor(ItemSearch)


class ItemSearch(Vertical):
    @dataclass
    class Chosen(Message):
        search: ItemSearch
        code: str
        name: str

        @property
        def control(self) -> ItemSearch:
            return self.search

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id)
        self.index: SearchIndex | None = None
        self.hits: list[Hit] = []
        self.searched = ""  # the text the hits are for

    def compose(self) -> ComposeResult:
        yield SearchField(
            placeholder=_("Item: Chinese, pinyin initials, code or English…"), id="search"
        )
        yield OptionList(id="results")

    def on_mount(self) -> None:
        self.results.display = False

    @property
    def input(self) -> SearchField:
        return self.query_one(SearchField)

    @property
    def results(self) -> OptionList:
        return self.query_one(OptionList)

    def use_index(self, index: SearchIndex) -> None:
        self.index = index
        if self.input.value:
            self.search(self.input.value)

    @on(Input.Changed, "#search")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self.search(event.value)

    def search(self, query: str) -> None:
        if self.index is None:
            return
        self.searched = query
        self.hits = self.index.search(query, limit=RESULTS_SHOWN) if query.strip() else []
        results = self.results
        results.set_options([_option(hit) for hit in self.hits])
        if self.hits:
            results.highlighted = 0
            results.display = True
        else:
            results.display = bool(query.strip())
            if query.strip():
                results.set_options([Option(Text(_("Nothing found"), style="dim"), disabled=True)])

    def hide_results(self) -> None:
        self.results.display = False

    @on(Input.Submitted, "#search")
    def _enter(self, event: Input.Submitted) -> None:
        event.stop()
        self.choose_highlighted()

    @on(OptionList.OptionSelected, "#results")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.choose_highlighted()

    def catch_up(self) -> None:
        """Search for what the field holds now if its Changed message is still queued
        (Enter typed right after the last letter)."""
        if self.input.value != self.searched:
            self.search(self.input.value)

    def choose_highlighted(self) -> None:
        self.catch_up()
        index = self.results.highlighted
        if not self.hits or index is None or index >= len(self.hits):
            return
        hit = self.hits[index]
        self.hide_results()
        self.input.value = ""
        self.hits = []
        self.post_message(self.Chosen(self, hit.code, hit.name))


def _option(hit: Hit) -> Option:
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(hit.code, style="bold")
    text.append("  ")
    text.append(hit.name)
    if hit.is_bundle:
        text.append("  " + _("[bundle]"), style="italic")
    return Option(text, id=hit.code)
