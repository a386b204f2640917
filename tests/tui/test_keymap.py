"""Key overrides checked against every binding of the counter (counterdesk/keymap.py):
ids found by discovery, key names, keys the entries and terminals keep, and clashes where
both keys work, with the later of two clashing overrides refused."""

from __future__ import annotations

from counterdesk import i18n
from counterdesk.keymap import bindings_by_id, check_keymap, key_names, key_sections


def english(keymap: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    try:
        i18n.use("en")
        return check_keymap(keymap)
    finally:
        i18n.use("zh")


def test_every_binding_is_found_once_with_its_place() -> None:
    found = bindings_by_id()
    for binding_id in ("app.help", "app.settings", "queue.new", "intake.accept",
                       "checklist.toggle", "search.next", "settings.save", "help.close"):  # fmt: skip
        assert binding_id in found
    ids = [b.id for s in key_sections() for b in s.bindings]
    assert len(ids) == len(set(ids))
    assert found["queue.open"][1].owner.__name__ == "QueueScreen"  # the filter's keys
    assert found["decision.receive"][1].owner.__name__ == "DecisionModal"
    assert found["app.help"][1].kind == "app"


def test_every_place_with_keys_has_a_title() -> None:
    untitled = [s.owner.__name__ for s in key_sections() if s.title == s.owner.__name__]
    assert untitled == []


def test_good_overrides_are_kept_normalised() -> None:
    accepted, refused = english(
        {
            "intake.accept": "F12",
            "queue.new": "ctrl+n",
            "checklist.toggle": "t",
            "help.close": "escape, f12",
        }
    )
    assert refused == {}
    assert accepted == {
        "intake.accept": "f12",
        "queue.new": "ctrl+n",
        "checklist.toggle": "t",
        "help.close": "escape,f12",
    }


def test_two_keys_may_swap() -> None:
    accepted, refused = english({"intake.accept": "f2", "intake.item": "f7"})
    assert refused == {} and accepted == {"intake.accept": "f2", "intake.item": "f7"}


def test_each_mistake_is_refused_with_its_reason() -> None:
    _accepted, refused = english(
        {
            "queue.nwe": "f9",
            "intake.accept": "f2",
            "queue.refresh": "ctrl+l",
            "queue.new": "n",
            "intake.defer": "ctrl+j",
            "intake.notice": "tab",
            "intake.refuse": "ctrl+a",
            "intake.receive": "hyperspace",
            "intake.sharing": "ctrl+p",
        }
    )
    assert refused["queue.nwe"].startswith("no key has the id queue.nwe")
    assert refused["intake.accept"] == "f2 is already “Item” (intake.item) in Intake"
    assert refused["queue.refresh"] == "ctrl+l is already “Lock” (app.lock) in Everywhere"
    assert "typed into the entries" in refused["queue.new"]
    assert "terminals send it" in refused["intake.defer"]
    assert "moves between entries" in refused["intake.notice"]
    assert "edits the text" in refused["intake.refuse"]
    assert "not a key name" in refused["intake.receive"]
    assert "command palette" in refused["intake.sharing"]


def test_of_two_overrides_on_one_key_the_later_is_refused() -> None:
    accepted, refused = english({"intake.accept": "f12", "intake.defer": "f12"})
    assert accepted == {"intake.accept": "f12"}
    assert refused == {"intake.defer": "f12 is already “Accept” (intake.accept) in Intake"}


def test_keys_of_different_screens_do_not_clash() -> None:
    accepted, refused = english({"queue.new": "f7"})  # F7 accepts on the intake screen
    assert refused == {} and accepted == {"queue.new": "f7"}


def test_a_widget_key_clashes_with_its_screen_only() -> None:
    _accepted, refused = english({"checklist.toggle": "f7"})
    assert "intake.accept" in refused["checklist.toggle"]
    assert english({"search.close": "f3"})[1]["search.close"].endswith("in Intake")


def test_key_names_in_textual_spelling() -> None:
    assert key_names("F12, Ctrl+N, ?") == ["f12", "ctrl+n", "question_mark"]
