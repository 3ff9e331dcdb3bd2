"""The renderer's links between the site's own files."""

from __future__ import annotations

import posixpath

from hypothesis import given
from hypothesis import strategies as st

from generator.render import url

segment = st.sampled_from(["nl", "en", "2021-02-23", "changes", "changelog", "fonts"])
page = st.builds(
    lambda folders, name: "/".join([*folders, name]),
    st.lists(segment, max_size=3),
    st.sampled_from(["index.html", "feed.xml", "style.css", "a.pdf"]),
)


@given(page, page)
def test_a_link_leads_where_relpath_says(from_path: str, to_path: str) -> None:
    link = url(from_path, to_path)
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(from_path), link))
    target = to_path.removesuffix("index.html").rstrip("/") or "."
    assert resolved == posixpath.normpath(target)
    assert link.endswith("/") == to_path.endswith("index.html")
