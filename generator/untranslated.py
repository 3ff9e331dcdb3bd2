"""Page words still in English: a language's catalog that gives the English words for most of
the page's messages has not been translated yet.

That is the catalog `statement init` writes for a language the tool has no words for, and the
one the missing-catalog message says to copy: English words to translate. A preview publishes
them, and says so; a release refuses them, as it refuses the FILL IN words, for a German page
whose contents list, dates of versions and translation notice read in English is not the
statement an editor meant to publish. A translated catalog shares a few words with English (the
Dutch one: "Site" and "Privacy statement", 2 of its 58), never most of them: hence half.
"""

from __future__ import annotations

from collections.abc import Sequence
from gettext import GNUTranslations
from pathlib import Path

from .defaults import LOCALES, TEMPLATES, folders
from .errors import StatementError, attempt, raise_all
from .i18n import catalog_path, load_catalogs, template_messages
from .model import Language
from .plan import FILE_WORDS

ENGLISH = Language("en", "en_GB", "English")


def in_build(
    root: Path, catalogs: dict[str, GNUTranslations], languages: Sequence[Language], release: bool
) -> tuple[str, ...]:
    """A release refuses page words still in English; a preview publishes them, and says so.
    `catalogs` are the languages' as the build loaded them."""
    current = {language.code for language in languages}  # a dropped one's pages are as they were
    left = english_left(root, {code: words for code, words in catalogs.items() if code in current})
    if release:
        for error in left:
            error.message += ": a release would publish them"
        raise_all(left)
    return tuple(
        f"Page words: {error.message}, in {error.where(root)}; published as a preview, and a "
        "release build refuses them."
        for error in left
    )


def in_check(root: Path, languages: Sequence[Language]) -> list[StatementError]:
    """What `statement check` lists, as it lists every FILL IN: the catalogs read here (a
    catalog that does not read is the build's error, said with the check's other findings)."""
    locales, templates = folders(root, LOCALES), folders(root, TEMPLATES)
    catalogs, _ = attempt(lambda: load_catalogs(locales, templates, languages, FILE_WORDS))
    return english_left(root, catalogs) if catalogs else []


def english_left(root: Path, catalogs: dict[str, GNUTranslations]) -> list[StatementError]:
    """A problem for each language (but English) whose catalog still gives the English words
    for at least half the page's messages. English is read as the build would read it; if it
    does not read, nothing is said (a project's own broken en catalog is said where it is used)."""
    others = sorted(code for code in catalogs if code != ENGLISH.code)
    locales, templates = folders(root, LOCALES), folders(root, TEMPLATES)
    english = catalogs.get(ENGLISH.code)
    if others and english is None:
        loaded, _ = attempt(lambda: load_catalogs(locales, templates, [ENGLISH], FILE_WORDS))
        english = loaded and loaded[ENGLISH.code]
    if not (others and english):
        return []
    needed = tuple(sorted({*template_messages(templates), *FILE_WORDS}))
    found = (_still_english(code, catalogs[code], english, needed, locales) for code in others)
    return [error for error in found if error]


def _still_english(
    lang: str,
    catalog: GNUTranslations,
    english: GNUTranslations,
    needed: tuple[str, ...],
    locales: tuple[Path, ...],
) -> StatementError | None:
    same = [m for m in needed if catalog.gettext(m) == english.gettext(m)]
    if len(same) * 2 < len(needed):
        return None
    path = next(p for folder in locales if (p := catalog_path(folder, lang)).is_file())
    counted = f"{len(same)} of {len(needed)}"
    message = f"the page's words in '{lang}' are still the English ones ({counted})"
    hint = (
        f"translate every msgstr in this file into {lang} (the contents, the dates of versions, "
        "the translation notice: the words around the text)"
    )
    return StatementError(path, None, message, hint, kind="catalog")
