# Generated from codedeploy_hooks.steps.builtin.match_capacity.MatchCapacity.params_schema by `hookctl schema --write`: do not edit.
# mypy: ignore-errors
VERSION = "2.22.3"
from decimal import Decimal
import re
from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException


REGEX_PATTERNS = {
    '^([A-Za-z0-9-]|\\$\\{[^}]+\\})+$': re.compile('^([A-Za-z0-9-]|\\$\\{[^}]+\\})+\\Z'),
    '^([A-Za-z0-9_.-]|\\$\\{[^}]+\\})+$': re.compile('^([A-Za-z0-9_.-]|\\$\\{[^}]+\\})+\\Z'),
    '^[^/\\s]+/[^/\\s]+$': re.compile('^[^/\\s]+/[^/\\s]+\\Z')
}

NoneType = type(None)

def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'kind': {'enum': ['aurora-replicas', 'aurora-serverless-v2', 'dynamodb', 'ecs'], 'description': 'What to match: aurora-replicas (reader count of a provisioned cluster, via Aurora Auto Scaling), aurora-serverless-v2 (minimum ACUs), dynamodb (provisioned read/write units), ecs (task count)'}, 'live': {'type': 'string', 'minLength': 1, 'description': "The live stack's resource: Aurora cluster identifier, DynamoDB table name, or ECS <cluster>/<service>, per kind"}, 'target': {'type': 'string', 'minLength': 1, 'description': "The target stack's resource: Aurora cluster identifier, DynamoDB table name, or ECS <cluster>/<service>, per kind"}, 'wait': {'type': 'boolean', 'default': False, 'description': "After raising the floor, wait until the target really runs that capacity (bounded by the step's timeout)"}, 'interval': {'type': 'number', 'minimum': 1, 'maximum': 300, 'default': 15, 'description': 'Seconds between checks while waiting for capacity or for a resource that is still updating'}, 'count': {'enum': ['running', 'desired'], 'default': 'running', 'description': "ecs only: the live service's capacity is its runningCount or its desiredCount"}, 'lookback_minutes': {'type': 'number', 'minimum': 1, 'maximum': 60, 'default': 5, 'description': 'aurora-serverless-v2 only: the live capacity is the highest ServerlessDatabaseCapacity over this many minutes'}}, 'required': ['kind', 'live', 'target'], 'additionalProperties': False, 'allOf': [{'if': {'properties': {'kind': {'const': 'aurora-replicas'}}}, 'then': {'properties': {'live': {'pattern': '^([A-Za-z0-9-]|\\$\\{[^}]+\\})+$'}, 'target': {'pattern': '^([A-Za-z0-9-]|\\$\\{[^}]+\\})+$'}}}}, {'if': {'properties': {'kind': {'const': 'aurora-serverless-v2'}}}, 'then': {'properties': {'live': {'pattern': '^([A-Za-z0-9-]|\\$\\{[^}]+\\})+$'}, 'target': {'pattern': '^([A-Za-z0-9-]|\\$\\{[^}]+\\})+$'}}}}, {'if': {'properties': {'kind': {'const': 'dynamodb'}}}, 'then': {'properties': {'live': {'pattern': '^([A-Za-z0-9_.-]|\\$\\{[^}]+\\})+$'}, 'target': {'pattern': '^([A-Za-z0-9_.-]|\\$\\{[^}]+\\})+$'}}}}, {'if': {'properties': {'kind': {'const': 'ecs'}}}, 'then': {'properties': {'live': {'pattern': '^[^/\\s]+/[^/\\s]+$'}, 'target': {'pattern': '^[^/\\s]+/[^/\\s]+$'}}}}, {'if': {'not': {'properties': {'kind': {'const': 'ecs'}}}}, 'then': {'properties': {'count': False}}}, {'if': {'not': {'properties': {'kind': {'const': 'aurora-serverless-v2'}}}}, 'then': {'properties': {'lookback_minutes': False}}}]}, rule='type')
    try:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data_keys = set(data.keys())
            if "kind" in data_keys:
                data_keys.remove("kind")
                data__kind = data["kind"]
                if not (isinstance(data__kind, str) and data__kind == 'aurora-replicas'):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".kind must be same as const definition: aurora-replicas", value=data__kind, name="" + (name_prefix or "data") + ".kind", definition={'const': 'aurora-replicas'}, rule='const')
    except (JsonSchemaValueException, JsonSchemaValuesException):
        pass
    else:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data_keys = set(data.keys())
            if "live" in data_keys:
                data_keys.remove("live")
                data__live = data["live"]
                if isinstance(data__live, str):
                    if not REGEX_PATTERNS['^([A-Za-z0-9-]|\\$\\{[^}]+\\})+$'].search(data__live):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".live must match pattern ^([A-Za-z0-9-]|\\$\\{[^}]+\\})+$", value=data__live, name="" + (name_prefix or "data") + ".live", definition={'pattern': '^([A-Za-z0-9-]|\\$\\{[^}]+\\})+$'}, rule='pattern')
            if "target" in data_keys:
                data_keys.remove("target")
                data__target = data["target"]
                if isinstance(data__target, str):
                    if not REGEX_PATTERNS['^([A-Za-z0-9-]|\\$\\{[^}]+\\})+$'].search(data__target):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".target must match pattern ^([A-Za-z0-9-]|\\$\\{[^}]+\\})+$", value=data__target, name="" + (name_prefix or "data") + ".target", definition={'pattern': '^([A-Za-z0-9-]|\\$\\{[^}]+\\})+$'}, rule='pattern')
    try:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data_keys = set(data.keys())
            if "kind" in data_keys:
                data_keys.remove("kind")
                data__kind = data["kind"]
                if not (isinstance(data__kind, str) and data__kind == 'aurora-serverless-v2'):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".kind must be same as const definition: aurora-serverless-v2", value=data__kind, name="" + (name_prefix or "data") + ".kind", definition={'const': 'aurora-serverless-v2'}, rule='const')
    except (JsonSchemaValueException, JsonSchemaValuesException):
        pass
    else:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data_keys = set(data.keys())
            if "live" in data_keys:
                data_keys.remove("live")
                data__live = data["live"]
                if isinstance(data__live, str):
                    if not REGEX_PATTERNS['^([A-Za-z0-9-]|\\$\\{[^}]+\\})+$'].search(data__live):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".live must match pattern ^([A-Za-z0-9-]|\\$\\{[^}]+\\})+$", value=data__live, name="" + (name_prefix or "data") + ".live", definition={'pattern': '^([A-Za-z0-9-]|\\$\\{[^}]+\\})+$'}, rule='pattern')
            if "target" in data_keys:
                data_keys.remove("target")
                data__target = data["target"]
                if isinstance(data__target, str):
                    if not REGEX_PATTERNS['^([A-Za-z0-9-]|\\$\\{[^}]+\\})+$'].search(data__target):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".target must match pattern ^([A-Za-z0-9-]|\\$\\{[^}]+\\})+$", value=data__target, name="" + (name_prefix or "data") + ".target", definition={'pattern': '^([A-Za-z0-9-]|\\$\\{[^}]+\\})+$'}, rule='pattern')
    try:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data_keys = set(data.keys())
            if "kind" in data_keys:
                data_keys.remove("kind")
                data__kind = data["kind"]
                if not (isinstance(data__kind, str) and data__kind == 'dynamodb'):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".kind must be same as const definition: dynamodb", value=data__kind, name="" + (name_prefix or "data") + ".kind", definition={'const': 'dynamodb'}, rule='const')
    except (JsonSchemaValueException, JsonSchemaValuesException):
        pass
    else:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data_keys = set(data.keys())
            if "live" in data_keys:
                data_keys.remove("live")
                data__live = data["live"]
                if isinstance(data__live, str):
                    if not REGEX_PATTERNS['^([A-Za-z0-9_.-]|\\$\\{[^}]+\\})+$'].search(data__live):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".live must match pattern ^([A-Za-z0-9_.-]|\\$\\{[^}]+\\})+$", value=data__live, name="" + (name_prefix or "data") + ".live", definition={'pattern': '^([A-Za-z0-9_.-]|\\$\\{[^}]+\\})+$'}, rule='pattern')
            if "target" in data_keys:
                data_keys.remove("target")
                data__target = data["target"]
                if isinstance(data__target, str):
                    if not REGEX_PATTERNS['^([A-Za-z0-9_.-]|\\$\\{[^}]+\\})+$'].search(data__target):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".target must match pattern ^([A-Za-z0-9_.-]|\\$\\{[^}]+\\})+$", value=data__target, name="" + (name_prefix or "data") + ".target", definition={'pattern': '^([A-Za-z0-9_.-]|\\$\\{[^}]+\\})+$'}, rule='pattern')
    try:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data_keys = set(data.keys())
            if "kind" in data_keys:
                data_keys.remove("kind")
                data__kind = data["kind"]
                if not (isinstance(data__kind, str) and data__kind == 'ecs'):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".kind must be same as const definition: ecs", value=data__kind, name="" + (name_prefix or "data") + ".kind", definition={'const': 'ecs'}, rule='const')
    except (JsonSchemaValueException, JsonSchemaValuesException):
        pass
    else:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data_keys = set(data.keys())
            if "live" in data_keys:
                data_keys.remove("live")
                data__live = data["live"]
                if isinstance(data__live, str):
                    if not REGEX_PATTERNS['^[^/\\s]+/[^/\\s]+$'].search(data__live):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".live must match pattern ^[^/\\s]+/[^/\\s]+$", value=data__live, name="" + (name_prefix or "data") + ".live", definition={'pattern': '^[^/\\s]+/[^/\\s]+$'}, rule='pattern')
            if "target" in data_keys:
                data_keys.remove("target")
                data__target = data["target"]
                if isinstance(data__target, str):
                    if not REGEX_PATTERNS['^[^/\\s]+/[^/\\s]+$'].search(data__target):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".target must match pattern ^[^/\\s]+/[^/\\s]+$", value=data__target, name="" + (name_prefix or "data") + ".target", definition={'pattern': '^[^/\\s]+/[^/\\s]+$'}, rule='pattern')
    try:
        try:
            data_is_dict = isinstance(data, dict)
            if data_is_dict:
                data_keys = set(data.keys())
                if "kind" in data_keys:
                    data_keys.remove("kind")
                    data__kind = data["kind"]
                    if not (isinstance(data__kind, str) and data__kind == 'ecs'):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".kind must be same as const definition: ecs", value=data__kind, name="" + (name_prefix or "data") + ".kind", definition={'const': 'ecs'}, rule='const')
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
        else:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must NOT match a disallowed definition", value=data, name="" + (name_prefix or "data") + "", definition={'not': {'properties': {'kind': {'const': 'ecs'}}}}, rule='not')
    except (JsonSchemaValueException, JsonSchemaValuesException):
        pass
    else:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data_keys = set(data.keys())
            if "count" in data_keys:
                data_keys.remove("count")
                data__count = data["count"]
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".count must not be there", value=data__count, name="" + (name_prefix or "data") + ".count", definition=False, rule=None)
    try:
        try:
            data_is_dict = isinstance(data, dict)
            if data_is_dict:
                data_keys = set(data.keys())
                if "kind" in data_keys:
                    data_keys.remove("kind")
                    data__kind = data["kind"]
                    if not (isinstance(data__kind, str) and data__kind == 'aurora-serverless-v2'):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".kind must be same as const definition: aurora-serverless-v2", value=data__kind, name="" + (name_prefix or "data") + ".kind", definition={'const': 'aurora-serverless-v2'}, rule='const')
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
        else:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must NOT match a disallowed definition", value=data, name="" + (name_prefix or "data") + "", definition={'not': {'properties': {'kind': {'const': 'aurora-serverless-v2'}}}}, rule='not')
    except (JsonSchemaValueException, JsonSchemaValuesException):
        pass
    else:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data_keys = set(data.keys())
            if "lookback_minutes" in data_keys:
                data_keys.remove("lookback_minutes")
                data__lookbackminutes = data["lookback_minutes"]
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".lookback_minutes must not be there", value=data__lookbackminutes, name="" + (name_prefix or "data") + ".lookback_minutes", definition=False, rule=None)
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['kind', 'live', 'target']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'kind': {'enum': ['aurora-replicas', 'aurora-serverless-v2', 'dynamodb', 'ecs'], 'description': 'What to match: aurora-replicas (reader count of a provisioned cluster, via Aurora Auto Scaling), aurora-serverless-v2 (minimum ACUs), dynamodb (provisioned read/write units), ecs (task count)'}, 'live': {'type': 'string', 'minLength': 1, 'description': "The live stack's resource: Aurora cluster identifier, DynamoDB table name, or ECS <cluster>/<service>, per kind"}, 'target': {'type': 'string', 'minLength': 1, 'description': "The target stack's resource: Aurora cluster identifier, DynamoDB table name, or ECS <cluster>/<service>, per kind"}, 'wait': {'type': 'boolean', 'default': False, 'description': "After raising the floor, wait until the target really runs that capacity (bounded by the step's timeout)"}, 'interval': {'type': 'number', 'minimum': 1, 'maximum': 300, 'default': 15, 'description': 'Seconds between checks while waiting for capacity or for a resource that is still updating'}, 'count': {'enum': ['running', 'desired'], 'default': 'running', 'description': "ecs only: the live service's capacity is its runningCount or its desiredCount"}, 'lookback_minutes': {'type': 'number', 'minimum': 1, 'maximum': 60, 'default': 5, 'description': 'aurora-serverless-v2 only: the live capacity is the highest ServerlessDatabaseCapacity over this many minutes'}}, 'required': ['kind', 'live', 'target'], 'additionalProperties': False, 'allOf': [{'if': {'properties': {'kind': {'const': 'aurora-replicas'}}}, 'then': {'properties': {'live': {'pattern': '^([A-Za-z0-9-]|\\$\\{[^}]+\\})+$'}, 'target': {'pattern': '^([A-Za-z0-9-]|\\$\\{[^}]+\\})+$'}}}}, {'if': {'properties': {'kind': {'const': 'aurora-serverless-v2'}}}, 'then': {'properties': {'live': {'pattern': '^([A-Za-z0-9-]|\\$\\{[^}]+\\})+$'}, 'target': {'pattern': '^([A-Za-z0-9-]|\\$\\{[^}]+\\})+$'}}}}, {'if': {'properties': {'kind': {'const': 'dynamodb'}}}, 'then': {'properties': {'live': {'pattern': '^([A-Za-z0-9_.-]|\\$\\{[^}]+\\})+$'}, 'target': {'pattern': '^([A-Za-z0-9_.-]|\\$\\{[^}]+\\})+$'}}}}, {'if': {'properties': {'kind': {'const': 'ecs'}}}, 'then': {'properties': {'live': {'pattern': '^[^/\\s]+/[^/\\s]+$'}, 'target': {'pattern': '^[^/\\s]+/[^/\\s]+$'}}}}, {'if': {'not': {'properties': {'kind': {'const': 'ecs'}}}}, 'then': {'properties': {'count': False}}}, {'if': {'not': {'properties': {'kind': {'const': 'aurora-serverless-v2'}}}}, 'then': {'properties': {'lookback_minutes': False}}}]}, rule='required')
        data_keys = set(data.keys())
        if "kind" in data_keys:
            data_keys.remove("kind")
            data__kind = data["kind"]
            if not (isinstance(data__kind, str) and data__kind == 'aurora-replicas' or isinstance(data__kind, str) and data__kind == 'aurora-serverless-v2' or isinstance(data__kind, str) and data__kind == 'dynamodb' or isinstance(data__kind, str) and data__kind == 'ecs'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".kind must be one of ['aurora-replicas', 'aurora-serverless-v2', 'dynamodb', 'ecs']", value=data__kind, name="" + (name_prefix or "data") + ".kind", definition={'enum': ['aurora-replicas', 'aurora-serverless-v2', 'dynamodb', 'ecs'], 'description': 'What to match: aurora-replicas (reader count of a provisioned cluster, via Aurora Auto Scaling), aurora-serverless-v2 (minimum ACUs), dynamodb (provisioned read/write units), ecs (task count)'}, rule='enum')
        if "live" in data_keys:
            data_keys.remove("live")
            data__live = data["live"]
            if not isinstance(data__live, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".live must be string", value=data__live, name="" + (name_prefix or "data") + ".live", definition={'type': 'string', 'minLength': 1, 'description': "The live stack's resource: Aurora cluster identifier, DynamoDB table name, or ECS <cluster>/<service>, per kind"}, rule='type')
            if isinstance(data__live, str):
                data__live_len = len(data__live)
                if data__live_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".live must be longer than or equal to 1 characters", value=data__live, name="" + (name_prefix or "data") + ".live", definition={'type': 'string', 'minLength': 1, 'description': "The live stack's resource: Aurora cluster identifier, DynamoDB table name, or ECS <cluster>/<service>, per kind"}, rule='minLength')
        if "target" in data_keys:
            data_keys.remove("target")
            data__target = data["target"]
            if not isinstance(data__target, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".target must be string", value=data__target, name="" + (name_prefix or "data") + ".target", definition={'type': 'string', 'minLength': 1, 'description': "The target stack's resource: Aurora cluster identifier, DynamoDB table name, or ECS <cluster>/<service>, per kind"}, rule='type')
            if isinstance(data__target, str):
                data__target_len = len(data__target)
                if data__target_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".target must be longer than or equal to 1 characters", value=data__target, name="" + (name_prefix or "data") + ".target", definition={'type': 'string', 'minLength': 1, 'description': "The target stack's resource: Aurora cluster identifier, DynamoDB table name, or ECS <cluster>/<service>, per kind"}, rule='minLength')
        if "wait" in data_keys:
            data_keys.remove("wait")
            data__wait = data["wait"]
            if not isinstance(data__wait, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".wait must be boolean", value=data__wait, name="" + (name_prefix or "data") + ".wait", definition={'type': 'boolean', 'default': False, 'description': "After raising the floor, wait until the target really runs that capacity (bounded by the step's timeout)"}, rule='type')
        else: data["wait"] = False
        if "interval" in data_keys:
            data_keys.remove("interval")
            data__interval = data["interval"]
            if not isinstance(data__interval, (int, float, Decimal)) or isinstance(data__interval, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".interval must be number", value=data__interval, name="" + (name_prefix or "data") + ".interval", definition={'type': 'number', 'minimum': 1, 'maximum': 300, 'default': 15, 'description': 'Seconds between checks while waiting for capacity or for a resource that is still updating'}, rule='type')
            if isinstance(data__interval, (int, float, Decimal)) and not isinstance(data__interval, bool):
                if data__interval < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".interval must be bigger than or equal to 1", value=data__interval, name="" + (name_prefix or "data") + ".interval", definition={'type': 'number', 'minimum': 1, 'maximum': 300, 'default': 15, 'description': 'Seconds between checks while waiting for capacity or for a resource that is still updating'}, rule='minimum')
                if data__interval > 300:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".interval must be smaller than or equal to 300", value=data__interval, name="" + (name_prefix or "data") + ".interval", definition={'type': 'number', 'minimum': 1, 'maximum': 300, 'default': 15, 'description': 'Seconds between checks while waiting for capacity or for a resource that is still updating'}, rule='maximum')
        else: data["interval"] = 15
        if "count" in data_keys:
            data_keys.remove("count")
            data__count = data["count"]
            if not (isinstance(data__count, str) and data__count == 'running' or isinstance(data__count, str) and data__count == 'desired'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".count must be one of ['running', 'desired']", value=data__count, name="" + (name_prefix or "data") + ".count", definition={'enum': ['running', 'desired'], 'default': 'running', 'description': "ecs only: the live service's capacity is its runningCount or its desiredCount"}, rule='enum')
        else: data["count"] = 'running'
        if "lookback_minutes" in data_keys:
            data_keys.remove("lookback_minutes")
            data__lookbackminutes = data["lookback_minutes"]
            if not isinstance(data__lookbackminutes, (int, float, Decimal)) or isinstance(data__lookbackminutes, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".lookback_minutes must be number", value=data__lookbackminutes, name="" + (name_prefix or "data") + ".lookback_minutes", definition={'type': 'number', 'minimum': 1, 'maximum': 60, 'default': 5, 'description': 'aurora-serverless-v2 only: the live capacity is the highest ServerlessDatabaseCapacity over this many minutes'}, rule='type')
            if isinstance(data__lookbackminutes, (int, float, Decimal)) and not isinstance(data__lookbackminutes, bool):
                if data__lookbackminutes < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".lookback_minutes must be bigger than or equal to 1", value=data__lookbackminutes, name="" + (name_prefix or "data") + ".lookback_minutes", definition={'type': 'number', 'minimum': 1, 'maximum': 60, 'default': 5, 'description': 'aurora-serverless-v2 only: the live capacity is the highest ServerlessDatabaseCapacity over this many minutes'}, rule='minimum')
                if data__lookbackminutes > 60:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".lookback_minutes must be smaller than or equal to 60", value=data__lookbackminutes, name="" + (name_prefix or "data") + ".lookback_minutes", definition={'type': 'number', 'minimum': 1, 'maximum': 60, 'default': 5, 'description': 'aurora-serverless-v2 only: the live capacity is the highest ServerlessDatabaseCapacity over this many minutes'}, rule='maximum')
        else: data["lookback_minutes"] = 5
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'kind': {'enum': ['aurora-replicas', 'aurora-serverless-v2', 'dynamodb', 'ecs'], 'description': 'What to match: aurora-replicas (reader count of a provisioned cluster, via Aurora Auto Scaling), aurora-serverless-v2 (minimum ACUs), dynamodb (provisioned read/write units), ecs (task count)'}, 'live': {'type': 'string', 'minLength': 1, 'description': "The live stack's resource: Aurora cluster identifier, DynamoDB table name, or ECS <cluster>/<service>, per kind"}, 'target': {'type': 'string', 'minLength': 1, 'description': "The target stack's resource: Aurora cluster identifier, DynamoDB table name, or ECS <cluster>/<service>, per kind"}, 'wait': {'type': 'boolean', 'default': False, 'description': "After raising the floor, wait until the target really runs that capacity (bounded by the step's timeout)"}, 'interval': {'type': 'number', 'minimum': 1, 'maximum': 300, 'default': 15, 'description': 'Seconds between checks while waiting for capacity or for a resource that is still updating'}, 'count': {'enum': ['running', 'desired'], 'default': 'running', 'description': "ecs only: the live service's capacity is its runningCount or its desiredCount"}, 'lookback_minutes': {'type': 'number', 'minimum': 1, 'maximum': 60, 'default': 5, 'description': 'aurora-serverless-v2 only: the live capacity is the highest ServerlessDatabaseCapacity over this many minutes'}}, 'required': ['kind', 'live', 'target'], 'additionalProperties': False, 'allOf': [{'if': {'properties': {'kind': {'const': 'aurora-replicas'}}}, 'then': {'properties': {'live': {'pattern': '^([A-Za-z0-9-]|\\$\\{[^}]+\\})+$'}, 'target': {'pattern': '^([A-Za-z0-9-]|\\$\\{[^}]+\\})+$'}}}}, {'if': {'properties': {'kind': {'const': 'aurora-serverless-v2'}}}, 'then': {'properties': {'live': {'pattern': '^([A-Za-z0-9-]|\\$\\{[^}]+\\})+$'}, 'target': {'pattern': '^([A-Za-z0-9-]|\\$\\{[^}]+\\})+$'}}}}, {'if': {'properties': {'kind': {'const': 'dynamodb'}}}, 'then': {'properties': {'live': {'pattern': '^([A-Za-z0-9_.-]|\\$\\{[^}]+\\})+$'}, 'target': {'pattern': '^([A-Za-z0-9_.-]|\\$\\{[^}]+\\})+$'}}}}, {'if': {'properties': {'kind': {'const': 'ecs'}}}, 'then': {'properties': {'live': {'pattern': '^[^/\\s]+/[^/\\s]+$'}, 'target': {'pattern': '^[^/\\s]+/[^/\\s]+$'}}}}, {'if': {'not': {'properties': {'kind': {'const': 'ecs'}}}}, 'then': {'properties': {'count': False}}}, {'if': {'not': {'properties': {'kind': {'const': 'aurora-serverless-v2'}}}}, 'then': {'properties': {'lookback_minutes': False}}}]}, rule='additionalProperties')
    return data

validate = validate
SCHEMA_DIGEST = 'ef94fbf1369f46de2be402cdd62931d4e6c95df6ef8fcb48779e24f3abbdfb26'
