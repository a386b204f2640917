"""Settings put to work on the running App, at start and after the settings screen saved:
the theme and the keymap at once, the language by making the screens anew in it.

A screen's texts are composed once, in the language of the moment, so a new language
needs new screens: the current mode is made anew from its first screen (the queue), after
the open intake's draft is saved, so nothing typed is lost (the queue offers to resume
it). The App's own key descriptions are translated again from their English.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.app import UnknownModeError
from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

from counterdesk import i18n
from counterdesk.i18n import _
from counterdesk.settings import Settings
from counterdesk.themes import DEFAULT_THEME, register_themes

if TYPE_CHECKING:
    from counterdesk.app import CounterApp

SHOWN_NOW = ("language", "theme", "keymap")
NEXT_PAPER = ("counter_name", "printer", "progress_url")


@dataclass(frozen=True)
class SavedSettings:
    """What the settings screen saved: the settings now, which changed, and whether the
    sync engine was made anew for them."""

    settings: Settings
    changed: frozenset[str]
    sync_restarted: bool = False


def apply_at_start(app: CounterApp) -> list[str]:
    """The settings' theme and keymap on the App as it starts; what could not be used,
    said in the officer's words (the rest applies: one bad key loses no other)."""
    register_themes(app)
    problems = []
    settings = app.settings
    theme = settings.theme or DEFAULT_THEME
    if theme in app.available_themes:
        app.theme = theme
    else:
        problems.append(_("There is no theme {name}").format(name=theme))
    if settings.keymap:
        from counterdesk.keymap import check_keymap  # it reads every screen's bindings

        accepted, refused = check_keymap(settings.keymap)
        app.set_keymap(accepted)
        problems += [f"{binding_id}: {why}" for binding_id, why in refused.items()]
    return problems


def apply_saved(app: CounterApp, saved: SavedSettings) -> None:
    """Everything that applies without a restart, applied; then say what was done."""
    app.settings = saved.settings
    if "theme" in saved.changed:
        app.theme = saved.settings.theme or DEFAULT_THEME
    if "keymap" in saved.changed:
        from counterdesk.keymap import check_keymap

        app.set_keymap(check_keymap(saved.settings.keymap)[0])
    app.run_worker(_language_then_tell(app, saved), group="settings-apply", exit_on_error=False)


async def _language_then_tell(app: CounterApp, saved: SavedSettings) -> None:
    if "language" in saved.changed and saved.settings.language != app.ui_language:
        await use_language(app, saved.settings.language)
    app.notify(summary(saved), title=_("Settings saved"))


def summary(saved: SavedSettings) -> str:
    lines = []
    if saved.changed & set(SHOWN_NOW):
        lines.append(_("Language, theme and keys: shown now."))
    if saved.changed & set(NEXT_PAPER):
        lines.append(_("Counter name, printer and progress page: from the next paper."))
    if "scanner_device" in saved.changed:
        lines.append(_("Scanner: used from the next scan."))
    if saved.sync_restarted and saved.settings.standalone:
        lines.append(_("Standalone now: this counter no longer syncs."))
    elif saved.sync_restarted:
        lines.append(_("The sync engine started again with the new server settings."))
        if "server_url" in saved.changed:
            lines.append(_("Sign in again (Ctrl+L, then F2) to sync with the new server."))
    return "\n".join(lines) or _("Saved.")


async def use_language(app: CounterApp, language: str) -> None:
    """Show everything in ``language`` from now on, without a restart."""
    app.ui_language = i18n.use(language)
    retranslate_bindings(app)
    app.title = _("counterdesk")
    if app.services is not None:
        await app.run_in_thread(app.services.drafts.flush)
    mode = app.current_mode
    modes = type(app).MODES
    if mode != "start":
        await app.switch_mode("start")
    for screen in app.screen_stack:  # the start mode's screens are few and hold no work
        retranslate_bindings(screen)
        await screen.recompose()
    for name, first_screen in modes.items():
        if name == "start":
            continue
        try:
            await app.remove_mode(name)
        except UnknownModeError:  # removed by someone else (signing out makes it anew)
            pass
        app.add_mode(name, first_screen)
    if mode != "start":
        await app.switch_mode(mode)


def retranslate_bindings(node: DOMNode) -> None:
    """Translate ``node``'s key descriptions again from the English of its class."""
    english = {
        (binding.key, binding.action): binding for _key, binding in type(node)._merged_bindings
    }

    def again(binding: Binding) -> Binding:
        original = english.get((binding.key, binding.action))
        if original is None:  # added by Textual itself (the command palette's key)
            return binding
        return dataclasses.replace(
            binding,
            description=_(original.description),
            tooltip=_(original.tooltip) if original.tooltip else original.tooltip,
        )

    node._bindings = BindingsMap.from_keys(
        {
            key: [again(binding) for binding in bindings]
            for key, bindings in node._bindings.key_to_bindings.items()
        }
    )
