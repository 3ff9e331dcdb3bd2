"""Jinja2 as the pages use it, set up in one place: the environment's settings, and each template
parsed once in a process, both for its messages (i18n.py checks the catalogs against them) and
for its code (render.py renders it). A cold build parses every template once, not once to find
its words and again to compile it; the preview, which builds again on every save, parses and
compiles again only a template that changed."""

from __future__ import annotations

import traceback
from collections.abc import Sequence
from pathlib import Path

from jinja2 import (
    BytecodeCache,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateSyntaxError,
    nodes,
)
from jinja2.bccache import Bucket

from . import defaults
from .errors import StatementError

WORDED = ("html", "xml")  # the templates that hold words; the others are stylesheets and fonts


class _Compiled(BytecodeCache):
    """Each template's code, compiled once in a process, from the tree `parsed` made of it when
    there is one. Jinja checks the code and the tree against their source's hash: an edited
    template is parsed and compiled again."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}
        self.trees: dict[str, tuple[str, nodes.Template]] = {}  # key -> (source's hash, tree)

    def load_bytecode(self, bucket: Bucket) -> None:
        if (code := self.code.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()

    def get_bucket(
        self, environment: Environment, name: str, filename: str | None, source: str
    ) -> Bucket:
        bucket = super().get_bucket(environment, name, filename, source)
        checksum, tree = self.trees.get(bucket.key, (None, None))
        if bucket.code is None and checksum == bucket.checksum:
            bucket.code = environment.compile(tree, name, filename)
            self.set_bucket(bucket)
        return bucket

    def tree(self, environment: Environment, name: str, filename: str, source: str):
        """The template parsed, or as it was parsed before if its source is the same."""
        key, checksum = self.get_cache_key(name, filename), self.get_source_checksum(source)
        kept, tree = self.trees.get(key, (None, None))
        if kept != checksum:
            tree = environment.parse(source, name, filename)
            self.trees[key] = (checksum, tree)
        return tree


COMPILED = _Compiled()


def environment(templates: Path | Sequence[Path]) -> Environment:
    """The pages' environment: of several template folders, the first that has a template of the
    name gives it. render.py adds each language's words to it."""
    env = Environment(
        loader=FileSystemLoader(defaults.as_folders(templates)),
        bytecode_cache=COMPILED,
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.policies["ext.i18n.trimmed"] = True
    # As render.py installs its gettext: set before any template is parsed, for the i18n
    # extension parses {% trans %} by it, and the trees `parsed` makes are compiled as they are.
    env.newstyle_gettext = True
    return env


def problem(error: TemplateError, name: str) -> StatementError:
    """A template that does not parse or render, said at its line. A mistake found while
    rendering carries no line of its own: the template's frame in its traceback has it."""
    path, line = getattr(error, "filename", None), getattr(error, "lineno", None)
    if path is None:
        frames = traceback.extract_tb(error.__traceback__)
        found = [f for f in frames if f.filename.endswith(tuple(f".{w}" for w in WORDED))]
        path, line = (found[-1].filename, found[-1].lineno) if found else (name, None)
    what = "cannot be read" if isinstance(error, TemplateSyntaxError) else "fails as a page is made"
    message = f"the template {what}: {getattr(error, 'message', None) or error}"
    hint = "mend it (a Jinja2 template), or delete it from templates/ to use the built-in one"
    return StatementError(path, line, message, hint, kind="template")


def parsed(templates: Path | Sequence[Path]) -> dict[str, nodes.Template]:
    """Every template that holds words (of several folders, the first one's of each name),
    parsed as the pages' environment parses it, and kept for compiling it. One that does not
    parse is left out, as babel leaves it out of a catalog: rendering it says what is wrong."""
    env = environment(templates)
    found = {}
    for name in env.list_templates(extensions=WORDED):
        source, filename, _ = env.loader.get_source(env, name)
        try:
            found[name] = COMPILED.tree(env, name, filename, source)
        except TemplateSyntaxError:
            continue
    return found
