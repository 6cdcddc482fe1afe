"""The SSM mirror of a service's live label, for infrastructure code that cannot read the registry.

A Terraform data source (or any tool) reads ``stacks.ssm_parameter`` to know which stack is live. It must exist
from the moment the plan is registered, not only after the first flip, so ``hookctl register`` creates it; the
``flip-live-label`` step, a rollback that sets the label back, and ``hookctl label`` keep it current afterwards.
All four write it here, so it is always created tagged with its service and never left untagged.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from codedeploy_hooks.common.exceptions import HookServiceError

#: the tag a mirror is created with (the guard's and the template's ``service`` key)
SERVICE_TAG = "service"


class MirrorError(HookServiceError):
    """The SSM mirror of the live label could not be written (the registry's label is the truth)."""


def write_live_label_mirror(ssm: Any, name: str, label: str, *, service_id: str) -> bool:
    """Make the parameter ``name`` hold ``label``; True when it was created (then tagged ``service=<id>``).

    One ``PutParameter`` when the mirror exists, as it does from registration on (the hooks' path); a second call
    tags a mirror that did not exist yet. An existing value is overwritten: the registry's label is the truth.
    """
    try:
        created = int(ssm.put_parameter(Name=name, Value=label, Type="String", Overwrite=True)["Version"]) == 1
        if created:
            tags = [{"Key": SERVICE_TAG, "Value": service_id}]
            ssm.add_tags_to_resource(ResourceType="Parameter", ResourceId=name, Tags=tags)
    except ClientError as exc:
        raise _mirror_error(name, exc) from exc
    return created


def _mirror_error(name: str, exc: ClientError) -> MirrorError:
    error = exc.response.get("Error", {})
    return MirrorError(
        f"cannot write the live-label mirror {name} (stacks.ssm_parameter): {error.get('Code')}: "
        f"{error.get('Message')}; once that is fixed, `hookctl label SERVICE --set LABEL` with the live label "
        "writes it"
    )
