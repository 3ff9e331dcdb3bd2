"""The reader: statement/<lang>.md and the settings -> Statement (markdown-it-py).

The Markdown the editors write is CommonMark plus three things of ours: a section heading ends
with its id, `## Bewaartermijn {#retention}`; a fact is written `{{company}}`; raw HTML,
images and links with unsafe schemes are refused, never passed through.
"""

from __future__ import annotations

import codecs
import difflib
import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import normalizeLink
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.attrs.parse import ParseError
from mdit_py_plugins.attrs.parse import parse as parse_attrs

from . import dates
from .blame import changed_last
from .errors import StatementError, flatten, raise_all, stage
from .files import SourceFiles, decode, may_be_unprintable, read_text, unprintable
from .model import INTRO, Section, Settings, Statement, Translation

FENCE_OPEN = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")  # CommonMark's fences: up to 3 spaces in
FENCE_CLOSE = re.compile(r" {0,3}(`{3,}|~{3,})[ \t]*")
H2 = re.compile(r"##(?:[ \t]|$)")
HEADING_START = re.compile(rb"\n##(?=[ \t\n]|\Z)")  # H2 at a line's start, in bytes
LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]+\]:", re.M)  # at a line's start
SECTION_ID = re.compile(r"(?!page-)[a-z][a-z0-9-]*")  # page-…: the page's own ids
TRAILING_ATTRS = re.compile(r"(?:^|\s)(\{[^{}]*\})\s*$")
# `##` and a no-break space (a word processor's): it looks like a heading, but Markdown reads text
ODD_HEADING = re.compile(r"#{1,6}([^\S \t\n])")
INDENTED_HEADING = re.compile(r"#{1,6}[ \t]")  # in an indented code block: a tab before ##
SECTION_PROBLEMS = ("this line is not a heading", "the text has no sections")  # its own messages
# {{phone}}, and the publisher's fields: {{publisher.name}}, {{publisher.registration.number}}
FACT = re.compile(r"\{\{\s*(publisher(?:\.[a-z0-9_]+)+|[A-Za-z0-9_]*)\s*\}\}")
TAG = re.compile(r"\{\{([^{}\n]*)\}\}")  # {{ site.data.contact }}: another system's tag, refused
UNCLOSED_HREF = re.compile(r"\]\([^\s()]*$")  # text ending in `](mailto:`, a fact after it
# {{email}} in a link's address, as markdown-it encodes it
FACT_IN_HREF = re.compile(r"%7B%7B(.*?)%7D%7D", re.IGNORECASE)
SAFE_SCHEMES = ("https:", "http:", "mailto:", "tel:")
FACT_LINKS = {
    "email": "mailto:",
    "website": "https://",
    "publisher.email": "mailto:",
    "publisher.website": "https://",
}
# The most characters a page's text may have: 25 million, twice what the largest file of
# statement/ (files.MAX_FILE_BYTES) makes, so that only a fact used very often reaches it.
MAX_PAGE = 25_000_000


def read_statement(root: Path, settings: Settings) -> Statement:
    """Read every language's Markdown; raise every problem in all of them together."""
    return statement_from(SourceFiles(root), settings)


@stage("text")
def statement_from(source: SourceFiles, settings: Settings, cache: dict | None = None) -> Statement:
    """Every language's text of one revision. The cache, shared across revisions, keeps a
    translation whose text and facts did not change from being parsed again."""
    translations, errors = [], []
    cache = _read_before(source.path("")) if cache is None else cache
    for language in settings.languages:
        try:
            translations.append(_translation_in(source, language.code, settings, cache, errors))
        except* StatementError as group:
            errors.extend(flatten(group))
    # sections compared even when a text has other mistakes: every kind of problem in one run
    errors.extend(_mismatched_sections(translations, settings.source_language, errors))
    raise_all(errors)
    return Statement(settings, tuple(translations))


CUT_OTHERWISE = (b"\r", b"```", b"~~~", b"]:")  # CR line ends, fenced code, link definitions


def _translation_in(
    source: SourceFiles, lang: str, settings: Settings, cache: dict, errors: list
) -> Translation:
    """One language's text of the revision, its problems added to errors; a text read in another
    commit, with the same settings, is not read again."""
    name = f"{lang}.md"
    data, path = source.data(name, f"the {lang} text {name}"), source.path(name)
    # the bytes' digest, not the text: a cache over a long history would keep every text
    key = (source.digest(name, data), lang, _settings_read(settings, cache))
    if key in cache:  # read in another commit, it is named as this commit's file
        return _named(cache[key], path)
    translation, problems = _translation(_stretches(data, path, cache), path, lang, settings, cache)
    errors.extend(problems)
    cache.update({} if problems else {key: translation})
    return translation


def _stretches(data: bytes, path: Path, cache: dict) -> list[tuple[int, str]]:
    """The file's text cut as _chunks cuts it. The bytes are cut, and each stretch decoded once
    in the cache's life: a long history's texts differ in a section or two, and decoding and
    cutting every text whole was most of the time it took to read them. A text cut otherwise
    (fenced code, link definitions, CR line ends, a byte-order mark), or whose stretch does not
    decode, is decoded whole, so that a problem is said on its line in the file."""
    if data.startswith(codecs.BOM_UTF8):
        return _chunks(decode(data, path))
    # The stretches' bytes, each with its line end, cut and put together again in C; each
    # stretch's text and count of lines come from the cache when any commit had it before.
    first, *rest = HEADING_START.split(data)  # each heading loses its "\n##"
    pieces = [first + b"\n", *map(b"##%b\n".__mod__, rest)]  # the last gets the end's line end
    found = list(map(cache.get, pieces))
    if None in found:
        found = [
            known or _decoded(piece, cache) for known, piece in zip(found, pieces, strict=True)
        ]
        if None in found:
            return _chunks(decode(data, path))
    texts, lines = zip(*found, strict=True)
    return list(zip(itertools.accumulate(lines[:-1], initial=0), texts, strict=True))


def _decoded(piece: bytes, cache: dict) -> tuple[str, int] | None:
    """A stretch of UTF-8 as text, and its count of line ends; None if it is not UTF-8, holds an
    unprintable character, or has what makes a text be cut otherwise. None of those marks can
    span two stretches (each starts at `##`), so that a text none of whose stretches has one
    has none. Kept in the cache under its bytes, the only keys of the cache that are bytes."""
    if any(mark in piece for mark in CUT_OTHERWISE):
        return None
    try:
        text = piece.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if may_be_unprintable(piece) and unprintable(text):
        return None
    cache[piece] = (text, piece.count(b"\n"))
    return cache[piece]


def _named(translation: Translation, path: Path) -> Translation:
    return translation if translation.path == path else replace(translation, path=path)


def read_translation(path: Path, lang: str, settings: Settings) -> Translation:
    return parse_translation(read_text(path, f"the {lang} text {path.name}"), path, lang, settings)


@stage("text")
def parse_translation(
    text: str, path: Path, lang: str, settings: Settings, cache: dict | None = None
) -> Translation:
    """One language's text. It is read a stretch at a time (the title, then each section): a
    section read before, with the same facts, is not parsed again, so that the versions of a long
    history, which mostly share their sections, cost little more than the sections they change."""
    translation, errors = _translation(_chunks(text), path, lang, settings, cache)
    raise_all(errors)
    return translation


def _translation(
    stretches: list[tuple[int, str]],
    path: Path,
    lang: str,
    settings: Settings,
    cache: dict | None = None,
) -> tuple[Translation, list[StatementError]]:
    """The translation as far as its stretches (see _chunks) read, and its problems."""
    cache = _read_before(path) if cache is None else cache
    facts = _facts(settings, lang, cache)
    md = _markdown()
    known = cache.setdefault(("parts read", id(facts)), {})  # stretch -> (its line, its part)
    parts = [_part(md, chunk, offset, path, facts, cache, known) for offset, chunk in stretches]
    sections, errors, anchors, targets, size, grown = [], [], [], [], 0, 0
    for part in parts:  # one pass: a long history assembles thousands of texts
        sections += part.sections
        errors += part.errors
        anchors += part.anchors
        targets += part.targets
        size, grown = size + part.size, max(grown, part.grown)
    first = parts[0]
    translation = Translation(
        lang, first.title or "", tuple(sections), path, first.intro, first.title_line
    )
    errors += _text_problems(translation, anchors, targets, max(size, grown))
    return translation, errors


def _text_problems(
    translation: Translation, anchors: list, targets: list, size: int
) -> list[StatementError]:
    """What is wrong with the text as a whole. Each check is skipped where it cannot find
    anything (no id twice, no link, no sub-heading): most texts of a long history have none."""
    sections, path, errors = translation.sections, translation.path, []
    if len({section.id for section in sections}) < len(sections):
        errors += _duplicate_ids(sections, path)
    if not sections:
        hint = "start each section with a heading such as ## Bewaartermijn {#retention}"
        errors.append(StatementError(path, None, "the text has no sections", hint))
    if size > MAX_PAGE:  # what its sections show, or what its facts added to one of them
        errors.append(_too_large(path))
    if targets:
        errors += _clashing_targets(sections, targets, path)
    if anchors:
        errors += _broken_anchors(translation, anchors, [t for t, _ in targets], path)
    return errors


READ_BEFORE: dict[Path, dict] = {}  # file -> its parts read in this process
READ_BEFORE_LIMIT = 4096


def _read_before(path: Path) -> dict:
    """The parts of this file read before in this process, for a reader that brings no cache of
    its own: check reads the text being edited more than once, the preview on every save."""
    if sum(len(parts) for parts in READ_BEFORE.values()) > READ_BEFORE_LIMIT:
        READ_BEFORE.clear()  # a long preview session: start again rather than grow
    return READ_BEFORE.setdefault(path, {})


@dataclass(frozen=True)
class _Part:
    """A stretch of the Markdown read on its own: the title and introduction, or a section (lines
    counted from the stretch's first line, so that it can be reused wherever the section moves)."""

    title: str | None
    sections: tuple[Section, ...]
    anchors: tuple[tuple[str, int | None], ...]  # the #links in it
    errors: tuple[StatementError, ...]
    intro: Section | None = None
    targets: tuple[tuple[str, int], ...] = ()  # the sub-headings' anchors, with their lines
    grown: int = 0  # the characters its facts added
    title_line: int = 1  # the title's line, in the stretch that has the title

    @functools.cached_property  # once for each part read: a long history's texts share them
    def size(self) -> int:
        """The characters its sections show."""
        shown = (*self.sections, *([self.intro] if self.intro else []))
        return sum(len(section.html) + len(section.heading) for section in shown)

    def moved(self, offset: int) -> _Part:
        return _Part(
            self.title,
            tuple(replace(section, line=section.line + offset) for section in self.sections),
            tuple((anchor, line and line + offset) for anchor, line in self.anchors),
            tuple(_moved(error, offset) for error in self.errors),
            self.intro and replace(self.intro, line=self.intro.line + offset),
            tuple((target, line + offset) for target, line in self.targets),
            self.grown,
            self.title_line + offset,
        )


def _moved(error: StatementError, offset: int) -> StatementError:
    return StatementError(error.path, error.line and error.line + offset, error.message, error.hint)


def _chunks(text: str) -> list[tuple[int, str]]:
    """The text cut before every `##` heading outside fenced code: (lines before it, the stretch).
    A text that defines a link (`[ap]: https://…`) is read whole: a link in one section may use a
    definition in another, as it does when the whole page is read. (A commit's bytes are cut
    the same way, faster, by _stretches.)"""
    if "]:" in text and LINK_DEFINITION.search(text):
        return [(0, text if text.endswith("\n") else text + "\n")]
    lines = text.split("\n")
    starts = [0, *(n for n in _heading_lines(lines) if n)]
    ends = [*starts[1:], len(lines)]
    return [
        (start, "\n".join(lines[start:end]) + "\n") for start, end in zip(starts, ends, strict=True)
    ]


def _part(
    md: MarkdownIt, chunk: str, offset: int, path: Path, facts: dict, cache: dict, known: dict
) -> _Part:
    """The stretch read. `known` holds the stretches read before with the very same facts
    (_facts keeps one dict per settings in the cache, so that its id is not reused while the
    cache lives), each where it stood last: most of a long history's stretches, found by the
    stretch alone, whose hash Python keeps."""
    hit = known.get(chunk)
    if hit is not None and hit[0] == offset:
        return hit[1]
    found = _part_with(md, chunk, offset, path, facts, cache)
    if not found.errors:
        known[chunk] = (offset, found)
    return found


def _part_with(
    md: MarkdownIt, chunk: str, offset: int, path: Path, facts: dict, cache: dict
) -> _Part:
    used = tuple((name, facts.get(name)) for name in _facts_in(chunk))
    key = ("part", chunk, offset == 0, used)  # only the facts it uses: the date is in one section
    if found := cache.get((key, offset)):  # where it stood before, most often: made once
        return found
    if key in cache:
        cache[(key, offset)] = cache[key].moved(offset)
        return cache[(key, offset)]
    part = _read_part(md, chunk, offset == 0, path, facts)
    if not part.errors:
        cache[key] = part  # one with problems is read again, so its messages name this file
    return part.moved(offset)


@functools.lru_cache(maxsize=4096)
def _facts_in(chunk: str) -> tuple[str, ...]:
    """The facts a stretch of text uses, found once for each text: a long history's revisions
    share most of their sections."""
    return tuple(sorted(set(FACT.findall(chunk))))


def _read_part(md: MarkdownIt, chunk: str, first: bool, path: Path, facts: dict) -> _Part:
    env = {"path": path, "facts": facts, "errors": [], "anchors": [], "targets": []}
    env["render"] = lambda tokens: md.renderer.render(tokens, md.options, env)
    tokens = md.parse(chunk, env)
    headings = [i for i, token in enumerate(tokens) if token.type == "heading_open"]
    env["errors"].extend(_heading_problems(tokens, headings, path, 0 if first else 1))
    env["errors"].extend(_odd_headings(tokens, path))
    starts = [i for i in headings if tokens[i].tag == "h2"]
    lead = tokens[: starts[0] if starts else len(tokens)]
    title = _title(lead, path, env["errors"]) if first else None
    intro = _intro(lead[3:], title, env) if first and len(lead) > 3 else None
    if lead and not first:
        env["errors"].append(_outside(lead, path))
    ends = [*starts[1:], len(tokens)] if starts else []
    sections = tuple(_section(tokens[a:b], path, env) for a, b in zip(starts, ends, strict=True))
    anchors, targets = tuple(env["anchors"]), tuple(env["targets"])
    grown = env.get("grown", 0)
    title_line = lead[0].map[0] + 1 if first and lead and lead[0].map else 1
    return _Part(title, sections, anchors, tuple(env["errors"]), intro, targets, grown, title_line)


def _facts(settings: Settings, lang: str, cache: dict) -> dict[str, str]:
    """What {{…}} stands for in the language's text, worked out once for each settings' facts:
    the commits of a long history mostly share them. The dict is only read, never changed."""
    key = ("facts", lang, _settings_read(settings, cache))
    if (facts := cache.get(key)) is None:
        effective = dates.long_date(settings.effective, _locale(settings, lang))
        facts = cache[key] = settings.facts_in(lang) | {"effective": effective}
    return facts


def _settings_read(settings: Settings, cache: dict) -> int:
    """A number for what of the settings a text is read with (its facts, publisher, date and
    languages): the same for the same, worked out once for each settings read. Hashing those
    again for every text of a long history cost more than reading what changed in it."""
    pinned = cache.get(("settings read", id(settings)))  # the settings are kept: no id reused
    if pinned is None or pinned[0] is not settings:
        numbers = cache.setdefault("settings numbers", {})
        value = (settings.facts, settings.publishers, settings.effective, settings.languages)
        pinned = cache[("settings read", id(settings))] = (
            settings,
            numbers.setdefault(value, len(numbers)),
        )
    return pinned[1]


def _too_large(path: Path) -> StatementError:
    message = f"the text makes a page of more than {MAX_PAGE:,} characters"
    hint = "a fact adds its whole length every time it is used: use a long fact less often, or shorten it"
    return StatementError(path, None, message, hint)


def _intro(body: list[Token], title: str | None, env: dict) -> Section:
    """The text between the title and the first section: a welcome, a version line. It is a
    part of what the text says like a section, under the title's heading."""
    line = body[0].map[0] + 1 if body[0].map else 1
    return Section(INTRO, title or "", env["render"](body), _blocks(body), line)


def _outside(tokens: list[Token], path: Path) -> StatementError:
    line = tokens[0].map[0] + 1 if tokens[0].map else None
    hint = "put it in a section of its own: ## Heading {#id}"
    return StatementError(path, line, "text outside any section", hint)


def _locale(settings: Settings, lang: str) -> str:
    return settings.language(lang).locale


@functools.cache  # one parser for every text: setting it up costs more than a section's parse
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "xhtmlOut": False}).enable("table")
    md.validateLink = lambda url: True  # unsafe links are reported as errors, not dropped silently
    md.inline.ruler.before("text", "fact", _fact_rule)
    md.core.ruler.after("block", "nesting", _nesting_rule)
    md.core.ruler.before("inline", "heading_attrs", _heading_attrs_rule)
    md.core.ruler.after("inline", "facts", _resolve_facts_rule)
    md.core.ruler.after("facts", "refuse_unsafe", _refuse_unsafe_rule)
    md.core.ruler.after("facts", "heading_anchors", _heading_anchors_rule)
    return md


# --- markdown-it rules ----------------------------------------------------------------------


def _nesting_rule(state: StateCore) -> None:
    """markdown-it stops reading a list or quote nested as deep as its limit and drops the rest
    of it without a word: say so, on the line where it starts."""
    limit = state.md.options.maxNesting - 1  # the level of a container whose text is dropped
    for token in state.tokens:
        if token.type in ("blockquote_open", "list_item_open") and token.level >= limit:
            hint = f"nest lists at most {limit // 2} deep and quotes at most {limit} deep: the rest would be lost"
            message = "lists or quotes nested too deeply to show"
            state.env["errors"].append(
                StatementError(state.env["path"], token.map[0] + 1, message, hint)
            )
            return


def _heading_attrs_rule(state: StateCore) -> None:
    """`## Heading {#id .class}`: the attrs plugin does not read braces at the end of a heading."""
    for opening, inline in zip(state.tokens, state.tokens[1:], strict=False):
        if opening.type != "heading_open" or not (found := TRAILING_ATTRS.search(inline.content)):
            continue
        inline.content = inline.content[: found.start()].rstrip()
        for key, value in _heading_attrs(found.group(1), opening, state.env).items():
            opening.attrSet(key, value)


def _heading_attrs(braces: str, opening: Token, env: dict) -> dict[str, str]:
    line = opening.map[0] + 1
    try:
        _, attrs = parse_attrs(braces)
    except ParseError:
        attrs = {"": ""}
    if set(attrs) - {"id", "class"}:
        hint = "write only an id and classes in the braces, such as {#retention}"
        env["errors"].append(
            StatementError(env["path"], line, f"heading attributes {braces} are not allowed", hint)
        )
    # the id and classes still count, so that one mistake is reported once, not again as "no id"
    return {key: value for key, value in attrs.items() if key in ("id", "class")}


def _heading_anchors_rule(state: StateCore) -> None:
    """`### Bewaartermijn per doel` gets the anchor `retention-bewaartermijn-per-doel`: the
    section's id and the heading's words, so that it is unique on the page and stays the same
    when other sections change."""
    section, seen = INTRO, set()
    for opening, inline in itertools.pairwise(state.tokens):
        if opening.type != "heading_open" or opening.tag == "h1":
            continue
        if opening.attrGet("id") and opening.tag != "h2":
            continue  # an id written on a sub-heading is reported, not replaced
        if opening.tag == "h2":
            section = str(opening.attrGet("id") or section)
            continue
        anchor = _unique(f"{section}-{slug(_plain(inline)) or 'heading'}", seen)
        opening.attrSet("id", anchor)
        opening.meta["anchor"] = True
        state.env["targets"].append((anchor, opening.map[0] + 1))


def _unique(anchor: str, seen: set[str]) -> str:
    """The anchor, or for a second heading of the same words in a section anchor-2, anchor-3 …"""
    if anchor in seen:
        anchor = next(f"{anchor}-{n}" for n in itertools.count(2) if f"{anchor}-{n}" not in seen)
    seen.add(anchor)
    return anchor


def slug(text: str) -> str:
    """Words as an anchor: lower case, accents dropped, anything but letters and digits a hyphen.
    Letters of other scripts stay (an anchor may be Greek); the importer also makes ids with it."""
    folded = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "-", plain).strip("-")


def _fact_rule(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("{{", state.pos):
        return False
    found = FACT.match(state.src, state.pos) or TAG.match(state.src, state.pos)
    if not found:
        return False
    if not silent:
        token = state.push("fact", "", 0)
        token.meta = {"name": found.group(1).strip(), "offset": state.pos, "tag": found.group(0)}
    state.pos = found.end()
    return True


def _resolve_facts_rule(state: StateCore) -> None:
    for block in state.tokens:
        if block.type == "inline" and block.children:
            block.children = _resolved_children(block, state.env)


def _resolved_children(block: Token, env: dict) -> list[Token]:
    """Facts replaced by their values; inside a link, a fact that is a link itself ({{email}})
    becomes its text only, for a link in a link is no HTML."""
    resolved, depth = [], 0
    for before, child in zip([None, *block.children], block.children, strict=False):
        depth += (child.type == "link_open") - (child.type == "link_close")
        if child.type == "link_open":
            _facts_in_href(child, block, env)
        if child.type == "fact" and before and UNCLOSED_HREF.search(before.content):
            env["errors"].append(_spaced_href(child, block, env))
        resolved.extend(_resolved(child, block, env, depth > 0))
    return resolved


def _spaced_href(fact: Token, block: Token, env: dict) -> StatementError:
    """`[mail](mailto:{{ email }})`: the spaces keep Markdown from reading a link at all."""
    message = f"{fact.meta['tag']} in a link's address is written with spaces"
    hint = f"write it without spaces, {{{{{fact.meta['name']}}}}}, so that the link is read as one"
    return StatementError(env["path"], _line_in(block, fact.meta["offset"]), message, hint)


def _facts_in_href(link: Token, block: Token, env: dict) -> None:
    """`mailto:{{email}}`: the value goes in, and the link is then checked as any other."""

    def value(found: re.Match) -> str:
        name = unquote(found.group(1)).strip()
        if name in env["facts"]:
            return normalizeLink(env["facts"][name])
        written = block.content.find("{{" + unquote(found.group(1)))
        env["errors"].append(_unknown_fact(name, _line_in(block, max(written, 0)), env))
        return ""

    link.attrSet("href", FACT_IN_HREF.sub(value, str(link.attrGet("href") or "")))


def _line_in(block: Token, offset: int) -> int:
    return block.map[0] + 1 + block.content.count("\n", 0, offset)


def _resolved(token: Token, block: Token, env: dict, linked: bool = False) -> list[Token]:
    if token.type != "fact":
        return [token]
    name, line = token.meta["name"], _line_in(block, token.meta["offset"])
    if not FACT.fullmatch(token.meta["tag"]):
        env["errors"].append(_not_a_fact(token.meta["tag"], line, env))
        return []
    if name not in env["facts"]:
        env["errors"].append(_unknown_fact(name, line, env))
        return []
    env["grown"] = env.get("grown", 0) + len(env["facts"][name])
    if env["grown"] > MAX_PAGE:  # stop here: the page would not fit in any memory
        return []  # _too_large says why
    return _fact_tokens(name, env["facts"][name], linked)


def _known(facts: dict) -> str:
    """The facts' names for a hint: the publisher's fields as one, publisher.…"""
    names = sorted(fact for fact in facts if "." not in fact)
    return ", ".join(names + (["publisher.…"] if len(names) < len(facts) else []))


def _unknown_fact(name: str, line: int, env: dict) -> StatementError:
    known = _known(env["facts"])
    hint = f"use one of: {known}, or add it under [facts] in statement.toml"
    return StatementError(env["path"], line, f"unknown fact {{{{{name}}}}}", hint)


def _not_a_fact(tag: str, line: int, env: dict) -> StatementError:
    known = _known(env["facts"])
    hint = (
        f"write a fact as {{{{name}}}} with one of: {known}; "
        "to show the braces as text, write \\{\\{ instead of {{"
    )
    return StatementError(env["path"], line, f"{tag} is not a fact", hint)


def _fact_tokens(name: str, value: str, linked: bool = False) -> list[Token]:
    text = Token("text", "", 0, content=value)
    if name not in FACT_LINKS or linked:
        return [text]
    scheme = "" if value.lower().startswith(("https://", "http://")) else FACT_LINKS[name]
    opening = Token("link_open", "a", 1, attrs={"href": scheme + value})
    return [opening, text, Token("link_close", "a", -1)]


def _refuse_unsafe_rule(state: StateCore) -> None:
    for block in state.tokens:
        line = block.map[0] + 1 if block.map else None
        for token in [block, *(block.children or [])]:
            if problem := _unsafe(token, state.env, line):
                state.env["errors"].append(StatementError(state.env["path"], line, *problem))
            if line is not None and token is not block:
                line += _line_ends(token)


def _line_ends(token: Token) -> int:
    """How many line ends an inline token spans: the line of the tokens after it moves on."""
    if token.type in ("softbreak", "hardbreak"):
        return 1
    return token.content.count("\n") if token.type == "html_inline" else 0


def _unsafe(token: Token, env: dict, line: int | None) -> tuple[str, str] | None:
    if token.type in ("html_block", "html_inline"):
        return (
            "raw HTML is not allowed",
            "write it in Markdown, or escape the < with a backslash: \\<",
        )
    if token.type == "image":
        return "images are not allowed", "remove the image: the statement is text only"
    if token.type != "link_open":
        return None
    href = str(token.attrGet("href") or "")
    if href.startswith("#"):
        env["anchors"].append((href[1:], line))
        return None
    if not href.lower().startswith(SAFE_SCHEMES):
        hint = "link to a web address (https://…), an e-mail address (mailto:…) or a section (#id)"
        return f"the link {href!r} is not allowed", hint
    return None


# --- sections -------------------------------------------------------------------------------


def _heading_problems(
    tokens: list[Token], headings: list[int], path: Path, level: int
) -> list[StatementError]:
    errors, in_section = [], level > 0
    for index in headings:
        token, line = tokens[index], tokens[index].map[0] + 1
        new = int(token.tag[1])
        in_section = in_section or new == 2
        if new == 1 and in_section:  # `# Kop`, or `Kop` underlined with ===: a second <h1>
            hint = "a text has one title, on its first line: write a heading in a section with ###"
            errors.append(StatementError(path, line, "a title (#) inside a section", hint))
        if new > level + 1:
            errors.append(
                StatementError(
                    path,
                    line,
                    f"heading level {new} follows level {level}",
                    "use # for the title, ## for a section, ### inside a section",
                )
            )
        if new != 2 and token.attrGet("id") and not token.meta.get("anchor"):
            errors.append(
                StatementError(
                    path,
                    line,
                    "only section headings (##) take an id",
                    "remove the {#…} from this heading",
                )
            )
        if new != 2 and token.attrGet("class"):  # the page's own classes are not the text's
            hint = "remove the {.…} from this heading: a section heading names its GDPR disclosures"
            errors.append(
                StatementError(path, line, "only section headings (##) take classes", hint)
            )
        level = new
    return errors


def _odd_headings(tokens: list[Token], path: Path) -> list[StatementError]:
    """Lines an editor meant as headings that Markdown reads otherwise: without this, a section
    would silently become part of the one before it, its heading shown as text or as code."""
    errors = []
    for opening, inline in itertools.pairwise(tokens):
        if opening.type != "paragraph_open" or not opening.map:
            continue
        for offset, line in enumerate(inline.content.split("\n")):
            if found := ODD_HEADING.match(line):
                name = unicodedata.name(found.group(1), "an unusual space").lower()
                message = (
                    f"this line is not a heading: its # is followed by {name}, not a plain space"
                )
                hint = "type a plain space after the #, as in ## Bewaartermijn {#retention}"
                errors.append(StatementError(path, opening.map[0] + 1 + offset, message, hint))
    for token in tokens:
        if token.type != "code_block" or not token.map:
            continue
        for offset, line in enumerate(token.content.split("\n")):
            if INDENTED_HEADING.match(line):
                message = "this line is not a heading: it is indented, which makes it code"
                hint = "start the line with its #, with no space or tab before it"
                errors.append(StatementError(path, token.map[0] + 1 + offset, message, hint))
    return errors


def _title(tokens: list[Token], path: Path, errors: list) -> str:
    hint = "start the file with the title, # Privacy policy, then the sections"
    if len(tokens) < 3 or tokens[0].tag != "h1":
        errors.append(StatementError(path, 1, "the text does not start with a title", hint))
        return ""
    return _plain(tokens[1])


def _section(tokens: list[Token], path: Path, env: dict) -> Section:
    line = tokens[0].map[0] + 1
    section_id = str(tokens[0].attrGet("id") or "")
    heading, body = _plain(tokens[1]), tokens[3:]
    if not section_id:
        env["errors"].append(
            StatementError(
                path,
                line,
                f"the section '{heading}' has no id",
                "end the heading with its id, shared by every language: ## Bewaartermijn {#retention}",
            )
        )
    elif not SECTION_ID.fullmatch(section_id):
        env["errors"].append(
            StatementError(
                path,
                line,
                f"the section id '{_visible(section_id)}' is not usable",
                "use lower-case letters, digits and hyphens, starting with a letter but not with page-: {#retention}",
            )
        )
    if not body:
        env["errors"].append(
            StatementError(
                path,
                line,
                f"the section '{heading}' has no text",
                "write its text below the heading, or remove the heading",
            )
        )
    html = env["render"](body) if body else ""
    classes = tuple(str(tokens[0].attrGet("class") or "").split())
    return Section(section_id, heading, html, _blocks(body), line, classes)


def _visible(text: str) -> str:
    """Text as a message shows it: a character beyond ASCII written as its code, \\u0435, so that
    a look-alike (a Cyrillic e for a Latin one) or an invisible character can be seen."""
    return text.encode("ascii", "backslashreplace").decode("ascii")


def _duplicate_ids(sections: list[Section], path: Path) -> list[StatementError]:
    errors, seen = [], {}
    for section in sections:
        if section.id and section.id in seen:
            message = f"the id '{section.id}' is used twice (first on line {seen[section.id]})"
            errors.append(
                StatementError(path, section.line, message, "give each section its own id")
            )
        seen.setdefault(section.id, section.line)
    return errors


def _plain(inline: Token) -> str:
    """What a reader reads of an inline run: its text, line breaks as spaces, no markup."""
    breaks = ("softbreak", "hardbreak")
    return _fold("".join(" " if c.type in breaks else c.content for c in inline.children or []))


def _blocks(tokens: list[Token]) -> tuple[str, ...]:
    """The body's paragraphs, list items and table cells as plain text, in reading order."""
    return tuple(text for token in tokens if token.type == "inline" and (text := _plain(token)))


def _fold(text: str) -> str:
    return " ".join(text.split())


def _clashing_targets(
    sections: list[Section], targets: list[tuple[str, int]], path: Path
) -> list[StatementError]:
    """A sub-heading's anchor that is also a section's id: a link could not tell them apart."""
    ids = {section.id for section in sections}
    hint = "reword the sub-heading, or give the section another id"
    return [
        StatementError(path, line, f"the sub-heading's anchor #{target} is also a section id", hint)
        for target, line in targets
        if target in ids
    ]


def _broken_anchors(
    translation: Translation, anchors: list, targets: list[str], path: Path
) -> list[StatementError]:
    ids = {section.id for section in translation.parts} | set(targets)
    broken = [(anchor, line) for anchor, line in anchors if anchor not in ids]
    known = ", ".join(sorted(section.id for section in translation.sections)) if broken else ""
    return [
        StatementError(
            path,
            line,
            f"the link #{anchor} goes to no section",
            _sub_heading(anchor, targets) or f"link to one of: {known}",
            kind="broken-link",
            about=anchor,
        )
        for anchor, line in broken
    ]


def _sub_heading(anchor: str, targets: list[str]) -> str | None:
    """The one sub-heading whose anchor is this link's words after its section's id: the link
    an editor most likely meant."""
    meant = {target for target in targets if target.endswith(f"-{anchor}")}
    if len(meant) != 1:
        return None
    return f"write #{meant.pop()}: the anchor of a sub-heading begins with its section's id"


def _mismatched_sections(
    translations: list[Translation], source_lang: str, found: list[StatementError]
) -> list[StatementError]:
    """Every translation has the source language's sections, with the same ids in the same
    order. A text whose sections are themselves in doubt (an id missing or used twice, a heading
    Markdown does not see) is left out: its own problem says it, and a comparison would only
    add problems that follow from it."""
    if _alike(translations):  # most revisions: nothing to compare
        return []
    unsound = {error.path for error in found if _about_sections(error.message)}
    sound = [t for t in translations if t.path not in unsound and _usable_ids(t)]
    source = next((t for t in sound if t.lang == source_lang), None)
    if source is None:
        return []
    compared = [t for t in sound if t is not source]
    return [
        error for t in compared for error in [*_compared_intro(source, t), *_compared(source, t)]
    ]


def _alike(translations: list[Translation]) -> bool:
    """Every text has the same sections, by id, in the same order, and an introduction if any
    has one."""
    shapes = {(t.intro is None, tuple(s.id for s in t.sections)) for t in translations}
    return len(shapes) <= 1


def _about_sections(message: str) -> bool:
    return message.startswith(SECTION_PROBLEMS) or " is used twice " in message


def _file(translation: Translation) -> str:
    """nl.md, also for the file of an earlier commit (whose path names the commit)."""
    return translation.path.name.partition(" (commit ")[0]


def _usable_ids(translation: Translation) -> bool:
    sections = translation.sections
    return bool(sections) and all(SECTION_ID.fullmatch(section.id) for section in sections)


def _compared(source: Translation, translation: Translation) -> list[StatementError]:
    """Each section missing, extra or with another id, at the line where the fix goes."""
    expected = [section.id for section in source.sections]
    found = [section.id for section in translation.sections]
    if sorted(expected) == sorted(found):
        return _out_of_order(source, translation) if expected != found else []
    errors = []
    matcher = difflib.SequenceMatcher(None, expected, found, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "replace" and i2 - i1 == j2 - j1:
            blamed = changed_last([source.path, translation.path])  # git asked once per pair
            errors += [_renamed(source, translation, i, j1 + i - i1, blamed) for i in range(i1, i2)]
            continue
        if tag in ("delete", "replace"):
            errors += [_missing(source, translation, i, j1) for i in range(i1, i2)]
        if tag in ("insert", "replace"):
            errors += [_extra(source, translation.sections[j], translation) for j in range(j1, j2)]
    return errors


def _compared_intro(source: Translation, translation: Translation) -> list[StatementError]:
    """An introduction is a part of what the text says, like a section: every language has one,
    or none does (a reader of the translation would otherwise miss what the prevailing text says)."""
    name, between = _file(source), "the text between the title and the first section"
    if source.intro and not translation.intro:
        where = translation.sections[0].line if translation.sections else None  # it goes above
        message = (
            f"the introduction is missing ({name} has one, line {source.intro.line}: {between})"
        )
        hint = f"translate it here, between the title and the first section, from {name} line {source.intro.line}"
        return [StatementError(translation.path, where, message, hint)]
    if translation.intro and not source.intro:
        message = f"this introduction is not in {name} ({between})"
        hint = f"remove it, or add it to {name} and every other language, between the title and the first section"
        return [StatementError(translation.path, translation.intro.line, message, hint)]
    return []


def _missing(source: Translation, translation: Translation, i: int, j: int) -> StatementError:
    """Said at the heading it belongs before, or after the last section."""
    section, name = source.sections[i], _file(source)
    after = (
        f"in {name} it comes after '{source.sections[i - 1].id}'"
        if i
        else f"it is the first in {name}"
    )
    heading = f"translated from {name} line {section.line}: ## {section.heading} {{#{section.id}}}"
    if j < len(translation.sections):
        place = translation.sections[j]
        where, hint = place.line, f"add it before the section '{place.id}', {heading}"
    else:
        last = translation.sections[-1] if translation.sections else None
        where, hint = last and last.line, f"add it at the end of the file, {heading}"
    message = f"the section '{section.id}' is missing ({after})"
    return StatementError(translation.path, where, message, hint)


def _extra(source: Translation, section: Section, translation: Translation) -> StatementError:
    name = _file(source)
    hint = f"remove it, or add it to {name} and every other language at the same place"
    message = f"the section '{section.id}' is not in {name}"
    return StatementError(translation.path, section.line, message, hint)


def _out_of_order(source: Translation, translation: Translation) -> list[StatementError]:
    pairs = zip(source.sections, translation.sections, strict=True)
    k, (wanted, here) = next((k, p) for k, p in enumerate(pairs) if p[0].id != p[1].id)
    name = _file(source)
    before = f"after '{source.sections[k - 1].id}'" if k else "first"
    message = f"the section '{here.id}' is out of order: {name} has '{wanted.id}' here"
    hint = f"put the sections in the order of {name}: {before} comes '{wanted.id}'"
    return [StatementError(translation.path, here.line, message, hint)]


def _renamed(
    source: Translation, translation: Translation, i: int, j: int, blamed: Path | None
) -> StatementError:
    """One section with two ids: said in the file that changed last, as git tells (else in the
    translation), with the id the other file keeps, the anchor the site has published."""
    pair = [(source, source.sections[i]), (translation, translation.sections[j])]
    (kept, kept_section), (changed, section) = pair[::-1] if blamed == source.path else pair
    said = f"; {_file(changed)} changed last" if blamed else ""
    message = (
        f"the id '{section.id}' differs from '{kept_section.id}' in {_file(kept)} "
        f"(line {kept_section.line}){said}"
    )
    hint = f"write {{#{kept_section.id}}} as {_file(kept)} does"
    if blamed:
        hint += f": the published anchor is #{kept_section.id}, which another id would change"
    return StatementError(changed.path, section.line, message, hint)


class Heading(NamedTuple):
    """A heading as the reader sees it, for the importer: its level, its lines (0-based, end
    excluded: an underlined heading has two), its id or anchor, its Markdown and its plain text."""

    level: int
    start: int
    end: int
    id: str
    markdown: str
    text: str
    classes: str = ""  # `{#rights .right_access}`: the GDPR disclosures, space-separated


def headings(text: str) -> list[Heading]:
    """Every heading of a Markdown text, read by the reader that builds the page (so that an
    anchor found here is the one the page will have); the text's own problems are not raised."""
    tokens = _tokens(text)
    return [
        Heading(
            int(opening.tag[1]),
            *opening.map,
            str(opening.attrGet("id") or ""),
            inline.content,
            _plain(inline),
            str(opening.attrGet("class") or ""),
        )
        for opening, inline in itertools.pairwise(tokens)
        if opening.type == "heading_open" and opening.map
    ]


def html_blocks(text: str) -> list[tuple[int, int, str]]:
    """The lines (0-based, end excluded) and HTML of each block of raw HTML, as the reader
    finds them: the importer makes them Markdown."""
    return [
        (*token.map, token.content)
        for token in _tokens(text)
        if token.type == "html_block" and token.map
    ]


def _tokens(text: str) -> list[Token]:
    """The text parsed as the page's reader parses it, its problems left unsaid."""
    env = {"path": Path(), "facts": {}, "errors": [], "anchors": [], "targets": []}
    return _markdown().parse(text, env)


def _heading_lines(lines: list[str]) -> list[int]:
    """The numbers of the lines that start a `##` heading, outside fenced code."""
    candidates = [n for n, line in enumerate(lines) if line.startswith("##") and H2.match(line)]
    if not any(line.lstrip().startswith(("```", "~~~")) for line in lines):
        return candidates  # no fenced code: no need to walk every line
    fence, outside = "", []
    for number, line in enumerate(lines):
        if fence:  # only a fence of the same character, at least as long, closes it
            closing = FENCE_CLOSE.fullmatch(line)
            fence = (
                ""
                if closing and closing[1][0] == fence[0] and len(closing[1]) >= len(fence)
                else fence
            )
        elif (opening := FENCE_OPEN.match(line)) and not (
            opening[1][0] == "`" and "`" in opening[2]
        ):
            fence = opening[1]
        elif H2.match(line):
            outside.append(number)
    return outside
