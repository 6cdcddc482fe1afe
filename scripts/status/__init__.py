"""What ``hookctl status``, ``plan`` and ``history`` show: documents (the ``--json`` output), their text, and
``--watch``. The reads behind them are the registry's (``Registry``, ``RunLedger``)."""
