"""Article bodies: Markdown rendered safely — raw HTML is escaped (markdown-it-py with html off),
and markdown-it's link validation refuses javascript:/vbscript:/file:/data: URLs."""
import functools
import re

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt


@functools.cache
def _md() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def render(body: str) -> SafeString:
    return mark_safe(_md().render(body or ""))  # noqa: S308 — html disabled: the source's HTML is escaped


def plain(body: str) -> str:
    """The text of a Markdown body (for snippets): markup characters dropped."""
    return re.sub(r"[#*_`>|\[\]()!-]+", " ", body or "")
