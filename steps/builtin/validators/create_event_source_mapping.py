# Generated from codedeploy_hooks.steps.builtin.event_source_mapping.CreateEventSourceMapping.params_schema by `hookctl schema --write`: do not edit.
# mypy: ignore-errors
VERSION = "2.22.3"
from decimal import Decimal
import re
from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException


REGEX_PATTERNS = {
    '^arn:aws[a-z-]*:(sqs|kinesis|dynamodb):[a-z0-9-]+:[0-9]{12}:.+$': re.compile('^arn:aws[a-z-]*:(sqs|kinesis|dynamodb):[a-z0-9-]+:[0-9]{12}:.+\\Z')
}

NoneType = type(None)

def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'function': {'type': 'string', 'minLength': 1, 'maxLength': 170, 'description': 'Function name, partial ARN (ACCOUNT:function:NAME) or ARN, optionally with :ALIAS or :VERSION'}, 'event_source_arn': {'type': 'string', 'pattern': '^arn:aws[a-z-]*:(sqs|kinesis|dynamodb):[a-z0-9-]+:[0-9]{12}:.+$', 'description': 'ARN of the SQS queue, Kinesis stream or DynamoDB stream that feeds the function'}, 'batch_size': {'type': 'integer', 'minimum': 1, 'maximum': 10000, 'description': "Records per batch; default: Lambda's (10 for SQS, 100 for streams)"}, 'starting_position': {'enum': ['TRIM_HORIZON', 'LATEST'], 'description': 'Where a Kinesis/DynamoDB stream is read from; default TRIM_HORIZON (not for SQS)'}, 'enabled': {'type': 'boolean', 'default': True, 'description': 'Create it enabled (default) or disabled'}, 'wait': {'type': 'boolean', 'default': True, 'description': "Poll until the mapping's state settles (Enabled/Disabled, or gone) before succeeding"}, 'timeout': {'type': 'number', 'minimum': 1, 'maximum': 3300, 'default': 600, 'description': 'Seconds to wait for the state to settle before failing'}, 'interval': {'type': 'number', 'minimum': 1, 'maximum': 300, 'default': 5, 'description': "Seconds between polls of the mapping's state"}}, 'required': ['function', 'event_source_arn'], 'additionalProperties': False}, rule='type')
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['function', 'event_source_arn']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'function': {'type': 'string', 'minLength': 1, 'maxLength': 170, 'description': 'Function name, partial ARN (ACCOUNT:function:NAME) or ARN, optionally with :ALIAS or :VERSION'}, 'event_source_arn': {'type': 'string', 'pattern': '^arn:aws[a-z-]*:(sqs|kinesis|dynamodb):[a-z0-9-]+:[0-9]{12}:.+$', 'description': 'ARN of the SQS queue, Kinesis stream or DynamoDB stream that feeds the function'}, 'batch_size': {'type': 'integer', 'minimum': 1, 'maximum': 10000, 'description': "Records per batch; default: Lambda's (10 for SQS, 100 for streams)"}, 'starting_position': {'enum': ['TRIM_HORIZON', 'LATEST'], 'description': 'Where a Kinesis/DynamoDB stream is read from; default TRIM_HORIZON (not for SQS)'}, 'enabled': {'type': 'boolean', 'default': True, 'description': 'Create it enabled (default) or disabled'}, 'wait': {'type': 'boolean', 'default': True, 'description': "Poll until the mapping's state settles (Enabled/Disabled, or gone) before succeeding"}, 'timeout': {'type': 'number', 'minimum': 1, 'maximum': 3300, 'default': 600, 'description': 'Seconds to wait for the state to settle before failing'}, 'interval': {'type': 'number', 'minimum': 1, 'maximum': 300, 'default': 5, 'description': "Seconds between polls of the mapping's state"}}, 'required': ['function', 'event_source_arn'], 'additionalProperties': False}, rule='required')
        data_keys = set(data.keys())
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
        if "batch_size" in data_keys:
            data_keys.remove("batch_size")
            data__batchsize = data["batch_size"]
            if not isinstance(data__batchsize, (int)) and not (isinstance(data__batchsize, float) and data__batchsize.is_integer()) or isinstance(data__batchsize, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".batch_size must be integer", value=data__batchsize, name="" + (name_prefix or "data") + ".batch_size", definition={'type': 'integer', 'minimum': 1, 'maximum': 10000, 'description': "Records per batch; default: Lambda's (10 for SQS, 100 for streams)"}, rule='type')
            if isinstance(data__batchsize, (int, float, Decimal)) and not isinstance(data__batchsize, bool):
                if data__batchsize < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".batch_size must be bigger than or equal to 1", value=data__batchsize, name="" + (name_prefix or "data") + ".batch_size", definition={'type': 'integer', 'minimum': 1, 'maximum': 10000, 'description': "Records per batch; default: Lambda's (10 for SQS, 100 for streams)"}, rule='minimum')
                if data__batchsize > 10000:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".batch_size must be smaller than or equal to 10000", value=data__batchsize, name="" + (name_prefix or "data") + ".batch_size", definition={'type': 'integer', 'minimum': 1, 'maximum': 10000, 'description': "Records per batch; default: Lambda's (10 for SQS, 100 for streams)"}, rule='maximum')
        if "starting_position" in data_keys:
            data_keys.remove("starting_position")
            data__startingposition = data["starting_position"]
            if not (isinstance(data__startingposition, str) and data__startingposition == 'TRIM_HORIZON' or isinstance(data__startingposition, str) and data__startingposition == 'LATEST'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".starting_position must be one of ['TRIM_HORIZON', 'LATEST']", value=data__startingposition, name="" + (name_prefix or "data") + ".starting_position", definition={'enum': ['TRIM_HORIZON', 'LATEST'], 'description': 'Where a Kinesis/DynamoDB stream is read from; default TRIM_HORIZON (not for SQS)'}, rule='enum')
        if "enabled" in data_keys:
            data_keys.remove("enabled")
            data__enabled = data["enabled"]
            if not isinstance(data__enabled, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".enabled must be boolean", value=data__enabled, name="" + (name_prefix or "data") + ".enabled", definition={'type': 'boolean', 'default': True, 'description': 'Create it enabled (default) or disabled'}, rule='type')
        else: data["enabled"] = True
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
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'function': {'type': 'string', 'minLength': 1, 'maxLength': 170, 'description': 'Function name, partial ARN (ACCOUNT:function:NAME) or ARN, optionally with :ALIAS or :VERSION'}, 'event_source_arn': {'type': 'string', 'pattern': '^arn:aws[a-z-]*:(sqs|kinesis|dynamodb):[a-z0-9-]+:[0-9]{12}:.+$', 'description': 'ARN of the SQS queue, Kinesis stream or DynamoDB stream that feeds the function'}, 'batch_size': {'type': 'integer', 'minimum': 1, 'maximum': 10000, 'description': "Records per batch; default: Lambda's (10 for SQS, 100 for streams)"}, 'starting_position': {'enum': ['TRIM_HORIZON', 'LATEST'], 'description': 'Where a Kinesis/DynamoDB stream is read from; default TRIM_HORIZON (not for SQS)'}, 'enabled': {'type': 'boolean', 'default': True, 'description': 'Create it enabled (default) or disabled'}, 'wait': {'type': 'boolean', 'default': True, 'description': "Poll until the mapping's state settles (Enabled/Disabled, or gone) before succeeding"}, 'timeout': {'type': 'number', 'minimum': 1, 'maximum': 3300, 'default': 600, 'description': 'Seconds to wait for the state to settle before failing'}, 'interval': {'type': 'number', 'minimum': 1, 'maximum': 300, 'default': 5, 'description': "Seconds between polls of the mapping's state"}}, 'required': ['function', 'event_source_arn'], 'additionalProperties': False}, rule='additionalProperties')
    return data

validate = validate
SCHEMA_DIGEST = '8ffd35d47d3afd6943156ee6c5f6e85dc11296c019cddef81799d9edc4fa5225'
