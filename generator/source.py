"""The reader: statement/<lang>.md and the settings -> Statement (markdown-it-py).

The Markdown the editors write is CommonMark plus three things of ours: a section heading ends
with its id, `## Bewaartermijn {#retention}`; a fact is written `{{company}}`; raw HTML,
images and links with unsafe schemes are refused, never passed through.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.attrs.parse import ParseError
from mdit_py_plugins.attrs.parse import parse as parse_attrs

from . import dates
from .errors import StatementError, flatten, raise_all
from .files import SourceFiles, read_text
from .model import Section, Settings, Statement, Translation

SECTION_HEADING = re.compile(r"##[ \t]+(.*?)[ \t]*\{#([^\s}.]+)[^}]*\}[ \t]*")
FENCE = re.compile(r"(```|~~~)")
H2 = re.compile(r"##(?:[ \t]|$)")
SECTION_ID = re.compile(r"(?!page-)[a-z][a-z0-9-]*")  # page-…: the page's own ids
TRAILING_ATTRS = re.compile(r"(?:^|\s)(\{[^{}]*\})\s*$")
# `##` and a no-break space (a word processor's): it looks like a heading, but Markdown reads text
ODD_HEADING = re.compile(r"#{1,6}([^\S \t\n])")
INDENTED_HEADING = re.compile(r"#{1,6}[ \t]")  # in an indented code block: a tab before ##
FACT = re.compile(r"\{\{\s*([A-Za-z0-9_.]*)\s*\}\}")  # publisher.name: [publisher]'s
SAFE_SCHEMES = ("https:", "http:", "mailto:", "tel:")
FACT_LINKS = {
    "email": "mailto:",
    "website": "https://",
    "publisher.email": "mailto:",
    "publisher.website": "https://",
}


def read_statement(root: Path, settings: Settings) -> Statement:
    """Read every language's Markdown; raise every problem in all of them together."""
    return statement_from(SourceFiles(root), settings)


def statement_from(source: SourceFiles, settings: Settings, cache: dict | None = None) -> Statement:
    """Every language's text of one revision. The cache, shared across revisions, keeps a
    translation whose text and facts did not change from being parsed again."""
    translations, errors = [], []
    cache = {} if cache is None else cache
    for language in settings.languages:
        try:
            name = f"{language.code}.md"
            text = source.text(name, f"the {language.code} text {name}")
            key = (text, language.code, settings.facts, settings.publishers, settings.effective)
            key += (settings.languages,)
            if key not in cache:
                path = source.path(name)
                cache[key] = parse_translation(text, path, language.code, settings, cache)
            translations.append(cache[key])
        except* StatementError as group:
            errors.extend(flatten(group))
    if not errors:
        errors.extend(_mismatched_sections(translations))
    raise_all(errors)
    return Statement(settings, tuple(translations))


def read_translation(path: Path, lang: str, settings: Settings) -> Translation:
    return parse_translation(read_text(path, f"the {lang} text {path.name}"), path, lang, settings)


def parse_translation(
    text: str, path: Path, lang: str, settings: Settings, cache: dict | None = None
) -> Translation:
    """One language's text. It is read a stretch at a time (the title, then each section): a
    section read before, with the same facts, is not parsed again, so that the versions of a long
    history, which mostly share their sections, cost little more than the sections they change."""
    facts = settings.facts_in(lang) | {
        "effective": dates.long_date(settings.effective, _locale(settings, lang))
    }
    cache = {} if cache is None else cache
    md = _markdown()
    parts = [_part(md, chunk, offset, path, facts, cache) for offset, chunk in _chunks(text)]
    sections = [section for part in parts for section in part.sections]
    translation = Translation(lang, parts[0].title or "", tuple(sections), path)
    errors = [error for part in parts for error in part.errors]
    errors.extend(_duplicate_ids(sections, path))
    if not sections:
        hint = "start each section with a heading such as ## Bewaartermijn {#retention}"
        errors.append(StatementError(path, None, "the text has no sections", hint))
    anchors = [anchor for part in parts for anchor in part.anchors]
    errors.extend(_broken_anchors(translation, anchors, path))
    raise_all(errors)
    return translation


@dataclass(frozen=True)
class _Part:
    """A stretch of the Markdown read on its own: the title, or a section (lines counted from the
    stretch's first line, so that it can be reused wherever the section moves)."""

    title: str | None
    sections: tuple[Section, ...]
    anchors: tuple[tuple[str, int | None], ...]
    errors: tuple[StatementError, ...]

    def moved(self, offset: int) -> _Part:
        return _Part(
            self.title,
            tuple(replace(section, line=section.line + offset) for section in self.sections),
            tuple((anchor, line and line + offset) for anchor, line in self.anchors),
            tuple(_moved(error, offset) for error in self.errors),
        )


def _moved(error: StatementError, offset: int) -> StatementError:
    return StatementError(error.path, error.line and error.line + offset, error.message, error.hint)


def _chunks(text: str) -> list[tuple[int, str]]:
    """The text cut before every `##` heading outside fenced code: (lines before it, the stretch)."""
    lines = text.split("\n")
    starts = [0, *(n for n in _heading_lines(lines) if n)]
    ends = [*starts[1:], len(lines)]
    return [
        (start, "\n".join(lines[start:end]) + "\n") for start, end in zip(starts, ends, strict=True)
    ]


def _part(md: MarkdownIt, chunk: str, offset: int, path: Path, facts: dict, cache: dict) -> _Part:
    used = tuple((name, facts.get(name)) for name in sorted(set(FACT.findall(chunk))))
    key = ("part", chunk, offset == 0, used)  # only the facts it uses: the date is in one section
    if key in cache:
        return cache[key].moved(offset)
    part = _read_part(md, chunk, offset == 0, path, facts)
    if not part.errors:
        cache[key] = part  # one with problems is read again, so its messages name this file
    return part.moved(offset)


def _read_part(md: MarkdownIt, chunk: str, first: bool, path: Path, facts: dict) -> _Part:
    env = {"path": path, "facts": facts, "errors": [], "anchors": []}
    env["render"] = lambda tokens: md.renderer.render(tokens, md.options, env)
    tokens = md.parse(chunk, env)
    headings = [i for i, token in enumerate(tokens) if token.type == "heading_open"]
    env["errors"].extend(_heading_problems(tokens, headings, path, 0 if first else 1))
    env["errors"].extend(_odd_headings(tokens, path))
    starts = [i for i in headings if tokens[i].tag == "h2"]
    lead = tokens[: starts[0] if starts else len(tokens)]
    title = _title(lead, path, env["errors"]) if first else None
    if lead and not first:
        env["errors"].append(_outside(lead, path))
    ends = [*starts[1:], len(tokens)] if starts else []
    sections = tuple(_section(tokens[a:b], path, env) for a, b in zip(starts, ends, strict=True))
    return _Part(title, sections, tuple(env["anchors"]), tuple(env["errors"]))


def _outside(tokens: list[Token], path: Path) -> StatementError:
    line = tokens[0].map[0] + 1 if tokens[0].map else None
    hint = "put it in a section of its own: ## Heading {#id}"
    return StatementError(path, line, "text outside any section", hint)


def _locale(settings: Settings, lang: str) -> str:
    return settings.language(lang).locale


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "xhtmlOut": False}).enable("table")
    md.validateLink = lambda url: True  # unsafe links are reported as errors, not dropped silently
    md.inline.ruler.before("text", "fact", _fact_rule)
    md.core.ruler.before("inline", "heading_attrs", _heading_attrs_rule)
    md.core.ruler.after("inline", "facts", _resolve_facts_rule)
    md.core.ruler.after("facts", "refuse_unsafe", _refuse_unsafe_rule)
    return md


# --- markdown-it rules ----------------------------------------------------------------------


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


def _fact_rule(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("{{", state.pos):
        return False
    found = FACT.match(state.src, state.pos)
    if not found:
        return False
    if not silent:
        token = state.push("fact", "", 0)
        token.meta = {"name": found.group(1), "offset": state.pos}
    state.pos = found.end()
    return True


def _resolve_facts_rule(state: StateCore) -> None:
    for block in state.tokens:
        if block.type == "inline" and block.children:
            block.children = [
                new for child in block.children for new in _resolved(child, block, state.env)
            ]


def _resolved(token: Token, block: Token, env: dict) -> list[Token]:
    if token.type != "fact":
        return [token]
    name = token.meta["name"]
    if name not in env["facts"]:
        line = block.map[0] + 1 + block.content.count("\n", 0, token.meta["offset"])
        names = sorted(fact for fact in env["facts"] if "." not in fact)
        publisher = ["publisher.…"] if len(names) < len(env["facts"]) else []  # its fields
        known = ", ".join(names + publisher)
        message = f"unknown fact {{{{{name}}}}}"
        env["errors"].append(
            StatementError(
                env["path"],
                line,
                message,
                f"use one of: {known}, or add it under [facts] in statement.toml",
            )
        )
        return []
    return _fact_tokens(name, env["facts"][name])


def _fact_tokens(name: str, value: str) -> list[Token]:
    text = Token("text", "", 0, content=value)
    if name not in FACT_LINKS:
        return [text]
    href = value if "://" in value else FACT_LINKS[name] + value  # website = "https://…" too
    opening = Token("link_open", "a", 1, attrs={"href": href})
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
        if new != 2 and token.attrGet("id"):
            errors.append(
                StatementError(
                    path,
                    line,
                    "only section headings (##) take an id",
                    "remove the {#…} from this heading",
                )
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
    if len(tokens) > 3:
        line = tokens[3].map[0] + 1 if tokens[3].map else None
        errors.append(
            StatementError(
                path,
                line,
                "text between the title and the first section",
                "put it in a section of its own: ## Heading {#id}",
            )
        )
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


def _broken_anchors(translation: Translation, anchors: list, path: Path) -> list[StatementError]:
    ids = {section.id for section in translation.sections}
    known = ", ".join(sorted(ids))
    return [
        StatementError(
            path, line, f"the link #{anchor} goes to no section", f"link to one of: {known}"
        )
        for anchor, line in anchors
        if anchor not in ids
    ]


def _mismatched_sections(translations: list[Translation]) -> list[StatementError]:
    """Every translation has the source language's sections, in the same order."""
    source, errors = translations[0], []
    expected = [section.id for section in source.sections]
    for translation in translations[1:]:
        found = [section.id for section in translation.sections]
        if found != expected:
            errors.append(_mismatch(translation, expected, found, source.path.name))
    return errors


def _mismatch(
    translation: Translation, expected: list[str], found: list[str], source: str
) -> StatementError:
    position = next(
        (i for i, (a, b) in enumerate(zip(expected, found, strict=False)) if a != b),
        min(len(expected), len(found)),
    )
    sections = translation.sections
    line = sections[position].line if position < len(sections) else None
    wanted = f"'{expected[position]}'" if position < len(expected) else "no more sections"
    got = f"'{found[position]}'" if position < len(found) else "the end of the file"
    message = f"section {position + 1} should be {wanted} as in {source}, but is {got}"
    hint = f"give {translation.path.name} the same sections, with the same ids in the same order, as {source}"
    return StatementError(translation.path, line, message, hint)


def section_fingerprints(text: str) -> dict[str, str]:
    """Each section's heading and Markdown with whitespace folded, by id, without parsing.

    Reading a long history parses only the versions it publishes; for every other commit this is
    enough to tell which sections it touched (equal fingerprints mean equal rendered text)."""
    lines = text.split("\n")
    found = []
    for number in _heading_lines(lines):
        if heading := SECTION_HEADING.fullmatch(lines[number].rstrip()):
            found.append((number, heading.group(2)))
    ends = [number for number, _ in found[1:]] + [len(lines)]
    return {
        sid: " ".join(" ".join(lines[start:end]).split())
        for (start, sid), end in zip(found, ends, strict=True)
    }


def _heading_lines(lines: list[str]) -> list[int]:
    """The numbers of the lines that start a `##` heading, outside fenced code."""
    candidates = [n for n, line in enumerate(lines) if line.startswith("##") and H2.match(line)]
    if not any(line.lstrip().startswith(("```", "~~~")) for line in lines):
        return candidates  # no fenced code: no need to walk every line
    fenced, outside = False, []
    for number, line in enumerate(lines):
        fenced ^= bool(FENCE.match(line.lstrip()))
        if not fenced and H2.match(line):
            outside.append(number)
    return outside
