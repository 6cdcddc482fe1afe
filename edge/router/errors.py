"""The edge router's error tree (its own root: the edge package ships without the hooks' ``common``).

EdgeRouterError                root of everything the router raises on purpose
├── RouterConfigError          router-config.json (or the team file it is built from) is invalid
└── ReleaseParameterError      the release parameters in SSM are missing or invalid
"""

from __future__ import annotations


class EdgeRouterError(Exception):
    """Root of every error the edge router raises on purpose."""


class RouterConfigError(EdgeRouterError):
    """The static configuration packaged with the function is invalid."""


class ReleaseParameterError(EdgeRouterError):
    """The active-release or routable-releases parameter is missing or does not validate."""
