"""Every key of the counter, found by binding id and grouped by where it works, and an
officer's keymap (``{binding id: "keys"}``) checked against them.

The bindings are discovered, not listed: every class with ``BINDINGS`` in the App and in
the ``screens`` and ``widgets`` packages, so a new screen's keys show in the help screen
and can be remapped without touching this module (only its title is written here).
Textual applies a keymap with ``App.set_keymap``; what it does not do is refuse a mistake,
so ``check_keymap`` says, in the officer's words, why an override cannot be used: an id no
key has, a key name Textual does not know, a key the entries or the terminal keep for
themselves, or a key another action already has where both work.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from counterdesk.i18n import _

if TYPE_CHECKING:
    from textual.app import App
    from textual.binding import Binding

MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
NAMED_KEYS = frozenset(
    "escape enter tab space backspace delete insert home end pageup pagedown up down left "
    "right".split()
)
# Terminals send these for Enter, Tab, Backspace and newline: they cannot be told apart.
AMBIGUOUS = frozenset({"ctrl+m", "ctrl+i", "ctrl+h", "ctrl+j"})
# Which screens each widget with keys of its own lives on (a widget not listed here is
# checked against every screen).
WIDGET_SCREENS = {
    "SearchField": ("IntakeScreen",),
    "ChecklistTable": ("IntakeScreen",),
}


def _titles() -> dict[str, str]:
    """The title of each place with keys, by class name, in the officer's language."""
    return {
        "CounterApp": _("Everywhere"),
        "QueueScreen": _("Queue"),
        "IntakeScreen": _("Intake"),
        "SearchField": _("Item search"),
        "ChecklistTable": _("Checklist (when it has the cursor)"),
        "DecisionModal": _("Decision dialogs"),
        "ConfirmationModal": _("Questions"),
        "CaseScreen": _("Case"),
        "LockScreen": _("Locked screen"),
        "LoginScreen": _("Sign in"),
        "SetupScreen": _("First run"),
        "SettingsScreen": _("Settings"),
        "HelpScreen": _("Help"),
        "FindCaseScreen": _("Find a case"),
        "SupplementScreen": _("Supplement: the applicant brought papers"),
        "IssuanceScreen": _("Hand over the result"),
        "ReasonModal": _("Reason dialogs"),
        "PapersModal": _("Papers to print again"),
        "ScannerScreen": _("Choose the scanner"),
        "ImportFolderModal": _("Import files"),
        "PreviewScreen": _("Scanned pages"),
        "TrainingHomeScreen": _("Training: practice cases"),
        "BriefScreen": _("Training: the brief"),
        "DebriefScreen": _("Training: the debrief"),
        "DeskModal": _("Training: the applicant's desk"),
    }


@dataclass(frozen=True)
class KeySection:
    """The keys of one place: the App (everywhere), a screen with the widgets of its own
    module, or a widget that several screens may hold."""

    owner: type  # the class that names the section
    classes: tuple[type, ...]
    bindings: tuple[Binding, ...]
    kind: str  # "app", "screen" or "widget"

    @property
    def title(self) -> str:
        """A screen may name itself (``help_title()``, returning ``_("...")``)."""
        own = getattr(self.owner, "help_title", None)
        if callable(own):
            return str(own())
        return _titles().get(self.owner.__name__, self.owner.__name__)

    def shows_on(self, screen: object) -> bool:
        return any(isinstance(screen, cls) for cls in self.classes)


def _own_bindings(cls: type) -> list[Binding]:
    from textual.binding import Binding

    return [b for b in cls.__dict__.get("BINDINGS", []) if isinstance(b, Binding) and b.id]


def _modules() -> list[object]:
    import pkgutil

    import counterdesk.screens
    import counterdesk.widgets

    found: list[object] = [importlib.import_module("counterdesk.app")]
    for package in (counterdesk.screens, counterdesk.widgets):
        prefix = f"{package.__name__}."
        names = sorted(info.name for info in pkgutil.walk_packages(package.__path__, prefix))
        found += [importlib.import_module(name) for name in names]
    return found


def key_sections() -> list[KeySection]:
    """Every place with keys: the App first, then screens, then shared widgets."""
    from textual.app import App
    from textual.dom import DOMNode
    from textual.screen import Screen

    sections: list[KeySection] = []
    for module in _modules():
        name = getattr(module, "__name__", "")
        classes = [
            obj
            for obj in vars(module).values()
            if isinstance(obj, type)
            and issubclass(obj, DOMNode)
            and obj.__module__ == name
            and _own_bindings(obj)
        ]
        owners: dict[type, list[type]] = {}
        screens = [cls for cls in classes if issubclass(cls, Screen | App)]
        for cls in classes:
            # A subclass joins its base's section; a widget of a screen's module joins it.
            base = next((s for s in screens if s is not cls and issubclass(cls, s)), None)
            if base is None and cls not in screens and screens and ".screens." in name:
                base = screens[0]
            owners.setdefault(base or cls, []).append(cls)
        for owner, members in owners.items():
            kind = (
                "app"
                if issubclass(owner, App)
                else "screen"
                if issubclass(owner, Screen)
                else "widget"
            )
            bindings = tuple(b for cls in members for b in _own_bindings(cls))
            sections.append(KeySection(owner, tuple(members), bindings, kind))
    order = {"app": 0, "screen": 1, "widget": 2}
    return sorted(sections, key=lambda s: order[s.kind])


def bindings_by_id() -> dict[str, tuple[Binding, KeySection]]:
    return {b.id: (b, section) for section in key_sections() for b in section.bindings if b.id}


# Checking


def key_names(keys: str) -> list[str]:
    """``"escape, F1"`` -> ``["escape", "f1"]`` in Textual's spelling (``?`` is
    ``question_mark``)."""
    from textual.keys import _character_to_key

    names = []
    for key in keys.split(","):
        key = key.strip()
        if len(key) == 1:
            names.append(_character_to_key(key))
            continue
        *modifiers, last = key.split("+") if key else [""]
        if len(last) == 1:  # ctrl+N is ctrl+n; alone, N is the capital (shift+n)
            last = _character_to_key(last.lower() if modifiers else last)
        else:
            last = last.lower()
        names.append("+".join([*(m.lower() for m in modifiers), last]))
    return names


def key_name_problem(key: str) -> str:
    from textual.keys import key_to_character

    *modifiers, last = key.split("+")
    if not last or any(m not in MODIFIERS for m in modifiers):
        return _("{key} is not a key name: write e.g. f12, ctrl+n or shift+f5").format(key=key)
    is_function = last.startswith("f") and last[1:].isdigit() and 1 <= int(last[1:]) <= 24
    if not (is_function or last in NAMED_KEYS or key_to_character(last) is not None):
        return _("{key} is not a key name: write e.g. f12, ctrl+n or shift+f5").format(key=key)
    return ""


def _printable(key: str) -> bool:
    from textual.keys import key_to_character

    if key.startswith("shift+") and len(key) == 7:
        return True
    character = key_to_character(key)
    return character is not None and character.isprintable()


def reserved_problem(key: str) -> str:
    """Why the entries, Textual or the terminal keep ``key`` for themselves ("" if not)."""
    from textual.widgets import Input

    if key in AMBIGUOUS:
        return _("{key}: terminals send it for Enter, Tab or Backspace").format(key=key)
    if key in ("tab", "shift+tab"):
        return _("{key} moves between entries").format(key=key)
    if key == "ctrl+p":
        return _("{key} opens the command palette").format(key=key)
    if key == "ctrl+c":
        return _("{key} copies the selected text").format(key=key)
    for binding in Input.BINDINGS:
        if key in key_names(getattr(binding, "key", "")):
            return _("{key} edits the text in the entries").format(key=key)
    return ""


def _effective(
    everything: dict[str, tuple[Binding, KeySection]], overrides: Mapping[str, list[str]]
) -> list[tuple[str, str, KeySection]]:
    """(key, binding id, section) for every key of every binding with the overrides."""
    pairs = []
    for binding_id, (binding, section) in everything.items():
        for key in overrides.get(binding_id, key_names(binding.key)):
            pairs.append((key, binding_id, section))
    return pairs


def _meet(one: KeySection, other: KeySection) -> bool:
    """Whether keys of the two places can be active at the same time."""
    if one is other or "app" in (one.kind, other.kind):
        return True
    for widget, screen in ((one, other), (other, one)):
        if widget.kind == "widget" and screen.kind == "screen":
            homes = WIDGET_SCREENS.get(widget.owner.__name__)
            return homes is None or any(c.__name__ in homes for c in screen.classes)
    return False


def _clash(
    binding_id: str,
    keys: list[str],
    everything: dict[str, tuple[Binding, KeySection]],
    overrides: Mapping[str, list[str]],
) -> tuple[str, str]:
    """(the reason, the other binding's id) when one of ``keys`` is taken where both work."""
    section = everything[binding_id][1]
    for key, other_id, other_section in _effective(everything, overrides):
        if other_id == binding_id or key not in keys or not _meet(section, other_section):
            continue
        other = everything[other_id][0]
        reason = _("{key} is already “{action}” ({id}) in {place}").format(
            key=key,
            action=_(other.description) or other_id,
            id=other_id,
            place=other_section.title,
        )
        return reason, other_id
    return "", ""


def check_keymap(keymap: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """(the overrides that can be used, normalised; binding id -> why not), in the
    officer's language. An override refused for a clash is the later one of the two."""
    everything = bindings_by_id()
    refused: dict[str, str] = {}
    candidates: dict[str, list[str]] = {}
    for binding_id, keys in keymap.items():
        if binding_id not in everything:
            refused[binding_id] = _("no key has the id {id} (F1 shows every id)").format(
                id=binding_id
            )
            continue
        names = [name for name in key_names(keys) if name]
        default_printable = all(_printable(k) for k in key_names(everything[binding_id][0].key))
        problem = "" if names else _("give a key, e.g. f12")
        for name in names:
            problem = problem or key_name_problem(name) or reserved_problem(name)
            if not problem and _printable(name) and not default_printable:
                problem = _(
                    "{key} is typed into the entries: choose a function key or Ctrl+letter"
                ).format(key=name)
        if problem:
            refused[binding_id] = problem
        else:
            candidates[binding_id] = names
    order = list(keymap)
    changed = True
    while changed:  # refusing one override gives its old key back, which may clash again
        changed = False
        for binding_id in list(candidates):
            reason, other = _clash(binding_id, candidates[binding_id], everything, candidates)
            if not reason:
                continue
            if other in candidates and order.index(other) > order.index(binding_id):
                continue  # the later of the two is refused when its turn comes
            refused[binding_id] = reason
            del candidates[binding_id]
            changed = True
            break
    return {bid: ",".join(keys) for bid, keys in candidates.items()}, refused


def shown_keys(app: App[object], binding: Binding) -> str:
    """The key(s) the officer really presses for ``binding``, the App's keymap applied."""
    override = app._keymap.get(binding.id or "")
    if override:
        keys = key_names(override)
        return " / ".join(app.get_key_display(binding.with_key(k, key_display=None)) for k in keys)
    if binding.key_display:
        return binding.key_display
    keys = [k.strip() for k in binding.key.split(",")]
    return " / ".join(app.get_key_display(binding.with_key(k)) for k in keys)
