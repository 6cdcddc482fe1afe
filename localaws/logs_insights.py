"""CloudWatch Logs Insights as AWS runs it, over moto's stand-in.

moto completes every query the moment it starts, reports ``@timestamp`` as epoch milliseconds, and has
no StopQuery. AWS runs a query for a while (GetQueryResults answers ``Running`` meanwhile), reports
``@timestamp`` as ``2024-01-01 12:00:00.000`` (UTC), and stops a query on request. This overlay gives
moto's queries those three behaviours at botocore's call events, so polling code meets them in tests.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from localaws.botocore_io import respond


@dataclass
class SlowLogsInsights:
    """Each query answers ``Running`` to its first ``running_polls`` GetQueryResults calls."""

    running_polls: int = 2
    polls: Counter[str] = field(default_factory=Counter)  # GetQueryResults calls per query id
    stopped: list[str] = field(default_factory=list)

    def attach(self, events: Any) -> SlowLogsInsights:
        events.register("before-call.cloudwatch-logs.GetQueryResults", self._results_before)
        events.register("after-call.cloudwatch-logs.GetQueryResults", self._results_after)
        events.register("before-call.cloudwatch-logs.StopQuery", self._stop)
        return self

    @staticmethod
    def _query_id(params: dict[str, Any]) -> str:
        body = params.get("body") or b"{}"
        return str(json.loads(body.decode() if isinstance(body, bytes) else body).get("queryId", ""))

    def _results_before(self, model: Any, params: dict[str, Any], **_: Any) -> Any:
        query_id = self._query_id(params)
        self.polls[query_id] += 1
        if query_id in self.stopped:
            return respond(model, 200, {"status": "Cancelled", "results": []})
        if self.polls[query_id] <= self.running_polls:
            return respond(model, 200, {"status": "Running", "results": [], "statistics": {"recordsScanned": 0}})
        return None  # moto answers with the finished query

    @staticmethod
    def _results_after(parsed: dict[str, Any], **_: Any) -> None:
        for row in parsed.get("results", []):
            for cell in row:
                value = cell.get("value", "")
                if cell.get("field") == "@timestamp" and value.isdigit():
                    moment = datetime.fromtimestamp(int(value) / 1000, UTC)
                    cell["value"] = moment.strftime("%Y-%m-%d %H:%M:%S.") + f"{moment.microsecond // 1000:03d}"

    def _stop(self, model: Any, params: dict[str, Any], **_: Any) -> Any:
        self.stopped.append(self._query_id(params))
        return respond(model, 200, {"success": True})
