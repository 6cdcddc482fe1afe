# Generated from codedeploy_hooks.steps.builtin.flip_live_label.FlipLiveLabel.params_schema by `hookctl schema --write`: do not edit.
# mypy: ignore-errors
VERSION = "2.22.3"
from decimal import Decimal
from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException


NoneType = type(None)

def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'to': {'type': 'string', 'description': "Label to make live; default: the deployment's target label"}}, 'additionalProperties': False}, rule='type')
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_keys = set(data.keys())
        if "to" in data_keys:
            data_keys.remove("to")
            data__to = data["to"]
            if not isinstance(data__to, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".to must be string", value=data__to, name="" + (name_prefix or "data") + ".to", definition={'type': 'string', 'description': "Label to make live; default: the deployment's target label"}, rule='type')
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'to': {'type': 'string', 'description': "Label to make live; default: the deployment's target label"}}, 'additionalProperties': False}, rule='additionalProperties')
    return data

validate = validate
SCHEMA_DIGEST = 'cb305178edd611e0d0927255f6a005f80c1ce3879ebe1246d43ecadf04fe4d85'
