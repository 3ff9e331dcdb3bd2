"""Dates in each language's own words, by babel. An unknown locale is an error, never a fallback."""

from __future__ import annotations

import datetime
import functools

from babel import Locale, UnknownLocaleError, localedata
from babel.dates import format_date


@functools.lru_cache(maxsize=256)  # asked by every commit's settings
def is_known_locale(name: str) -> bool:
    try:
        Locale.parse(name)
    except (ValueError, UnknownLocaleError):
        return False
    return localedata.exists(name)


@functools.lru_cache(maxsize=4096)
def long_date(day: datetime.date, locale: str) -> str:
    """23 februari 2021 (nl_NL), 23 February 2021 (en_GB); worked out once for each day and
    language (every revision of a long history dates its text)."""
    return format_date(day, format="long", locale=_parsed(locale))


@functools.lru_cache(maxsize=256)
def _parsed(locale: str) -> Locale:
    """The locale, parsed once: babel parses a name, and loads its data, on every call given one."""
    return Locale.parse(locale)
