"""Python callables standing in for Lambda functions (moto runs real functions only in Docker).

``Invoke`` of a registered function is answered at botocore's ``before-call`` event, so the request is
still built and validated from Lambda's real model and the response parsed for its real output shape.
Synchronous calls get the handler's return value (or a ``FunctionError`` when it raises); asynchronous
(``Event``) calls are recorded and run at once, as Lambda would soon after.
"""

from __future__ import annotations

import json
import traceback
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from botocore.awsrequest import AWSResponse, HTTPHeaders
from botocore.parsers import create_parser

from localaws.botocore_io import RawStream

if TYPE_CHECKING:
    from collections.abc import Callable


@dataclass
class LocalFunctions:
    """Register ``name -> handler(event) -> result``; attach to a session's (or client's) event emitter."""

    handlers: dict[str, Callable[[Any], Any]] = field(default_factory=dict)
    invocations: list[tuple[str, str, Any]] = field(default_factory=list)  # (name, invocation type, payload)

    def attach(self, events: Any) -> LocalFunctions:
        events.register("before-call.lambda.Invoke", self._invoke)
        return self

    def add(self, name: str, handler: Callable[[Any], Any]) -> None:
        self.handlers[name] = handler

    def calls(self, name: str) -> list[Any]:
        return [payload for called, _, payload in self.invocations if called == name]

    def _invoke(self, model: Any, params: dict[str, Any], **_: Any) -> Any:
        name = unquote(params["url_path"].split("/functions/")[1].split("/")[0])
        name = name.rpartition(":function:")[2] or name
        name = name.split(":")[0]  # a qualifier (alias or version) still runs the same handler here
        handler = self.handlers.get(name)
        if handler is None:
            return None
        kind = params["headers"].get("X-Amz-Invocation-Type", "RequestResponse")
        body = params.get("body") or b"{}"
        payload = json.loads(body.decode() if isinstance(body, bytes) else body)
        self.invocations.append((name, kind, payload))
        headers = {"x-amzn-RequestId": "local", "X-Amz-Executed-Version": "$LATEST"}
        try:
            result = handler(payload)
        except Exception as exc:
            result = {"errorMessage": str(exc), "errorType": type(exc).__name__,
                      "stackTrace": traceback.format_exception(exc)[-3:]}  # fmt: skip
            headers["X-Amz-Function-Error"] = "Unhandled"
        status = 202 if kind == "Event" else 200
        data = b"" if kind == "Event" else json.dumps(result).encode()
        http = AWSResponse("https://local.invalid", status, HTTPHeaders.from_dict(headers), RawStream(data))
        # rest-json with a streaming payload: botocore's own parser builds StatusCode, FunctionError, Payload
        parser = create_parser(model.service_model.metadata["protocol"])
        response = {"status_code": status, "headers": HTTPHeaders.from_dict(headers), "body": RawStream(data)}
        return http, parser.parse(response, model.output_shape)
