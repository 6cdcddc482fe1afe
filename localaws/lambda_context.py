"""A Lambda context object for running handlers outside Lambda, with time taken from a clock."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from codedeploy_hooks.common.clock import Clock


@dataclass
class FakeLambdaContext:
    function_name: str
    clock: Clock
    timeout: float = 900.0
    region: str = "us-east-1"
    account: str = "123456789012"
    memory_limit_in_mb: int = 512
    function_version: str = "$LATEST"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    started: float = field(init=False)

    def __post_init__(self) -> None:
        self.started = self.clock.now()

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:{self.region}:{self.account}:function:{self.function_name}"

    @property
    def log_group_name(self) -> str:
        return f"/aws/lambda/{self.function_name}"

    @property
    def log_stream_name(self) -> str:
        return "local"

    def get_remaining_time_in_millis(self) -> int:
        return max(int((self.started + self.timeout - self.clock.now()) * 1000), 0)
