"""Read a resource's tags by ARN, one call, whatever service it belongs to; for the guard."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from codedeploy_hooks.steps.exceptions import StepError

if TYPE_CHECKING:
    from codedeploy_hooks.common.aws import AwsClients


def tags_of(clients: AwsClients, arn: str) -> dict[str, str]:
    """The tags of ``arn`` as a dict. Raises ``StepError`` naming the resource when they cannot be read."""
    try:
        return _read(clients, arn)
    except ClientError as exc:
        error = exc.response.get("Error", {})
        raise StepError(
            f"cannot read the tags of {arn} (the guard needs them): {error.get('Code')}: {error.get('Message')}"
        ) from exc


def _read(clients: AwsClients, arn: str) -> dict[str, str]:
    parts = arn.split(":", 5)
    if len(parts) < 6 or parts[0] != "arn":
        raise StepError(f"{arn!r} is not an ARN")
    service, region, account, resource = parts[2], parts[3], parts[4], parts[5]
    if service == "sqs":
        client = clients("sqs")
        url = client.get_queue_url(QueueName=resource, QueueOwnerAWSAccountId=account)["QueueUrl"]
        return dict(client.list_queue_tags(QueueUrl=url).get("Tags", {}))
    if service == "rds":
        return _pairs(clients("rds").list_tags_for_resource(ResourceName=arn).get("TagList", []))
    if service == "dynamodb":
        table_arn = arn.split("/stream/", maxsplit=1)[0]  # a stream is tagged through its table
        return _pairs(clients("dynamodb").list_tags_of_resource(ResourceArn=table_arn).get("Tags", []))
    if service == "lambda":
        # a qualified function ARN (version or alias) is tagged through its function
        function_arn = ":".join([*parts[:5], *resource.split(":")[:2]]) if resource.startswith("function:") else arn
        return dict(clients("lambda").list_tags(Resource=function_arn).get("Tags", {}))
    if service == "events":
        return _pairs(clients("events").list_tags_for_resource(ResourceARN=arn).get("Tags", []))
    if service == "sns":
        return _pairs(clients("sns").list_tags_for_resource(ResourceArn=arn).get("Tags", []))
    if service == "kinesis":
        name = resource.split("/", 1)[1].split("/")[0]
        return _pairs(clients("kinesis").list_tags_for_stream(StreamName=name).get("Tags", []))
    if service == "ecs":
        return _pairs(clients("ecs").list_tags_for_resource(resourceArn=arn).get("tags", []))
    raise StepError(f"cannot read tags of {arn!r} (service {service!r} in {region}): not supported by the guard")


def _pairs(tags: list[dict[str, Any]]) -> dict[str, str]:
    return {str(t.get("Key", t.get("key"))): str(t.get("Value", t.get("value"))) for t in tags}
