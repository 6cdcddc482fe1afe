# Generated from codedeploy_hooks.steps.builtin.restore_capacity.RestoreCapacity.params_schema by `hookctl schema --write`: do not edit.
# mypy: ignore-errors
VERSION = "2.22.3"
from decimal import Decimal
import re
from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException


REGEX_PATTERNS = {
    '^([A-Za-z0-9-]|\\$\\{[^}]+\\})+$': re.compile('^([A-Za-z0-9-]|\\$\\{[^}]+\\})+\\Z'),
    '^([A-Za-z0-9_.-]|\\$\\{[^}]+\\})+$': re.compile('^([A-Za-z0-9_.-]|\\$\\{[^}]+\\})+\\Z'),
    '^[^/\\s]+/[^/\\s]+$': re.compile('^[^/\\s]+/[^/\\s]+\\Z'),
    '^[a-z0-9][a-z0-9-]{0,62}$': re.compile('^[a-z0-9][a-z0-9-]{0,62}\\Z')
}

NoneType = type(None)

def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'kind': {'enum': ['aurora-replicas', 'aurora-serverless-v2', 'dynamodb', 'ecs'], 'description': 'What to match: aurora-replicas (reader count of a provisioned cluster, via Aurora Auto Scaling), aurora-serverless-v2 (minimum ACUs), dynamodb (provisioned read/write units), ecs (task count)'}, 'resource': {'type': 'string', 'minLength': 1, 'description': 'The resource to restore: Aurora cluster identifier, DynamoDB table name, or ECS <cluster>/<service>, per kind'}, 'from_step': {'type': 'string', 'pattern': '^[a-z0-9][a-z0-9-]{0,62}$', 'description': 'Name of the earlier match-capacity step whose recorded original floors to restore'}, 'previous': {'type': 'object', 'minProperties': 1, 'additionalProperties': {'type': 'number', 'minimum': 0}, 'description': "Floor values to restore, by setting (e.g. {rds:cluster:ReadReplicaCount: 1}); what match-capacity's undo passes"}, 'interval': {'type': 'number', 'minimum': 1, 'maximum': 300, 'default': 15, 'description': 'Seconds between checks while waiting for capacity or for a resource that is still updating'}}, 'required': ['kind', 'resource'], 'oneOf': [{'required': ['from_step']}, {'required': ['previous']}], 'additionalProperties': False, 'allOf': [{'if': {'properties': {'kind': {'const': 'aurora-replicas'}}}, 'then': {'properties': {'resource': {'pattern': '^([A-Za-z0-9-]|\\$\\{[^}]+\\})+$'}}}}, {'if': {'properties': {'kind': {'const': 'aurora-serverless-v2'}}}, 'then': {'properties': {'resource': {'pattern': '^([A-Za-z0-9-]|\\$\\{[^}]+\\})+$'}}}}, {'if': {'properties': {'kind': {'const': 'dynamodb'}}}, 'then': {'properties': {'resource': {'pattern': '^([A-Za-z0-9_.-]|\\$\\{[^}]+\\})+$'}}}}, {'if': {'properties': {'kind': {'const': 'ecs'}}}, 'then': {'properties': {'resource': {'pattern': '^[^/\\s]+/[^/\\s]+$'}}}}]}, rule='type')
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
            if "resource" in data_keys:
                data_keys.remove("resource")
                data__resource = data["resource"]
                if isinstance(data__resource, str):
                    if not REGEX_PATTERNS['^([A-Za-z0-9-]|\\$\\{[^}]+\\})+$'].search(data__resource):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".resource must match pattern ^([A-Za-z0-9-]|\\$\\{[^}]+\\})+$", value=data__resource, name="" + (name_prefix or "data") + ".resource", definition={'pattern': '^([A-Za-z0-9-]|\\$\\{[^}]+\\})+$'}, rule='pattern')
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
            if "resource" in data_keys:
                data_keys.remove("resource")
                data__resource = data["resource"]
                if isinstance(data__resource, str):
                    if not REGEX_PATTERNS['^([A-Za-z0-9-]|\\$\\{[^}]+\\})+$'].search(data__resource):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".resource must match pattern ^([A-Za-z0-9-]|\\$\\{[^}]+\\})+$", value=data__resource, name="" + (name_prefix or "data") + ".resource", definition={'pattern': '^([A-Za-z0-9-]|\\$\\{[^}]+\\})+$'}, rule='pattern')
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
            if "resource" in data_keys:
                data_keys.remove("resource")
                data__resource = data["resource"]
                if isinstance(data__resource, str):
                    if not REGEX_PATTERNS['^([A-Za-z0-9_.-]|\\$\\{[^}]+\\})+$'].search(data__resource):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".resource must match pattern ^([A-Za-z0-9_.-]|\\$\\{[^}]+\\})+$", value=data__resource, name="" + (name_prefix or "data") + ".resource", definition={'pattern': '^([A-Za-z0-9_.-]|\\$\\{[^}]+\\})+$'}, rule='pattern')
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
            if "resource" in data_keys:
                data_keys.remove("resource")
                data__resource = data["resource"]
                if isinstance(data__resource, str):
                    if not REGEX_PATTERNS['^[^/\\s]+/[^/\\s]+$'].search(data__resource):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".resource must match pattern ^[^/\\s]+/[^/\\s]+$", value=data__resource, name="" + (name_prefix or "data") + ".resource", definition={'pattern': '^[^/\\s]+/[^/\\s]+$'}, rule='pattern')
    data_one_of_count1 = 0
    if data_one_of_count1 < 2:
        try:
            data_is_dict = isinstance(data, dict)
            if data_is_dict:
                data__missing_keys = set(['from_step']) - data.keys()
                if data__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'required': ['from_step']}, rule='required')
            data_one_of_count1 += 1
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
    if data_one_of_count1 < 2:
        try:
            data_is_dict = isinstance(data, dict)
            if data_is_dict:
                data__missing_keys = set(['previous']) - data.keys()
                if data__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'required': ['previous']}, rule='required')
            data_one_of_count1 += 1
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
    if data_one_of_count1 != 1:
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be valid exactly by one definition" + (" (" + str(data_one_of_count1) + " matches found)"), value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'kind': {'enum': ['aurora-replicas', 'aurora-serverless-v2', 'dynamodb', 'ecs'], 'description': 'What to match: aurora-replicas (reader count of a provisioned cluster, via Aurora Auto Scaling), aurora-serverless-v2 (minimum ACUs), dynamodb (provisioned read/write units), ecs (task count)'}, 'resource': {'type': 'string', 'minLength': 1, 'description': 'The resource to restore: Aurora cluster identifier, DynamoDB table name, or ECS <cluster>/<service>, per kind'}, 'from_step': {'type': 'string', 'pattern': '^[a-z0-9][a-z0-9-]{0,62}$', 'description': 'Name of the earlier match-capacity step whose recorded original floors to restore'}, 'previous': {'type': 'object', 'minProperties': 1, 'additionalProperties': {'type': 'number', 'minimum': 0}, 'description': "Floor values to restore, by setting (e.g. {rds:cluster:ReadReplicaCount: 1}); what match-capacity's undo passes"}, 'interval': {'type': 'number', 'minimum': 1, 'maximum': 300, 'default': 15, 'description': 'Seconds between checks while waiting for capacity or for a resource that is still updating'}}, 'required': ['kind', 'resource'], 'oneOf': [{'required': ['from_step']}, {'required': ['previous']}], 'additionalProperties': False, 'allOf': [{'if': {'properties': {'kind': {'const': 'aurora-replicas'}}}, 'then': {'properties': {'resource': {'pattern': '^([A-Za-z0-9-]|\\$\\{[^}]+\\})+$'}}}}, {'if': {'properties': {'kind': {'const': 'aurora-serverless-v2'}}}, 'then': {'properties': {'resource': {'pattern': '^([A-Za-z0-9-]|\\$\\{[^}]+\\})+$'}}}}, {'if': {'properties': {'kind': {'const': 'dynamodb'}}}, 'then': {'properties': {'resource': {'pattern': '^([A-Za-z0-9_.-]|\\$\\{[^}]+\\})+$'}}}}, {'if': {'properties': {'kind': {'const': 'ecs'}}}, 'then': {'properties': {'resource': {'pattern': '^[^/\\s]+/[^/\\s]+$'}}}}]}, rule='oneOf')
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['kind', 'resource']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'kind': {'enum': ['aurora-replicas', 'aurora-serverless-v2', 'dynamodb', 'ecs'], 'description': 'What to match: aurora-replicas (reader count of a provisioned cluster, via Aurora Auto Scaling), aurora-serverless-v2 (minimum ACUs), dynamodb (provisioned read/write units), ecs (task count)'}, 'resource': {'type': 'string', 'minLength': 1, 'description': 'The resource to restore: Aurora cluster identifier, DynamoDB table name, or ECS <cluster>/<service>, per kind'}, 'from_step': {'type': 'string', 'pattern': '^[a-z0-9][a-z0-9-]{0,62}$', 'description': 'Name of the earlier match-capacity step whose recorded original floors to restore'}, 'previous': {'type': 'object', 'minProperties': 1, 'additionalProperties': {'type': 'number', 'minimum': 0}, 'description': "Floor values to restore, by setting (e.g. {rds:cluster:ReadReplicaCount: 1}); what match-capacity's undo passes"}, 'interval': {'type': 'number', 'minimum': 1, 'maximum': 300, 'default': 15, 'description': 'Seconds between checks while waiting for capacity or for a resource that is still updating'}}, 'required': ['kind', 'resource'], 'oneOf': [{'required': ['from_step']}, {'required': ['previous']}], 'additionalProperties': False, 'allOf': [{'if': {'properties': {'kind': {'const': 'aurora-replicas'}}}, 'then': {'properties': {'resource': {'pattern': '^([A-Za-z0-9-]|\\$\\{[^}]+\\})+$'}}}}, {'if': {'properties': {'kind': {'const': 'aurora-serverless-v2'}}}, 'then': {'properties': {'resource': {'pattern': '^([A-Za-z0-9-]|\\$\\{[^}]+\\})+$'}}}}, {'if': {'properties': {'kind': {'const': 'dynamodb'}}}, 'then': {'properties': {'resource': {'pattern': '^([A-Za-z0-9_.-]|\\$\\{[^}]+\\})+$'}}}}, {'if': {'properties': {'kind': {'const': 'ecs'}}}, 'then': {'properties': {'resource': {'pattern': '^[^/\\s]+/[^/\\s]+$'}}}}]}, rule='required')
        data_keys = set(data.keys())
        if "kind" in data_keys:
            data_keys.remove("kind")
            data__kind = data["kind"]
            if not (isinstance(data__kind, str) and data__kind == 'aurora-replicas' or isinstance(data__kind, str) and data__kind == 'aurora-serverless-v2' or isinstance(data__kind, str) and data__kind == 'dynamodb' or isinstance(data__kind, str) and data__kind == 'ecs'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".kind must be one of ['aurora-replicas', 'aurora-serverless-v2', 'dynamodb', 'ecs']", value=data__kind, name="" + (name_prefix or "data") + ".kind", definition={'enum': ['aurora-replicas', 'aurora-serverless-v2', 'dynamodb', 'ecs'], 'description': 'What to match: aurora-replicas (reader count of a provisioned cluster, via Aurora Auto Scaling), aurora-serverless-v2 (minimum ACUs), dynamodb (provisioned read/write units), ecs (task count)'}, rule='enum')
        if "resource" in data_keys:
            data_keys.remove("resource")
            data__resource = data["resource"]
            if not isinstance(data__resource, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".resource must be string", value=data__resource, name="" + (name_prefix or "data") + ".resource", definition={'type': 'string', 'minLength': 1, 'description': 'The resource to restore: Aurora cluster identifier, DynamoDB table name, or ECS <cluster>/<service>, per kind'}, rule='type')
            if isinstance(data__resource, str):
                data__resource_len = len(data__resource)
                if data__resource_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".resource must be longer than or equal to 1 characters", value=data__resource, name="" + (name_prefix or "data") + ".resource", definition={'type': 'string', 'minLength': 1, 'description': 'The resource to restore: Aurora cluster identifier, DynamoDB table name, or ECS <cluster>/<service>, per kind'}, rule='minLength')
        if "from_step" in data_keys:
            data_keys.remove("from_step")
            data__fromstep = data["from_step"]
            if not isinstance(data__fromstep, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".from_step must be string", value=data__fromstep, name="" + (name_prefix or "data") + ".from_step", definition={'type': 'string', 'pattern': '^[a-z0-9][a-z0-9-]{0,62}$', 'description': 'Name of the earlier match-capacity step whose recorded original floors to restore'}, rule='type')
            if isinstance(data__fromstep, str):
                if not REGEX_PATTERNS['^[a-z0-9][a-z0-9-]{0,62}$'].search(data__fromstep):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".from_step must match pattern ^[a-z0-9][a-z0-9-]{0,62}$", value=data__fromstep, name="" + (name_prefix or "data") + ".from_step", definition={'type': 'string', 'pattern': '^[a-z0-9][a-z0-9-]{0,62}$', 'description': 'Name of the earlier match-capacity step whose recorded original floors to restore'}, rule='pattern')
        if "previous" in data_keys:
            data_keys.remove("previous")
            data__previous = data["previous"]
            if not isinstance(data__previous, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".previous must be object", value=data__previous, name="" + (name_prefix or "data") + ".previous", definition={'type': 'object', 'minProperties': 1, 'additionalProperties': {'type': 'number', 'minimum': 0}, 'description': "Floor values to restore, by setting (e.g. {rds:cluster:ReadReplicaCount: 1}); what match-capacity's undo passes"}, rule='type')
            data__previous_is_dict = isinstance(data__previous, dict)
            if data__previous_is_dict:
                data__previous_len = len(data__previous)
                if data__previous_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".previous must contain at least 1 properties", value=data__previous, name="" + (name_prefix or "data") + ".previous", definition={'type': 'object', 'minProperties': 1, 'additionalProperties': {'type': 'number', 'minimum': 0}, 'description': "Floor values to restore, by setting (e.g. {rds:cluster:ReadReplicaCount: 1}); what match-capacity's undo passes"}, rule='minProperties')
                data__previous_keys = set(data__previous.keys())
                for data__previous_key in data__previous_keys:
                    if data__previous_key not in []:
                        data__previous_value = data__previous.get(data__previous_key)
                        if not isinstance(data__previous_value, (int, float, Decimal)) or isinstance(data__previous_value, bool):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".previous.{data__previous_key}".format(**locals()) + " must be number", value=data__previous_value, name="" + (name_prefix or "data") + ".previous.{data__previous_key}".format(**locals()) + "", definition={'type': 'number', 'minimum': 0}, rule='type')
                        if isinstance(data__previous_value, (int, float, Decimal)) and not isinstance(data__previous_value, bool):
                            if data__previous_value < 0:
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".previous.{data__previous_key}".format(**locals()) + " must be bigger than or equal to 0", value=data__previous_value, name="" + (name_prefix or "data") + ".previous.{data__previous_key}".format(**locals()) + "", definition={'type': 'number', 'minimum': 0}, rule='minimum')
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
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'kind': {'enum': ['aurora-replicas', 'aurora-serverless-v2', 'dynamodb', 'ecs'], 'description': 'What to match: aurora-replicas (reader count of a provisioned cluster, via Aurora Auto Scaling), aurora-serverless-v2 (minimum ACUs), dynamodb (provisioned read/write units), ecs (task count)'}, 'resource': {'type': 'string', 'minLength': 1, 'description': 'The resource to restore: Aurora cluster identifier, DynamoDB table name, or ECS <cluster>/<service>, per kind'}, 'from_step': {'type': 'string', 'pattern': '^[a-z0-9][a-z0-9-]{0,62}$', 'description': 'Name of the earlier match-capacity step whose recorded original floors to restore'}, 'previous': {'type': 'object', 'minProperties': 1, 'additionalProperties': {'type': 'number', 'minimum': 0}, 'description': "Floor values to restore, by setting (e.g. {rds:cluster:ReadReplicaCount: 1}); what match-capacity's undo passes"}, 'interval': {'type': 'number', 'minimum': 1, 'maximum': 300, 'default': 15, 'description': 'Seconds between checks while waiting for capacity or for a resource that is still updating'}}, 'required': ['kind', 'resource'], 'oneOf': [{'required': ['from_step']}, {'required': ['previous']}], 'additionalProperties': False, 'allOf': [{'if': {'properties': {'kind': {'const': 'aurora-replicas'}}}, 'then': {'properties': {'resource': {'pattern': '^([A-Za-z0-9-]|\\$\\{[^}]+\\})+$'}}}}, {'if': {'properties': {'kind': {'const': 'aurora-serverless-v2'}}}, 'then': {'properties': {'resource': {'pattern': '^([A-Za-z0-9-]|\\$\\{[^}]+\\})+$'}}}}, {'if': {'properties': {'kind': {'const': 'dynamodb'}}}, 'then': {'properties': {'resource': {'pattern': '^([A-Za-z0-9_.-]|\\$\\{[^}]+\\})+$'}}}}, {'if': {'properties': {'kind': {'const': 'ecs'}}}, 'then': {'properties': {'resource': {'pattern': '^[^/\\s]+/[^/\\s]+$'}}}}]}, rule='additionalProperties')
    return data

validate = validate
SCHEMA_DIGEST = 'd1573ca95df2523a0b82233b35ce8d7abd2174367178baf23b67bc0b670caf14'
