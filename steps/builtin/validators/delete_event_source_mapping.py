# Generated from codedeploy_hooks.steps.builtin.event_source_mapping.DeleteEventSourceMapping.params_schema by `hookctl schema --write`: do not edit.
# mypy: ignore-errors
VERSION = "2.22.3"
from decimal import Decimal
import re
from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException


REGEX_PATTERNS = {
    '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$': re.compile('^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\Z'),
    '^arn:aws[a-z-]*:(sqs|kinesis|dynamodb):[a-z0-9-]+:[0-9]{12}:.+$': re.compile('^arn:aws[a-z-]*:(sqs|kinesis|dynamodb):[a-z0-9-]+:[0-9]{12}:.+\\Z')
}

NoneType = type(None)

def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'uuid': {'type': 'string', 'pattern': '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$', 'description': "The mapping's UUID; or give function and event_source_arn to look it up"}, 'function': {'type': 'string', 'minLength': 1, 'maxLength': 170, 'description': 'Function name, partial ARN (ACCOUNT:function:NAME) or ARN, optionally with :ALIAS or :VERSION'}, 'event_source_arn': {'type': 'string', 'pattern': '^arn:aws[a-z-]*:(sqs|kinesis|dynamodb):[a-z0-9-]+:[0-9]{12}:.+$', 'description': 'ARN of the SQS queue, Kinesis stream or DynamoDB stream that feeds the function'}, 'wait': {'type': 'boolean', 'default': True, 'description': "Poll until the mapping's state settles (Enabled/Disabled, or gone) before succeeding"}, 'timeout': {'type': 'number', 'minimum': 1, 'maximum': 3300, 'default': 600, 'description': 'Seconds to wait for the state to settle before failing'}, 'interval': {'type': 'number', 'minimum': 1, 'maximum': 300, 'default': 5, 'description': "Seconds between polls of the mapping's state"}}, 'if': {'not': {'required': ['uuid']}}, 'then': {'required': ['function', 'event_source_arn']}, 'additionalProperties': False}, rule='type')
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_keys = set(data.keys())
        if "uuid" in data_keys:
            data_keys.remove("uuid")
            data__uuid = data["uuid"]
            if not isinstance(data__uuid, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".uuid must be string", value=data__uuid, name="" + (name_prefix or "data") + ".uuid", definition={'type': 'string', 'pattern': '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$', 'description': "The mapping's UUID; or give function and event_source_arn to look it up"}, rule='type')
            if isinstance(data__uuid, str):
                if not REGEX_PATTERNS['^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'].search(data__uuid):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".uuid must match pattern ^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", value=data__uuid, name="" + (name_prefix or "data") + ".uuid", definition={'type': 'string', 'pattern': '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$', 'description': "The mapping's UUID; or give function and event_source_arn to look it up"}, rule='pattern')
        if "function" in data_keys:
            data_keys.remove("function")
            data__function = data["function"]
            if not isinstance(data__function, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".function must be string", value=data__function, name="" + (name_prefix or "data") + ".function", definition={'type': 'string', 'minLength': 1, 'maxLength': 170, 'description': 'Function name, partial ARN (ACCOUNT:function:NAME) or ARN, optionally with :ALIAS or :VERSION'}, rule='type')
            if isinstance(data__function, str):
                data__function_len = len(data__function)
                if data__function_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".function must be longer than or equal to 1 characters", value=data__function, name="" + (name_prefix or "data") + ".function", definition={'type': 'string', 'minLength': 1, 'maxLength': 170, 'description': 'Function name, partial ARN (ACCOUNT:function:NAME) or ARN, optionally with :ALIAS or :VERSION'}, rule='minLength')
                if data__function_len > 170:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".function must be shorter than or equal to 170 characters", value=data__function, name="" + (name_prefix or "data") + ".function", definition={'type': 'string', 'minLength': 1, 'maxLength': 170, 'description': 'Function name, partial ARN (ACCOUNT:function:NAME) or ARN, optionally with :ALIAS or :VERSION'}, rule='maxLength')
        if "event_source_arn" in data_keys:
            data_keys.remove("event_source_arn")
            data__eventsourcearn = data["event_source_arn"]
            if not isinstance(data__eventsourcearn, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".event_source_arn must be string", value=data__eventsourcearn, name="" + (name_prefix or "data") + ".event_source_arn", definition={'type': 'string', 'pattern': '^arn:aws[a-z-]*:(sqs|kinesis|dynamodb):[a-z0-9-]+:[0-9]{12}:.+$', 'description': 'ARN of the SQS queue, Kinesis stream or DynamoDB stream that feeds the function'}, rule='type')
            if isinstance(data__eventsourcearn, str):
                if not REGEX_PATTERNS['^arn:aws[a-z-]*:(sqs|kinesis|dynamodb):[a-z0-9-]+:[0-9]{12}:.+$'].search(data__eventsourcearn):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".event_source_arn must match pattern ^arn:aws[a-z-]*:(sqs|kinesis|dynamodb):[a-z0-9-]+:[0-9]{12}:.+$", value=data__eventsourcearn, name="" + (name_prefix or "data") + ".event_source_arn", definition={'type': 'string', 'pattern': '^arn:aws[a-z-]*:(sqs|kinesis|dynamodb):[a-z0-9-]+:[0-9]{12}:.+$', 'description': 'ARN of the SQS queue, Kinesis stream or DynamoDB stream that feeds the function'}, rule='pattern')
        if "wait" in data_keys:
            data_keys.remove("wait")
            data__wait = data["wait"]
            if not isinstance(data__wait, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".wait must be boolean", value=data__wait, name="" + (name_prefix or "data") + ".wait", definition={'type': 'boolean', 'default': True, 'description': "Poll until the mapping's state settles (Enabled/Disabled, or gone) before succeeding"}, rule='type')
        else: data["wait"] = True
        if "timeout" in data_keys:
            data_keys.remove("timeout")
            data__timeout = data["timeout"]
            if not isinstance(data__timeout, (int, float, Decimal)) or isinstance(data__timeout, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".timeout must be number", value=data__timeout, name="" + (name_prefix or "data") + ".timeout", definition={'type': 'number', 'minimum': 1, 'maximum': 3300, 'default': 600, 'description': 'Seconds to wait for the state to settle before failing'}, rule='type')
            if isinstance(data__timeout, (int, float, Decimal)) and not isinstance(data__timeout, bool):
                if data__timeout < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".timeout must be bigger than or equal to 1", value=data__timeout, name="" + (name_prefix or "data") + ".timeout", definition={'type': 'number', 'minimum': 1, 'maximum': 3300, 'default': 600, 'description': 'Seconds to wait for the state to settle before failing'}, rule='minimum')
                if data__timeout > 3300:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".timeout must be smaller than or equal to 3300", value=data__timeout, name="" + (name_prefix or "data") + ".timeout", definition={'type': 'number', 'minimum': 1, 'maximum': 3300, 'default': 600, 'description': 'Seconds to wait for the state to settle before failing'}, rule='maximum')
        else: data["timeout"] = 600
        if "interval" in data_keys:
            data_keys.remove("interval")
            data__interval = data["interval"]
            if not isinstance(data__interval, (int, float, Decimal)) or isinstance(data__interval, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".interval must be number", value=data__interval, name="" + (name_prefix or "data") + ".interval", definition={'type': 'number', 'minimum': 1, 'maximum': 300, 'default': 5, 'description': "Seconds between polls of the mapping's state"}, rule='type')
            if isinstance(data__interval, (int, float, Decimal)) and not isinstance(data__interval, bool):
                if data__interval < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".interval must be bigger than or equal to 1", value=data__interval, name="" + (name_prefix or "data") + ".interval", definition={'type': 'number', 'minimum': 1, 'maximum': 300, 'default': 5, 'description': "Seconds between polls of the mapping's state"}, rule='minimum')
                if data__interval > 300:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".interval must be smaller than or equal to 300", value=data__interval, name="" + (name_prefix or "data") + ".interval", definition={'type': 'number', 'minimum': 1, 'maximum': 300, 'default': 5, 'description': "Seconds between polls of the mapping's state"}, rule='maximum')
        else: data["interval"] = 5
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'uuid': {'type': 'string', 'pattern': '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$', 'description': "The mapping's UUID; or give function and event_source_arn to look it up"}, 'function': {'type': 'string', 'minLength': 1, 'maxLength': 170, 'description': 'Function name, partial ARN (ACCOUNT:function:NAME) or ARN, optionally with :ALIAS or :VERSION'}, 'event_source_arn': {'type': 'string', 'pattern': '^arn:aws[a-z-]*:(sqs|kinesis|dynamodb):[a-z0-9-]+:[0-9]{12}:.+$', 'description': 'ARN of the SQS queue, Kinesis stream or DynamoDB stream that feeds the function'}, 'wait': {'type': 'boolean', 'default': True, 'description': "Poll until the mapping's state settles (Enabled/Disabled, or gone) before succeeding"}, 'timeout': {'type': 'number', 'minimum': 1, 'maximum': 3300, 'default': 600, 'description': 'Seconds to wait for the state to settle before failing'}, 'interval': {'type': 'number', 'minimum': 1, 'maximum': 300, 'default': 5, 'description': "Seconds between polls of the mapping's state"}}, 'if': {'not': {'required': ['uuid']}}, 'then': {'required': ['function', 'event_source_arn']}, 'additionalProperties': False}, rule='additionalProperties')
    try:
        try:
            data_is_dict = isinstance(data, dict)
            if data_is_dict:
                data__missing_keys = set(['uuid']) - data.keys()
                if data__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'required': ['uuid']}, rule='required')
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
        else:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must NOT match a disallowed definition", value=data, name="" + (name_prefix or "data") + "", definition={'not': {'required': ['uuid']}}, rule='not')
    except (JsonSchemaValueException, JsonSchemaValuesException):
        pass
    else:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['function', 'event_source_arn']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'required': ['function', 'event_source_arn']}, rule='required')
    return data

validate = validate
SCHEMA_DIGEST = '2fbd695fae8976a569ea85e84e2f7ada421142e8d4d14914273312a477664a55'
