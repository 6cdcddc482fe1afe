"""The release router that CloudFront runs at viewer-request, origin-request and origin-response.

Layers point down: ``handler`` (Lambda entry points) → ``router`` (what to do with an event) → ``cookies``
and ``releases`` (reading cookies, reading SSM) → ``config`` (value types, validation) → ``errors``.
"""
