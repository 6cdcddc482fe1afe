"""Migration steps against moto: run-migration-lambda with LocalFunctions, run-migration-task with LocalEcsTasks."""

from __future__ import annotations

import io
import json
import random
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import boto3
import fastjsonschema
import pytest
from botocore.awsrequest import AWSResponse, HTTPHeaders
from botocore.exceptions import BotoCoreError, ConnectTimeoutError, EndpointConnectionError, ReadTimeoutError
from helpers import FakeClock, World, drive, fast_retry, step_context
from moto import mock_aws

from codedeploy_hooks.common.aws import AwsClients
from codedeploy_hooks.steps import Outcome, StepContext
from codedeploy_hooks.steps.builtin.run_migration_lambda import CALL_SECONDS, INVOKE_ATTEMPTS, RunMigrationLambda
from codedeploy_hooks.steps.builtin.run_migration_task import RunMigrationTask, started_by
from codedeploy_hooks.steps.exceptions import StepError
from localaws import LocalEcsTasks, LocalFunctions
from localaws.botocore_io import RawStream, respond

DEPLOYMENT = "d-MIGRATE01"
CLUSTER = "orders-b-test"
FUNCTION = "orders-migrate-b"


@dataclass
class Aws:
    session: boto3.Session
    clock: FakeClock
    functions: LocalFunctions
    tasks: LocalEcsTasks
    subnet: str = ""
    security_group: str = ""

    def context(self, params: dict[str, Any], **fields: Any) -> StepContext:
        """``fields`` as in ``step_context`` (state, attempt, ...); 600 s left in the invocation by default."""
        fields.setdefault("time_left", lambda: 600.0)
        return step_context(
            params,
            clients=AwsClients(self.session, retry=fast_retry()),
            clock=self.clock,
            deployment_id=DEPLOYMENT,
            **fields,
        )

    def client(self, service: str) -> Any:
        return self.session.client(service)  # type: ignore[call-overload]


@pytest.fixture
def aws() -> Iterator[Aws]:
    with mock_aws():
        session = boto3.Session(region_name="us-east-1")
        clock = FakeClock()
        # attached before any client exists: botocore copies the session's handlers into each new client
        world = Aws(session, clock, LocalFunctions().attach(session.events), LocalEcsTasks(now=clock.now))
        world.tasks.attach(session.events)
        yield world


# -- run-migration-lambda -----------------------------------------------------------------------------------


def create_function(aws: Aws, name: str = FUNCTION, timeout: int = 30) -> str:
    iam = aws.client("iam")
    try:
        role = iam.get_role(RoleName="migrator")["Role"]["Arn"]
    except iam.exceptions.NoSuchEntityException:
        role = iam.create_role(RoleName="migrator", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as archive:
        archive.writestr("main.py", "def handler(event, context):\n    return {}\n")
    created = aws.client("lambda").create_function(
        FunctionName=name,
        Runtime="python3.12",
        Role=role,
        Handler="main.handler",
        Code={"ZipFile": code.getvalue()},
        Timeout=timeout,
    )
    return str(created["FunctionArn"])


LAMBDA_PARAMS: dict[str, Any] = {
    "function": FUNCTION,
    "payload": {"stack": "b", "deployment": DEPLOYMENT, "database": "orders-db-b-test"},
    "failure_field": "error",
    "success_field": "status",
    "success_value": "ok",
}


def test_run_migration_lambda_success_records_what_was_migrated(aws: Aws) -> None:
    create_function(aws)
    aws.functions.add(FUNCTION, lambda event: {"status": "ok", "migrated": ["041_orders", "042_index"], "for": event})

    result = RunMigrationLambda().run(aws.context(LAMBDA_PARAMS))

    assert result.outcome is Outcome.SUCCEEDED, result.message
    assert result.message.startswith(f"migration {FUNCTION} succeeded in ")
    assert result.message.endswith('migrated ["041_orders", "042_index"]')
    assert aws.functions.invocations == [(FUNCTION, "RequestResponse", LAMBDA_PARAMS["payload"])]
    assert result.changed == {"migrated": ["041_orders", "042_index"]}
    measured = result.measured
    assert (measured["status_code"], measured["executed_version"]) == (200, "$LATEST")
    assert measured["function_timeout_s"] == 30
    assert measured["response"]["for"] == LAMBDA_PARAMS["payload"] and measured["status"] == "ok"
    assert measured["duration_ms"] >= 0
    assert result.required == {"function_error": "none", "error": "falsy", "status": "ok"}


def test_run_migration_lambda_function_error_fails_with_its_message(aws: Aws) -> None:
    create_function(aws)

    def handler(_event: Any) -> Any:
        raise RuntimeError('relation "orders_v2" already exists')

    aws.functions.add(FUNCTION, handler)
    result = RunMigrationLambda().run(aws.context(LAMBDA_PARAMS))

    assert result.outcome is Outcome.FAILED
    assert result.message == f'migration {FUNCTION} failed: RuntimeError: relation "orders_v2" already exists'
    assert result.measured["function_error"] == "Unhandled"
    assert result.measured["error_type"] == "RuntimeError"
    assert result.measured["error_message"] == 'relation "orders_v2" already exists'
    assert result.changed == {"invoked": FUNCTION}  # it ran, and may have changed something before failing
    assert len(aws.functions.calls(FUNCTION)) == 1


def test_run_migration_lambda_failure_field_fails_with_its_value(aws: Aws) -> None:
    create_function(aws)
    aws.functions.add(FUNCTION, lambda _e: {"status": "ok", "error": "lock timeout on orders", "migrated": ["041"]})

    result = RunMigrationLambda().run(aws.context(LAMBDA_PARAMS))

    assert result.outcome is Outcome.FAILED
    assert result.message == f"migration {FUNCTION} reported failure: error = lock timeout on orders"
    assert result.measured["error"] == "lock timeout on orders"
    assert result.changed == {"migrated": ["041"]}


def test_run_migration_lambda_falsy_failure_field_and_wrong_success_value(aws: Aws) -> None:
    create_function(aws)
    aws.functions.add(FUNCTION, lambda _e: {"status": "partial", "error": None})

    result = RunMigrationLambda().run(aws.context(LAMBDA_PARAMS))

    assert result.outcome is Outcome.FAILED  # error: null passes, status does not
    assert result.message == f"migration {FUNCTION} did not report success: status is 'partial', expected 'ok'"
    assert result.changed == {"invoked": FUNCTION}


def test_run_migration_lambda_success_field_missing_from_a_non_json_answer(aws: Aws) -> None:
    create_function(aws)
    aws.functions.add(FUNCTION, lambda _e: "done")  # a bare JSON string: no fields at all

    result = RunMigrationLambda().run(
        aws.context({"function": FUNCTION, "success_field": "status", "success_value": 1})
    )

    assert result.outcome is Outcome.FAILED
    assert result.message.endswith("status is missing, expected 1")
    assert result.measured["response"] == "done"


def test_run_migration_lambda_qualified_timeout_over_90s_is_refused_before_invoking(aws: Aws) -> None:
    arn = create_function(aws, timeout=300)
    aws.functions.add(FUNCTION, lambda _e: {"status": "ok"})

    result = RunMigrationLambda().run(aws.context({**LAMBDA_PARAMS, "function": arn}))

    assert result.outcome is Outcome.FAILED
    assert f"{arn} has a timeout of 300s, over the 90s" in result.message
    assert "run-migration-task" in result.message
    assert result.measured == {"function_timeout_s": 300}
    assert result.required["function_timeout_s"] == "<= 90"
    assert aws.functions.invocations == []  # nothing ran

    # the timeout is read on every call, never cached: lowering it lets the next run invoke
    aws.client("lambda").update_function_configuration(FunctionName=FUNCTION, Timeout=60)
    again = RunMigrationLambda().run(aws.context({**LAMBDA_PARAMS, "function": arn}))
    assert again.outcome is Outcome.SUCCEEDED and again.measured["function_timeout_s"] == 60
    assert len(aws.functions.invocations) == 1


def test_run_migration_lambda_short_invocation_time_continues_in_a_fresh_one(aws: Aws) -> None:
    create_function(aws, timeout=60)  # may need 60 + 15 + 5 = 80 s
    aws.functions.add(FUNCTION, lambda _e: {"status": "ok"})

    deferred = RunMigrationLambda().run(aws.context(LAMBDA_PARAMS, time_left=lambda: 50.0))
    assert deferred.outcome is Outcome.IN_PROGRESS
    assert deferred.state == {"deferred": True} and deferred.wait == 50.0
    assert aws.functions.invocations == []

    fresh = RunMigrationLambda().run(aws.context(LAMBDA_PARAMS, state=deferred.state, time_left=lambda: 850.0))
    assert fresh.outcome is Outcome.SUCCEEDED and len(aws.functions.invocations) == 1

    hopeless = RunMigrationLambda().run(aws.context(LAMBDA_PARAMS, state=deferred.state, time_left=lambda: 50.0))
    assert hopeless.outcome is Outcome.FAILED
    assert "raise the hook function's timeout" in hopeless.message
    assert len(aws.functions.invocations) == 1


def test_run_migration_lambda_invoke_is_never_retried(aws: Aws) -> None:
    create_function(aws)
    aws.functions.add(FUNCTION, lambda _e: {"status": "ok"})
    attempts: list[str] = []

    def lost(model: Any, **_: Any) -> Any:  # a 5xx after which the migration may or may not have run
        attempts.append(model.name)
        http = AWSResponse("https://local.invalid", 500, HTTPHeaders(), RawStream(b""))
        error = {"Code": "ServiceException", "Message": "internal error"}
        return http, {"Error": error, "ResponseMetadata": {"HTTPStatusCode": 500}}

    aws.session.events.register_first("before-call.lambda.Invoke", lost)
    result = RunMigrationLambda().run(aws.context(LAMBDA_PARAMS))

    assert attempts == ["Invoke"]  # neither botocore nor the retrying client tried again
    assert result.outcome is Outcome.FAILED
    assert result.message.startswith(f"invoking {FUNCTION} failed: ServiceException: internal error")
    assert "not retried" in result.message


class RefusedInvokes:
    """Lambda refusing a share of ``Invoke`` calls before the function receives them (429 TooManyRequests).

    Registered first at ``before-call``, so a refused invoke never reaches the function stand-in.
    ``pattern`` refuses the calls it marks True, in order; past it, ``rate`` decides (seeded).
    """

    def __init__(self, pattern: tuple[bool, ...] = (), rate: float = 0.0, seed: int = 5) -> None:
        self.pattern, self.rate, self.random = list(pattern), rate, random.Random(seed)
        self.attempts = self.refused = 0

    def attach(self, events: Any) -> RefusedInvokes:
        events.register_first("before-call.lambda.Invoke", self._before)
        return self

    def _before(self, model: Any, **_: Any) -> Any:
        self.attempts += 1
        refuse = self.pattern.pop(0) if self.pattern else self.random.random() < self.rate
        if not refuse:
            return None
        self.refused += 1
        body = {"__type": "TooManyRequestsException", "message": "Rate Exceeded.", "Type": "User",
                "Reason": "ConcurrentInvocationLimitExceeded"}  # fmt: skip
        return respond(model, 429, body)


def test_run_migration_lambda_throttled_invoke_is_retried_and_runs_once(aws: Aws) -> None:
    create_function(aws)
    aws.functions.add(FUNCTION, lambda _e: {"status": "ok", "migrated": ["041"]})
    refusals = RefusedInvokes(pattern=(True, True, True)).attach(aws.session.events)
    start = aws.clock.now()

    result = RunMigrationLambda().run(aws.context(LAMBDA_PARAMS))

    assert result.outcome is Outcome.SUCCEEDED, result.message
    assert (refusals.attempts, refusals.refused) == (4, 3)
    assert aws.functions.calls(FUNCTION) == [LAMBDA_PARAMS["payload"]]  # the migration ran exactly once
    assert result.measured["refused_invokes"] == 3 and result.changed == {"migrated": ["041"]}
    assert len(aws.clock.slept) == 3 and all(0 <= s <= 2.0 for s in aws.clock.slept)  # backoff: <= 0.5, 1, 2 s
    assert aws.clock.now() - start < CALL_SECONDS


@pytest.mark.parametrize("error", [EndpointConnectionError, ConnectTimeoutError])
def test_run_migration_lambda_unsent_invoke_is_retried_and_runs_once(aws: Aws, error: type[BotoCoreError]) -> None:
    create_function(aws)
    aws.functions.add(FUNCTION, lambda _e: {"status": "ok"})
    attempts: list[str] = []

    def unreachable(model: Any, **_: Any) -> None:  # no connection: not a byte of the request was sent
        attempts.append(model.name)
        if len(attempts) <= 2:
            raise error(endpoint_url="https://lambda.us-east-1.amazonaws.com", error="connection refused")

    aws.session.events.register_first("before-call.lambda.Invoke", unreachable)
    result = RunMigrationLambda().run(aws.context(LAMBDA_PARAMS))

    assert result.outcome is Outcome.SUCCEEDED, result.message
    assert attempts == ["Invoke"] * 3 and len(aws.functions.calls(FUNCTION)) == 1
    assert result.measured["refused_invokes"] == 2


def test_run_migration_lambda_read_timeout_is_not_retried(aws: Aws) -> None:
    create_function(aws)
    aws.functions.add(FUNCTION, lambda _e: {"status": "ok"})

    def timed_out(**_: Any) -> None:  # the request went out and the function ran; its answer never came back
        raise ReadTimeoutError(endpoint_url="https://lambda.us-east-1.amazonaws.com")

    aws.session.events.register("after-call.lambda.Invoke", timed_out)
    result = RunMigrationLambda().run(aws.context(LAMBDA_PARAMS))

    assert result.outcome is Outcome.FAILED
    assert result.message.startswith(f"invoking {FUNCTION} failed: ReadTimeoutError: Read timeout on endpoint")
    assert "not retried" in result.message and result.changed == {"invoked": FUNCTION}
    assert len(aws.functions.calls(FUNCTION)) == 1 and aws.clock.slept == []


def test_run_migration_lambda_refused_every_time_fails_without_running(aws: Aws) -> None:
    create_function(aws)
    aws.functions.add(FUNCTION, lambda _e: {"status": "ok"})
    refusals = RefusedInvokes(rate=1.0).attach(aws.session.events)

    result = RunMigrationLambda().run(aws.context(LAMBDA_PARAMS))

    assert result.outcome is Outcome.FAILED
    assert result.message == (
        f"{FUNCTION} was not invoked: refused {INVOKE_ATTEMPTS} times, last with TooManyRequestsException: "
        "Rate Exceeded.; the migration did not run"
    )
    assert refusals.attempts == INVOKE_ATTEMPTS and aws.functions.invocations == []
    assert result.changed == {} and result.measured["refused_invokes"] == INVOKE_ATTEMPTS


def test_run_migration_lambda_retry_that_does_not_fit_the_call_continues_in_the_next(aws: Aws) -> None:
    create_function(aws, timeout=90)  # one invoke may take 90 + 15 + 5 = 110 s: no retry fits in a 100 s call
    aws.functions.add(FUNCTION, lambda _e: {"status": "ok"})
    refusals = RefusedInvokes(pattern=(True, True)).attach(aws.session.events)

    final, results = drive(RunMigrationLambda(), aws.context(LAMBDA_PARAMS), aws.clock)

    assert [r.outcome for r in results] == [Outcome.IN_PROGRESS, Outcome.IN_PROGRESS, Outcome.SUCCEEDED]
    assert [r.state for r in results[:2]] == [{"refused": 1}, {"refused": 2}]
    assert results[0].message == f"{FUNCTION} not invoked yet (TooManyRequestsException: Rate Exceeded.); trying again"
    assert all(0 <= r.wait <= 1.0 for r in results[:2])  # the backoff, waited out by the runner between calls
    assert refusals.attempts == 3 and len(aws.functions.calls(FUNCTION)) == 1
    assert final.measured["refused_invokes"] == 2


def test_run_migration_lambda_unknown_function_fails_clearly(aws: Aws) -> None:
    # a StepError: the runner records its message as the step's failure
    with pytest.raises(StepError, match=r"^cannot read the configuration of orders-migrate-x: ResourceNotFoundExc"):
        RunMigrationLambda().run(aws.context({"function": "orders-migrate-x"}))


def test_run_migration_lambda_params_and_describe() -> None:
    schema = fastjsonschema.compile(RunMigrationLambda.params_schema)
    with pytest.raises(fastjsonschema.JsonSchemaValueException):
        schema({"function": FUNCTION, "success_field": "status"})  # success_value is required with it
    with pytest.raises(fastjsonschema.JsonSchemaValueException):
        schema({"function": FUNCTION, "qualifier": "live:1"})
    assert schema({"function": FUNCTION, "success_field": "status", "success_value": "ok"})
    assert RunMigrationLambda().describe({**LAMBDA_PARAMS, "qualifier": "live"}) == (
        f'invoke {FUNCTION}:live synchronously with {{"database": "orders-db-b-test", "deployment": "{DEPLOYMENT}", '
        '"stack": "b"} (timeout must be <= 90s) and require no function error and error is not set and '
        "status == 'ok'"
    )


# -- run-migration-task -------------------------------------------------------------------------------------


def create_cluster(aws: Aws, *, sidecar: bool = False) -> None:
    ec2 = aws.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})  # moto's awsvpc tasks need it
    aws.subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.20.1.0/24")["Subnet"]["SubnetId"]
    aws.security_group = ec2.create_security_group(GroupName="migrate", Description="m", VpcId=vpc)["GroupId"]
    ecs = aws.client("ecs")
    ecs.create_cluster(clusterName=CLUSTER)
    containers = [{"name": "migrate", "image": "orders:42", "essential": True, "memory": 512}]
    if sidecar:
        containers.append({"name": "log-router", "image": "fluent-bit", "essential": False, "memory": 64})
    ecs.register_task_definition(
        family="orders-migrate",
        networkMode="awsvpc",
        requiresCompatibilities=["FARGATE"],
        cpu="256",
        memory="1024",
        containerDefinitions=containers,
    )


def task_params(aws: Aws, **extra: Any) -> dict[str, Any]:
    return {
        "cluster": CLUSTER,
        "task_definition": "orders-migrate",
        "launch_type": "FARGATE",
        "network_configuration": {"subnets": [aws.subnet], "security_groups": [aws.security_group]},
        "overrides": {
            "container": "migrate",
            "command": ["migrate", "up"],
            "environment": {"DB_CLUSTER": "orders-db-b-test"},
        },
        "interval": 10,
        **extra,
    }


def listed(aws: Aws, status: str) -> list[str]:
    return list(aws.client("ecs").list_tasks(cluster=CLUSTER, desiredStatus=status)["taskArns"])


def test_run_migration_task_succeeds_across_several_polls(aws: Aws) -> None:
    create_cluster(aws)
    aws.tasks.finish_after(polls=2, exit_code=0)
    start = aws.clock.now()

    final, results = drive(RunMigrationTask(), aws.context(task_params(aws)), aws.clock)

    assert [r.outcome for r in results] == [Outcome.IN_PROGRESS] * 3 + [Outcome.SUCCEEDED]
    arn = results[0].state["task_arn"]
    assert results[0].message == f"started migration task {arn.rsplit('/', 1)[-1]}"
    assert results[0].state == {"task_arn": arn, "started_at": start, "polls": 0}
    assert results[0].changed == {"task_arn": arn}
    assert [r.state.get("polls") for r in results[1:3]] == [1, 2]
    assert results[1].message.endswith("is RUNNING") and all(r.wait == 10 for r in results[:3])
    assert final.message == f"migration task {arn.rsplit('/', 1)[-1]} succeeded in 30s (exit code 0 from migrate)"
    assert final.measured["exit_codes"] == {"migrate": 0}
    assert final.measured["duration_s"] == 30.0 and final.measured["polls"] == 3
    assert final.required == {"exit_code": 0, "containers": ["migrate"]}
    assert final.changed == {"task_arn": arn}
    # what moto holds: one stopped task, started with this step's token and overrides
    assert (listed(aws, "RUNNING"), listed(aws, "STOPPED")) == ([], [arn])
    task = aws.client("ecs").describe_tasks(cluster=CLUSTER, tasks=[arn])["tasks"][0]
    assert task["startedBy"] == started_by(aws.context(task_params(aws)), 1)
    assert task["overrides"]["containerOverrides"][0]["command"] == ["migrate", "up"]
    assert task["overrides"]["containerOverrides"][0]["environment"] == [
        {"name": "DB_CLUSTER", "value": "orders-db-b-test"}
    ]


def test_run_migration_task_rerun_without_state_finds_the_task_it_started(aws: Aws) -> None:
    create_cluster(aws)
    aws.tasks.finish_after(polls=1, exit_code=0)
    ctx = aws.context(task_params(aws))

    first = RunMigrationTask().run(ctx)
    # the hook died after RunTask, before the checkpoint: the step is called again without state
    crashed = RunMigrationTask().run(ctx)

    arn = first.state["task_arn"]
    assert crashed.outcome is Outcome.IN_PROGRESS and crashed.state["task_arn"] == arn
    assert crashed.message == f"found migration task {arn.rsplit('/', 1)[-1]} started earlier"
    assert crashed.measured["found_running"] is True
    assert aws.tasks.started == [arn] and listed(aws, "RUNNING") == [arn]

    final, _ = drive(RunMigrationTask(), replace(ctx, state=crashed.state), aws.clock)
    assert final.outcome is Outcome.SUCCEEDED
    # and once more after it stopped (a crash between the last poll and its checkpoint): still the same task
    after = RunMigrationTask().run(ctx)
    assert after.state["task_arn"] == arn
    assert RunMigrationTask().run(replace(ctx, state=after.state)).outcome is Outcome.SUCCEEDED
    assert aws.tasks.started == [arn] and listed(aws, "STOPPED") == [arn] and listed(aws, "RUNNING") == []


def test_run_migration_task_nonzero_exit_fails_with_the_stop_reason(aws: Aws) -> None:
    create_cluster(aws)
    aws.tasks.finish_after(polls=1, exit_code=3, container_reason="migration 042 failed: duplicate key")

    final, results = drive(RunMigrationTask(), aws.context(task_params(aws)), aws.clock)

    arn = results[0].state["task_arn"]
    assert final.outcome is Outcome.FAILED
    assert final.message == (
        f"migration task {arn.rsplit('/', 1)[-1]} failed: container migrate exited with 3 "
        "(migration 042 failed: duplicate key); task stopped: Essential container in task exited"
    )
    assert final.measured["exit_codes"] == {"migrate": 3}
    assert final.measured["stopped_reason"] == "Essential container in task exited"
    assert final.measured["stop_code"] == "EssentialContainerExited"
    assert final.measured["container_reasons"] == {"migrate": "migration 042 failed: duplicate key"}
    assert final.changed == {"task_arn": arn}


def test_run_migration_task_that_never_started_has_no_exit_code_and_fails(aws: Aws) -> None:
    create_cluster(aws)
    reason = "CannotPullContainerError: pull image manifest has been retried 7 time(s)"
    aws.tasks.finish_after(polls=0, exit_code=None, reason=reason, container_reason="CannotPullContainerError")

    final, results = drive(RunMigrationTask(), aws.context(task_params(aws)), aws.clock)

    assert len(results) == 2 and final.outcome is Outcome.FAILED
    assert final.message.endswith(
        f"container migrate has no exit code (CannotPullContainerError); task stopped: {reason}"
    )
    assert final.measured["exit_codes"] == {"migrate": None}
    assert final.measured["stop_code"] == "TaskFailedToStart"


def test_run_migration_task_run_task_failures_fail_clearly(aws: Aws) -> None:
    create_cluster(aws)
    aws.tasks.refuse("RESOURCE:MEMORY", detail="not enough memory in the capacity provider")

    result = RunMigrationTask().run(aws.context(task_params(aws)))

    assert result.outcome is Outcome.FAILED
    assert result.message == (
        f"RunTask started no migration task of orders-migrate on cluster {CLUSTER}: "
        "RESOURCE:MEMORY not enough memory in the capacity provider"
    )
    assert result.measured == {
        "failures": [{"reason": "RESOURCE:MEMORY", "detail": "not enough memory in the capacity provider"}]
    }
    assert aws.tasks.started == [] and listed(aws, "RUNNING") == [] and listed(aws, "STOPPED") == []


def test_run_migration_task_decides_by_essential_containers_or_the_named_one(aws: Aws) -> None:
    create_cluster(aws, sidecar=True)
    # the log router is killed when the migration ends (137); it is not essential, so it does not decide
    aws.tasks.finish_after(polls=0, exit_code=0, containers={"migrate": 0, "log-router": 137})

    by_default, _ = drive(RunMigrationTask(), aws.context(task_params(aws)), aws.clock)
    assert by_default.outcome is Outcome.SUCCEEDED, by_default.message
    assert by_default.measured["exit_codes"] == {"migrate": 0, "log-router": 137}
    assert by_default.required["containers"] == ["migrate"]

    named, _ = drive(RunMigrationTask(), aws.context(task_params(aws, container="log-router")), aws.clock)
    assert named.outcome is Outcome.FAILED
    assert "container log-router exited with 137" in named.message

    missing, _ = drive(RunMigrationTask(), aws.context(task_params(aws, container="web")), aws.clock)
    assert missing.outcome is Outcome.FAILED
    assert "has no container 'web' (containers: migrate, log-router)" in missing.message


def test_run_migration_task_retry_waits_for_the_previous_attempts_task(aws: Aws) -> None:
    create_cluster(aws)
    aws.tasks.finish_after(polls=1, exit_code=0)
    first = RunMigrationTask().run(aws.context(task_params(aws)))  # attempt 1's task, still running

    retry = aws.context(task_params(aws), attempt=2)
    waiting = RunMigrationTask().run(retry)
    assert waiting.outcome is Outcome.IN_PROGRESS and waiting.state == {}
    assert waiting.message.startswith("waiting for migration task ") and "of attempt 1 to stop" in waiting.message
    assert aws.tasks.started == [first.state["task_arn"]]

    RunMigrationTask().run(aws.context(task_params(aws), state=first.state))  # polls: attempt 1's task stops
    RunMigrationTask().run(aws.context(task_params(aws), state=first.state))
    final, results = drive(RunMigrationTask(), retry, aws.clock)
    assert final.outcome is Outcome.SUCCEEDED
    assert len(aws.tasks.started) == 2 and results[0].state["task_arn"] == aws.tasks.started[1]
    assert started_by(retry, 2) != started_by(retry, 1)


def test_run_migration_task_unknown_cluster_fails_with_context(aws: Aws) -> None:
    create_cluster(aws)
    with pytest.raises(StepError, match=r"on cluster nope: ListTasks failed: ClusterNotFoundException"):
        RunMigrationTask().run(aws.context(task_params(aws, cluster="nope")))


def test_run_migration_task_params_and_describe() -> None:
    schema = fastjsonschema.compile(RunMigrationTask.params_schema)
    base = {"cluster": CLUSTER, "task_definition": "orders-migrate"}
    with pytest.raises(fastjsonschema.JsonSchemaValueException):
        schema({**base, "launch_type": "FARGATE", "capacity_provider_strategy": [{"capacity_provider": "FARGATE"}]})
    with pytest.raises(fastjsonschema.JsonSchemaValueException):
        schema({**base, "overrides": {"command": ["migrate"]}})  # which container?
    assert schema({**base, "capacity_provider_strategy": [{"capacity_provider": "FARGATE_SPOT", "weight": 1}]})
    params = {
        **base,
        "capacity_provider_strategy": [{"capacity_provider": "FARGATE_SPOT"}],
        "overrides": {"container": "migrate", "command": ["migrate", "up"], "environment": {"DB": "x"}},
    }
    assert RunMigrationTask().describe(params) == (
        f"run task orders-migrate on cluster {CLUSTER} (capacity providers FARGATE_SPOT, migrate running "
        "'migrate up' with DB set) and require exit code 0 from every essential container, polling every 15s"
    )


def test_started_by_token_fits_ecs_limits(aws: Aws) -> None:
    ctx = aws.context({"cluster": CLUSTER, "task_definition": "orders-migrate"})
    token = started_by(replace(ctx, deployment=replace(ctx.deployment, deployment_id="exec:" + "x" * 80)), 12)
    assert len(token) <= 36 and token.replace("-", "").replace("_", "").isalnum()
    assert started_by(ctx, 1) == started_by(ctx, 1) != started_by(replace(ctx, event="AfterInstall"), 1)


# -- through the hook runner --------------------------------------------------------------------------------


def test_run_migration_task_in_before_install_fails_the_deployment(world: World) -> None:
    tasks = LocalEcsTasks(now=world.clock.now).attach(world.session.events)  # before the hooks' ECS client exists
    tasks.finish_after(polls=2, exit_code=1, container_reason="migration 007 failed")
    aws = Aws(world.session, world.clock, LocalFunctions(), tasks)
    create_cluster(aws)
    params = task_params(aws)
    params["overrides"]["environment"] = {"DB_CLUSTER": "orders-db-${target}-test"}
    world.register(
        {
            "service": "orders",
            "application": "orders-app",
            "deployment_group": "orders-dg",
            "platform": "ECS",
            "hooks": {"BeforeInstall": [{"type": "run-migration-task", "name": "migrate", "params": params}]},
        }
    )

    run = world.deploy()

    assert run.failed_event == "BeforeInstall"
    record = world.runs(run.deployment_id)["BeforeInstall"]
    step = record.steps[0]
    assert step.status == "FAILED" and step.calls == 4  # start, two polls that see it running, the stop
    assert "container migrate exited with 1 (migration 007 failed)" in record.reason
    assert step.measured["exit_codes"] == {"migrate": 1} and step.changed == {"task_arn": tasks.started[0]}
    task = world.session.client("ecs").describe_tasks(cluster=CLUSTER, tasks=tasks.started)["tasks"][0]
    environment = task["overrides"]["containerOverrides"][0]["environment"]
    assert environment == [{"name": "DB_CLUSTER", "value": "orders-db-b-test"}]  # ${target} resolved
    assert len(tasks.started) == 1
    assert json.dumps(step.measured)  # stored as JSON in the run record


def test_run_migration_lambda_readme_plan_survives_throttled_invokes(world: World) -> None:
    # The README's run-migration-lambda example as written (no ``retry``), with a fifth of invokes throttled.
    functions = LocalFunctions().attach(world.session.events)
    refusals = RefusedInvokes(rate=0.2, seed=4).attach(world.session.events)
    aws = Aws(world.session, world.clock, functions, LocalEcsTasks(now=world.clock.now))
    create_function(aws, "orders-migrate-b-test")
    functions.add("orders-migrate-b-test", lambda event: {"status": "ok", "migrated": [event["deployment"]]})
    step = {
        "name": "migrate-small",
        "type": "run-migration-lambda",
        "params": {
            "function": "orders-migrate-${target}-${var.env}",
            "payload": {"database": "orders-db-${target}-${var.env}", "deployment": "${deployment.id}"},
            "failure_field": "error",
            "success_field": "status",
            "success_value": "ok",
        },
    }
    world.register(
        {
            "service": "orders",
            "application": "orders-app",
            "deployment_group": "orders-dg",
            "platform": "ECS",
            "variables": {"env": "test"},
            "hooks": {"BeforeInstall": [step]},
        }
    )

    runs = [world.deploy() for _ in range(12)]

    assert [run.status for run in runs] == ["Succeeded"] * 12
    assert refusals.refused >= 4, refusals.refused  # this seed: 5 throttled invokes, two in a row once
    ran = [event["deployment"] for event in functions.calls("orders-migrate-b-test")]
    assert ran == [run.deployment_id for run in runs]  # each deployment's migration ran exactly once
    records = [world.runs(run.deployment_id)["BeforeInstall"].steps[0] for run in runs]
    assert sum(int(r.measured["refused_invokes"]) for r in records) == refusals.refused
