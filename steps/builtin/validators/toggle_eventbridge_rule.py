# Generated from codedeploy_hooks.steps.builtin.toggle_eventbridge_rule.ToggleEventBridgeRule.params_schema by `hookctl schema --write`: do not edit.
# mypy: ignore-errors
VERSION = "2.22.3"
from decimal import Decimal
import re
from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException


REGEX_PATTERNS = {
    '^[\\.\\-_A-Za-z0-9]{1,64}$': re.compile('^[\\.\\-_A-Za-z0-9]{1,64}\\Z')
}

NoneType = type(None)

def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'rule': {'type': 'string', 'pattern': '^[\\.\\-_A-Za-z0-9]{1,64}$', 'description': 'Name of the rule'}, 'event_bus': {'type': 'string', 'minLength': 1, 'maxLength': 1600, 'default': 'default', 'description': 'Name or ARN of the event bus the rule is on'}, 'enabled': {'type': 'boolean', 'description': 'true: enable the rule; false: disable it (guarded)'}}, 'required': ['rule', 'enabled'], 'additionalProperties': False}, rule='type')
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['rule', 'enabled']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'rule': {'type': 'string', 'pattern': '^[\\.\\-_A-Za-z0-9]{1,64}$', 'description': 'Name of the rule'}, 'event_bus': {'type': 'string', 'minLength': 1, 'maxLength': 1600, 'default': 'default', 'description': 'Name or ARN of the event bus the rule is on'}, 'enabled': {'type': 'boolean', 'description': 'true: enable the rule; false: disable it (guarded)'}}, 'required': ['rule', 'enabled'], 'additionalProperties': False}, rule='required')
        data_keys = set(data.keys())
        if "rule" in data_keys:
            data_keys.remove("rule")
            data__rule = data["rule"]
            if not isinstance(data__rule, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".rule must be string", value=data__rule, name="" + (name_prefix or "data") + ".rule", definition={'type': 'string', 'pattern': '^[\\.\\-_A-Za-z0-9]{1,64}$', 'description': 'Name of the rule'}, rule='type')
            if isinstance(data__rule, str):
                if not REGEX_PATTERNS['^[\\.\\-_A-Za-z0-9]{1,64}$'].search(data__rule):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".rule must match pattern ^[\\.\\-_A-Za-z0-9]{1,64}$", value=data__rule, name="" + (name_prefix or "data") + ".rule", definition={'type': 'string', 'pattern': '^[\\.\\-_A-Za-z0-9]{1,64}$', 'description': 'Name of the rule'}, rule='pattern')
        if "event_bus" in data_keys:
            data_keys.remove("event_bus")
            data__eventbus = data["event_bus"]
            if not isinstance(data__eventbus, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".event_bus must be string", value=data__eventbus, name="" + (name_prefix or "data") + ".event_bus", definition={'type': 'string', 'minLength': 1, 'maxLength': 1600, 'default': 'default', 'description': 'Name or ARN of the event bus the rule is on'}, rule='type')
            if isinstance(data__eventbus, str):
                data__eventbus_len = len(data__eventbus)
                if data__eventbus_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".event_bus must be longer than or equal to 1 characters", value=data__eventbus, name="" + (name_prefix or "data") + ".event_bus", definition={'type': 'string', 'minLength': 1, 'maxLength': 1600, 'default': 'default', 'description': 'Name or ARN of the event bus the rule is on'}, rule='minLength')
                if data__eventbus_len > 1600:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".event_bus must be shorter than or equal to 1600 characters", value=data__eventbus, name="" + (name_prefix or "data") + ".event_bus", definition={'type': 'string', 'minLength': 1, 'maxLength': 1600, 'default': 'default', 'description': 'Name or ARN of the event bus the rule is on'}, rule='maxLength')
        else: data["event_bus"] = 'default'
        if "enabled" in data_keys:
            data_keys.remove("enabled")
            data__enabled = data["enabled"]
            if not isinstance(data__enabled, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".enabled must be boolean", value=data__enabled, name="" + (name_prefix or "data") + ".enabled", definition={'type': 'boolean', 'description': 'true: enable the rule; false: disable it (guarded)'}, rule='type')
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'rule': {'type': 'string', 'pattern': '^[\\.\\-_A-Za-z0-9]{1,64}$', 'description': 'Name of the rule'}, 'event_bus': {'type': 'string', 'minLength': 1, 'maxLength': 1600, 'default': 'default', 'description': 'Name or ARN of the event bus the rule is on'}, 'enabled': {'type': 'boolean', 'description': 'true: enable the rule; false: disable it (guarded)'}}, 'required': ['rule', 'enabled'], 'additionalProperties': False}, rule='additionalProperties')
    return data

validate = validate
SCHEMA_DIGEST = 'b35d0480ebec6c5810b7bc881b4dfec34759dd35ceae95549da39e16aeb792c8'
