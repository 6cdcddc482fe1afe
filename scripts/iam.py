"""What each built-in step needs from IAM, and how template.yaml scopes it so one stack serves many services.

It lives with the CLI, not the steps: only the docs and the template's tests read it, so the hooks' artifact
does not carry it.

One record per step type: the template policy (``family``) that grants it and, per statement (``sid``), the
actions, how they are scoped and why. ``tests/unit/test_template_iam.py`` holds this module and template.yaml
to each other (same statements, same actions, same scoping) and the docs render it, so the three cannot drift.

How a statement is scoped, strongest first:

* ``tags``: attribute-based access control on the tags the guard checks. The resource must carry the
  ``service`` tag and, for anything destructive, the ``stack`` tag too (``aws:ResourceTag/...`` not null).
  One role serves every service, so IAM cannot know which service a deployment is for: it keeps the hooks
  off everything not tagged for blue/green, and the guard then checks the values (this service, the
  replaceable stack).
* ``prefixes``: the action takes no tag condition for that resource, or the resource is another team's
  (an upstream topic): the template's ``ServiceNamePrefixes`` (or ``LiveLabelParameterPath`` for the
  live-label mirror) names what it may reach, in this account only (``aws:ResourceAccount``).
* ``account``: read-only actions on this account's resources of one type (the guard must read the tags of
  what it refuses, and an untagged resource is exactly what it refuses).
* ``none``: IAM gives the action no resource type, so ``"*"`` is the only resource that works; ``why``
  says what scopes it instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Scope = Literal["tags", "prefixes", "account", "none"]

#: the tag keys the template's conditions name (IAM condition keys cannot come from a parameter): the
#: guard's default ``guards.service_tag`` / ``guards.stack_tag``
SERVICE_TAG = "service"
STACK_TAG = "stack"


@dataclass(frozen=True)
class Grant:
    """One statement of a step family's policy: what it allows, how it is scoped, and why."""

    sid: str
    actions: tuple[str, ...]
    scope: Scope
    why: str
    destructive: bool = False  # changes or removes what a stack runs on: must carry both tag conditions


@dataclass(frozen=True)
class StepIam:
    """A step type's IAM needs: the template policy resource that grants them, and its statements."""

    step_type: str
    family: str | None  # template.yaml resource; None: no AWS call beyond the base role (registry, CodeDeploy)
    grants: tuple[Grant, ...]

    @property
    def actions(self) -> frozenset[str]:
        return frozenset(a for g in self.grants for a in g.actions)


_TAGGED = "only resources tagged with both the service and the stack key; the guard checks the values"
_MIGRATION = (
    "invokes the migration function / runs the task definition, tagged with the service key (a migration "
    "serves the service, often both stacks: no stack tag is required)"
)
_READS = "describes the resource and reads its tags for the guard (read-only)"

_CAPACITY = (
    Grant(
        "ReadCapacity",
        (
            "rds:DescribeDBClusters",
            "rds:DescribeDBInstances",
            "dynamodb:DescribeTable",
            "dynamodb:ListTagsOfResource",
            "ecs:DescribeServices",
            "ecs:ListTagsForResource",
        ),
        "account",
        "reads both stacks' capacity and the tags restore-capacity's guard checks before lowering it",
    ),
    Grant(
        "SetCapacity",
        ("rds:ModifyDBCluster", "dynamodb:UpdateTable", "ecs:UpdateService"),
        "tags",
        f"Serverless v2 minimum, DynamoDB throughput, ECS desiredCount: {_TAGGED}",
        destructive=True,
    ),
    Grant(
        "ReadScalableTargetsAndCapacityMetric",
        ("application-autoscaling:DescribeScalableTargets", "cloudwatch:GetMetricStatistics"),
        "none",
        "no resource type (read-only); the steps ask only for the targets of the resources they were given",
    ),
    Grant(
        "SetScalableTargetMinimum",
        ("application-autoscaling:RegisterScalableTarget",),
        "tags",
        "a scalable target's ARN ends in a random id: its own tags (targets registered before 2023-03-20 have "
        "none until registered again) and only the scalable dimensions the steps set",
        destructive=True,
    ),
    Grant(
        "AuroraAutoScalingPermissionProbes",
        ("rds:CreateDBInstance", "rds:DeleteDBInstance"),
        "prefixes",
        "Application Auto Scaling probes these before registering an Aurora replica target: the clusters by "
        "name prefix, and only the probe's empty or dummy instance ids, never a real instance",
    ),
    Grant(
        "AuroraProbeDummyTag",
        ("rds:AddTagsToResource",),
        "prefixes",
        "the same probe tags a dummy instance: that one fixed name only, never a real resource's tags",
    ),
)

_MAPPINGS = (
    Grant(
        "FindMappings",
        ("lambda:ListEventSourceMappings",),
        "none",
        "no resource type (read-only); the step then acts only on a mapping of the function the plan names",
    ),
    Grant(
        "ReadMappings",
        ("lambda:GetEventSourceMapping",),
        "account",
        "a mapping's ARN ends in its UUID, unknown before it exists (read-only)",
    ),
    Grant(
        "ChangeMappingsOfStackFunctions",
        ("lambda:UpdateEventSourceMapping", "lambda:DeleteEventSourceMapping"),
        "prefixes",
        "mappings are rarely tagged (tags are not inherited from the function): scoped by the function "
        "they invoke (lambda:FunctionArn by name prefix); the guard checks the source's or function's tags",
        destructive=True,
    ),
    Grant(
        "CreateMappingsForStackFunctions",
        ("lambda:CreateEventSourceMapping",),
        "none",
        "no resource type: the function it will invoke is the scope (lambda:FunctionArn by name prefix)",
    ),
    Grant(
        "GuardTagReads",
        (
            "sqs:GetQueueUrl",
            "sqs:ListQueueTags",
            "kinesis:ListTagsForStream",
            "dynamodb:ListTagsOfResource",
            "lambda:ListTags",
        ),
        "account",
        "the guard reads the tags of a mapping's source (often a shared upstream stream) or its function (read-only)",
    ),
)

BUILTIN_IAM: dict[str, StepIam] = {
    s.step_type: s
    for s in (
        StepIam("wait", None, ()),
        StepIam("http-check", None, ()),
        StepIam("approval", None, ()),
        StepIam(
            "flip-live-label",
            "LiveLabelStepPolicy",
            (
                Grant(
                    "MirrorLiveLabel",
                    ("ssm:GetParameter", "ssm:PutParameter", "ssm:AddTagsToResource"),
                    "prefixes",
                    "the mirror parameter is named by the plan and created by hookctl register: one name path "
                    "(LiveLabelParameterPath) holds every service's mirror; a mirror deleted since is created "
                    "again and tagged with its service",
                ),
            ),
        ),
        StepIam("match-capacity", "CapacityStepPolicy", _CAPACITY),
        StepIam("restore-capacity", "CapacityStepPolicy", _CAPACITY),
        StepIam(
            "run-migration-lambda",
            "MigrationStepPolicy",
            (
                Grant(
                    "ReadMigrationFunctionTimeout",
                    ("lambda:GetFunctionConfiguration",),
                    "account",
                    "refuses a migration function whose timeout exceeds 90 s (read-only)",
                ),
                Grant(
                    "RunMigrations",
                    ("lambda:InvokeFunction", "ecs:RunTask"),
                    "tags",
                    _MIGRATION,
                ),
            ),
        ),
        StepIam(
            "run-migration-task",
            "MigrationStepPolicy",
            (
                Grant(
                    "RunMigrations",
                    ("lambda:InvokeFunction", "ecs:RunTask"),
                    "tags",
                    _MIGRATION,
                ),
                Grant("FollowMigrationTasks", ("ecs:DescribeTasks",), "account", "task ids are random (read-only)"),
                Grant(
                    "FindMigrationTasks",
                    ("ecs:ListTasks", "ecs:DescribeTaskDefinition"),
                    "none",
                    "ListTasks is authorized on container instances, which a startedBy query does not name; "
                    "DescribeTaskDefinition has no resource type (both read-only)",
                ),
                Grant(
                    "PassMigrationTaskRoles",
                    ("iam:PassRole",),
                    "prefixes",
                    "the task definition's task and execution roles, by name prefix, passed only to ECS tasks "
                    "(iam:PassedToService)",
                ),
            ),
        ),
        StepIam("toggle-event-source-mapping", "EventSourceStepPolicy", _MAPPINGS),
        StepIam("create-event-source-mapping", "EventSourceStepPolicy", _MAPPINGS),
        StepIam("delete-event-source-mapping", "EventSourceStepPolicy", _MAPPINGS),
        StepIam(
            "toggle-eventbridge-rule",
            "EventSourceStepPolicy",
            (
                Grant("ReadRules", ("events:DescribeRule", "events:ListTagsForResource"), "account", _READS),
                Grant("ToggleRules", ("events:EnableRule", "events:DisableRule"), "tags", _TAGGED, destructive=True),
            ),
        ),
        StepIam(
            "toggle-sns-subscription",
            "SnsSubscriptionStepPolicy",
            (
                Grant(
                    "FindSubscriptions",
                    ("sns:ListSubscriptionsByTopic",),
                    "prefixes",
                    "the topic is often an upstream team's, not tagged for this service: topics by name prefix",
                ),
                Grant(
                    "SubscribeStackEndpoints",
                    ("sns:Subscribe",),
                    "prefixes",
                    "another team's topic: by name prefix, and only SQS/Lambda endpoints named by prefix",
                ),
                Grant(
                    "ChangeFoundSubscriptions",
                    ("sns:GetSubscriptionAttributes", "sns:SetSubscriptionAttributes", "sns:Unsubscribe"),
                    "none",
                    "SNS has no subscription resource type and these actions take no condition key; the step "
                    "acts only on the subscription it found (ListSubscriptionsByTopic, scoped) for the endpoint "
                    "whose tags the guard checked",
                    destructive=True,
                ),
                Grant(
                    "EndpointTags",
                    ("sqs:GetQueueUrl", "sqs:ListQueueTags", "lambda:ListTags"),
                    "account",
                    "the guard reads the tags of the subscribed endpoint, a queue or function (read-only)",
                ),
            ),
        ),
        StepIam(
            "seed",
            "SeedStepPolicy",
            (
                Grant(
                    "SendSeedRequests",
                    ("sns:Publish", "sqs:GetQueueUrl", "sqs:SendMessage", "events:PutEvents", "lambda:InvokeFunction"),
                    "prefixes",
                    "the targets belong to the upstream system, not tagged for this service: by name prefix "
                    "(and the default event bus)",
                ),
            ),
        ),
        StepIam(
            "purge-queue",
            "TeardownStepPolicy",
            (
                Grant(
                    "ReadQueues", ("sqs:GetQueueUrl", "sqs:GetQueueAttributes", "sqs:ListQueueTags"), "account", _READS
                ),
                Grant("PurgeOldStackQueues", ("sqs:PurgeQueue",), "tags", _TAGGED, destructive=True),
            ),
        ),
        StepIam(
            "delete-aurora-cluster",
            "TeardownStepPolicy",
            (
                Grant(
                    "ReadClustersAndSnapshots",
                    (
                        "rds:DescribeDBClusters",
                        "rds:ListTagsForResource",
                        "rds:DescribeDBClusterSnapshots",
                        "rds:DescribeDBInstances",
                    ),
                    "account",
                    _READS + "; polls until the cluster is gone",
                ),
                Grant(
                    "DeleteOldStackClusters",
                    (
                        "rds:ModifyDBCluster",
                        "rds:DeleteDBCluster",
                        "rds:CreateDBClusterSnapshot",
                        "rds:ModifyDBInstance",
                        "rds:DeleteDBInstance",
                    ),
                    "tags",
                    "lifts deletion protection, deletes the instances (they carry their own tags) and the "
                    f"cluster with its final snapshot: {_TAGGED}",
                    destructive=True,
                ),
                Grant(
                    "TakeFinalSnapshots",
                    ("rds:DeleteDBCluster", "rds:CreateDBClusterSnapshot", "rds:AddTagsToResource"),
                    "prefixes",
                    "the final snapshot does not exist yet, so no tag condition can apply to it: snapshots by "
                    "name prefix (<cluster>-final-<deployment>); deleting the cluster itself needs the grant above",
                ),
            ),
        ),
        StepIam(
            "delete-dynamodb-tables",
            "TeardownStepPolicy",
            (
                Grant(
                    "ReadTablesAndBackups",
                    ("dynamodb:DescribeTable", "dynamodb:ListTagsOfResource", "dynamodb:DescribeBackup"),
                    "account",
                    _READS,
                ),
                Grant(
                    "BackUpAndDeleteOldStackTables",
                    ("dynamodb:UpdateTable", "dynamodb:CreateBackup", "dynamodb:DeleteTable"),
                    "tags",
                    f"lifts deletion protection, backs up, deletes: {_TAGGED}",
                    destructive=True,
                ),
                Grant(
                    "FindBackupsByName",
                    ("dynamodb:ListBackups",),
                    "none",
                    "no resource type (read-only): finds an earlier backup so it never takes two",
                ),
            ),
        ),
        StepIam(
            "promote-edge-release",
            "EdgeReleaseStepPolicy",
            (
                Grant(
                    "ReleaseParameters",
                    (
                        "ssm:GetParameters",
                        "ssm:GetParameter",
                        "ssm:GetParameterHistory",
                        "ssm:PutParameter",
                        "ssm:ListTagsForResource",
                        "ssm:AddTagsToResource",
                    ),
                    "prefixes",
                    "the step creates release parameters (a creation cannot be conditioned on tags) in whichever "
                    "region the edge router reads: by name prefix; it refuses parameters tagged for another "
                    "service",
                ),
                Grant(
                    "CheckFrontEnds",
                    ("s3:GetObject", "s3:ListBucket"),
                    "prefixes",
                    "S3 objects take no tag condition: the front-end buckets by name prefix (read-only)",
                ),
                Grant(
                    "InvalidateAppDocuments",
                    ("cloudfront:CreateInvalidation", "cloudfront:GetInvalidation"),
                    "tags",
                    "distributions tagged with the service key (an invalidation only refreshes caches)",
                ),
            ),
        ),
        StepIam(
            "replay-validate",
            "ReplayStepPolicy",
            (
                Grant(
                    "ReadCredential",
                    ("ssm:GetParameter", "secretsmanager:GetSecretValue"),
                    "tags",
                    "the synthetic credential: parameters and secrets tagged with the service key (a customer "
                    "managed KMS key grants the role in its own key policy)",
                ),
                Grant(
                    "ReadLogFilesAndSamples",
                    ("s3:GetObject", "s3:ListBucket"),
                    "prefixes",
                    "S3 objects take no tag condition: access-log and sample buckets by name prefix (read-only)",
                ),
                Grant(
                    "ReadAccessLogGroups",
                    ("logs:FilterLogEvents", "logs:StartQuery", "logs:GetQueryResults"),
                    "prefixes",
                    "log groups whose name starts with a prefix, or with /aws/<service>/<prefix> (read-only)",
                ),
                Grant(
                    "StopSlowQueries",
                    ("logs:StopQuery",),
                    "none",
                    "no resource type; it reaches queries by id, this role's own",
                ),
            ),
        ),
    )
}

#: the only statements on Resource "*" (IAM gives their actions no resource type)
UNSCOPED: frozenset[str] = frozenset(g.sid for s in BUILTIN_IAM.values() for g in s.grants if g.scope == "none")


def iam_of(step_type: str) -> StepIam:
    """The IAM needs of a built-in step type (KeyError for a plugin's: a plugin documents its own)."""
    return BUILTIN_IAM[step_type]
