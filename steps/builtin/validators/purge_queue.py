# Generated from codedeploy_hooks.steps.builtin.purge_queue.PurgeQueue.params_schema by `hookctl schema --write`: do not edit.
# mypy: ignore-errors
VERSION = "2.22.3"
from decimal import Decimal
from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException


NoneType = type(None)

def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'queue': {'type': 'string', 'minLength': 1, 'description': 'Queue URL (https://...) or name, e.g. orders-queue-${live}-prod'}}, 'required': ['queue'], 'additionalProperties': False}, rule='type')
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['queue']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'queue': {'type': 'string', 'minLength': 1, 'description': 'Queue URL (https://...) or name, e.g. orders-queue-${live}-prod'}}, 'required': ['queue'], 'additionalProperties': False}, rule='required')
        data_keys = set(data.keys())
        if "queue" in data_keys:
            data_keys.remove("queue")
            data__queue = data["queue"]
            if not isinstance(data__queue, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".queue must be string", value=data__queue, name="" + (name_prefix or "data") + ".queue", definition={'type': 'string', 'minLength': 1, 'description': 'Queue URL (https://...) or name, e.g. orders-queue-${live}-prod'}, rule='type')
            if isinstance(data__queue, str):
                data__queue_len = len(data__queue)
                if data__queue_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".queue must be longer than or equal to 1 characters", value=data__queue, name="" + (name_prefix or "data") + ".queue", definition={'type': 'string', 'minLength': 1, 'description': 'Queue URL (https://...) or name, e.g. orders-queue-${live}-prod'}, rule='minLength')
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'queue': {'type': 'string', 'minLength': 1, 'description': 'Queue URL (https://...) or name, e.g. orders-queue-${live}-prod'}}, 'required': ['queue'], 'additionalProperties': False}, rule='additionalProperties')
    return data

validate = validate
SCHEMA_DIGEST = 'cc4db9ca8e941b95eb0ccfdb88cda5734ffd62314f99a4368b4c6efd19ded555'
