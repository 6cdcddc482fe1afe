"""An example codedeploy-hooks plugin: one step type, ``example.http-header-check``."""

from __future__ import annotations

from hooks_plugin_example.header_check import HttpHeaderCheck

__all__ = ["HttpHeaderCheck"]
