"""mkdocs hook: expand the docgen markers (step reference, hookctl reference) while the site is built."""

from __future__ import annotations

from typing import Any

from codedeploy_hooks.cli.docgen import expand


def on_page_markdown(markdown: str, **_: Any) -> str:
    return expand(markdown)
