# Generated from codedeploy_hooks.steps.builtin.approval.Approval.params_schema by `hookctl schema --write`: do not edit.
# mypy: ignore-errors
VERSION = "2.22.3"
from decimal import Decimal
from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException


NoneType = type(None)

def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'timeout': {'type': 'number', 'minimum': 1, 'maximum': 3300, 'default': 1800, 'description': 'Seconds to wait for a decision (keep it below the hook timeout)'}, 'on_timeout': {'enum': ['fail', 'pass'], 'default': 'fail', 'description': 'What the step does when nobody decided in time: fail the hook, or pass'}, 'poll': {'type': 'number', 'minimum': 1, 'maximum': 300, 'default': 10, 'description': 'Seconds between looks at the registry for a decision'}, 'prompt': {'type': 'string', 'maxLength': 200, 'description': 'What the approver should check first; shown by `hookctl status` while waiting'}}, 'additionalProperties': False}, rule='type')
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_keys = set(data.keys())
        if "timeout" in data_keys:
            data_keys.remove("timeout")
            data__timeout = data["timeout"]
            if not isinstance(data__timeout, (int, float, Decimal)) or isinstance(data__timeout, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".timeout must be number", value=data__timeout, name="" + (name_prefix or "data") + ".timeout", definition={'type': 'number', 'minimum': 1, 'maximum': 3300, 'default': 1800, 'description': 'Seconds to wait for a decision (keep it below the hook timeout)'}, rule='type')
            if isinstance(data__timeout, (int, float, Decimal)) and not isinstance(data__timeout, bool):
                if data__timeout < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".timeout must be bigger than or equal to 1", value=data__timeout, name="" + (name_prefix or "data") + ".timeout", definition={'type': 'number', 'minimum': 1, 'maximum': 3300, 'default': 1800, 'description': 'Seconds to wait for a decision (keep it below the hook timeout)'}, rule='minimum')
                if data__timeout > 3300:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".timeout must be smaller than or equal to 3300", value=data__timeout, name="" + (name_prefix or "data") + ".timeout", definition={'type': 'number', 'minimum': 1, 'maximum': 3300, 'default': 1800, 'description': 'Seconds to wait for a decision (keep it below the hook timeout)'}, rule='maximum')
        else: data["timeout"] = 1800
        if "on_timeout" in data_keys:
            data_keys.remove("on_timeout")
            data__ontimeout = data["on_timeout"]
            if not (isinstance(data__ontimeout, str) and data__ontimeout == 'fail' or isinstance(data__ontimeout, str) and data__ontimeout == 'pass'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".on_timeout must be one of ['fail', 'pass']", value=data__ontimeout, name="" + (name_prefix or "data") + ".on_timeout", definition={'enum': ['fail', 'pass'], 'default': 'fail', 'description': 'What the step does when nobody decided in time: fail the hook, or pass'}, rule='enum')
        else: data["on_timeout"] = 'fail'
        if "poll" in data_keys:
            data_keys.remove("poll")
            data__poll = data["poll"]
            if not isinstance(data__poll, (int, float, Decimal)) or isinstance(data__poll, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".poll must be number", value=data__poll, name="" + (name_prefix or "data") + ".poll", definition={'type': 'number', 'minimum': 1, 'maximum': 300, 'default': 10, 'description': 'Seconds between looks at the registry for a decision'}, rule='type')
            if isinstance(data__poll, (int, float, Decimal)) and not isinstance(data__poll, bool):
                if data__poll < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".poll must be bigger than or equal to 1", value=data__poll, name="" + (name_prefix or "data") + ".poll", definition={'type': 'number', 'minimum': 1, 'maximum': 300, 'default': 10, 'description': 'Seconds between looks at the registry for a decision'}, rule='minimum')
                if data__poll > 300:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".poll must be smaller than or equal to 300", value=data__poll, name="" + (name_prefix or "data") + ".poll", definition={'type': 'number', 'minimum': 1, 'maximum': 300, 'default': 10, 'description': 'Seconds between looks at the registry for a decision'}, rule='maximum')
        else: data["poll"] = 10
        if "prompt" in data_keys:
            data_keys.remove("prompt")
            data__prompt = data["prompt"]
            if not isinstance(data__prompt, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".prompt must be string", value=data__prompt, name="" + (name_prefix or "data") + ".prompt", definition={'type': 'string', 'maxLength': 200, 'description': 'What the approver should check first; shown by `hookctl status` while waiting'}, rule='type')
            if isinstance(data__prompt, str):
                data__prompt_len = len(data__prompt)
                if data__prompt_len > 200:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".prompt must be shorter than or equal to 200 characters", value=data__prompt, name="" + (name_prefix or "data") + ".prompt", definition={'type': 'string', 'maxLength': 200, 'description': 'What the approver should check first; shown by `hookctl status` while waiting'}, rule='maxLength')
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'timeout': {'type': 'number', 'minimum': 1, 'maximum': 3300, 'default': 1800, 'description': 'Seconds to wait for a decision (keep it below the hook timeout)'}, 'on_timeout': {'enum': ['fail', 'pass'], 'default': 'fail', 'description': 'What the step does when nobody decided in time: fail the hook, or pass'}, 'poll': {'type': 'number', 'minimum': 1, 'maximum': 300, 'default': 10, 'description': 'Seconds between looks at the registry for a decision'}, 'prompt': {'type': 'string', 'maxLength': 200, 'description': 'What the approver should check first; shown by `hookctl status` while waiting'}}, 'additionalProperties': False}, rule='additionalProperties')
    return data

validate = validate
SCHEMA_DIGEST = '60e20e91936b438506c80a113d343a866e925782cff459f63a0561d5940dd7a2'
