"""``purge-queue``: purge the old stack's SQS queue, so its stale messages are not ingested later.

SQS allows one ``PurgeQueue`` per queue every 60 seconds and answers ``PurgeQueueInProgress`` inside that
window. That answer means a purge started less than a minute ago and SQS is finishing it, which is the
end state this step wants: it counts as success (a re-run after a crash, a retry, or a purge by someone
else). A missing queue has nothing to purge and succeeds as well, so the step is idempotent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from codedeploy_hooks.steps.base import Step, StepContext, StepResult

if TYPE_CHECKING:
    from collections.abc import Mapping

_COUNTS = {
    "ApproximateNumberOfMessages": "messages",
    "ApproximateNumberOfMessagesNotVisible": "in_flight",
    "ApproximateNumberOfMessagesDelayed": "delayed",
}


class PurgeQueue(Step):
    type_name = "purge-queue"
    summary = "Purge the old stack's SQS queue (a purge already in progress counts as done)"
    destructive = True
    params_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "queue": {
                "type": "string",
                "minLength": 1,
                "description": "Queue URL (https://...) or name, e.g. orders-queue-${live}-prod",
            },
        },
        "required": ["queue"],
        "additionalProperties": False,
    }

    def run(self, ctx: StepContext) -> StepResult:
        queue = str(ctx.params["queue"])
        sqs = ctx.clients("sqs")
        try:
            url = queue if queue.startswith("https://") else sqs.get_queue_url(QueueName=queue)["QueueUrl"]
            attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn", *_COUNTS])["Attributes"]
        except sqs.exceptions.QueueDoesNotExist:
            return StepResult.ok(f"queue {queue} does not exist: nothing to purge", measured={"exists": False})
        arn = attributes["QueueArn"]
        measured: dict[str, Any] = {
            "queue": url,
            **{name: int(attributes.get(key, 0)) for key, name in _COUNTS.items()},
        }
        # tags_of(arn) would look the URL up again: one call saved, same tags.
        tags = sqs.list_queue_tags(QueueUrl=url).get("Tags", {})
        measured["stack"] = ctx.guard.check(arn, tags)
        try:
            sqs.purge_queue(QueueUrl=url)
        except sqs.exceptions.QueueDoesNotExist:
            return StepResult.ok(f"queue {queue} was deleted meanwhile: nothing to purge", measured=measured)
        except sqs.exceptions.PurgeQueueInProgress:
            return StepResult.ok(
                f"queue {url} was already being purged (PurgeQueueInProgress: a purge started less than 60s ago, "
                "and SQS finishes it): counted as done",
                measured={**measured, "purge_in_progress": True},
            )
        before = measured["messages"] + measured["in_flight"] + measured["delayed"]
        return StepResult.ok(
            f"purged queue {url} (about {before} messages; SQS completes a purge within 60s)",
            measured=measured,
            changed={"purged": url, "messages_before": before},
        )

    def describe(self, params: Mapping[str, Any]) -> str:
        return f"purge SQS queue {params['queue']} (only if tagged as another stack of this service)"
