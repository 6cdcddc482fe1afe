# Generated from codedeploy_hooks.steps.builtin.wait.Wait.params_schema by `hookctl schema --write`: do not edit.
# mypy: ignore-errors
VERSION = "2.22.3"
from decimal import Decimal
from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException


NoneType = type(None)

def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'seconds': {'type': 'number', 'minimum': 0, 'maximum': 3600, 'description': 'How long to wait'}}, 'required': ['seconds'], 'additionalProperties': False}, rule='type')
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['seconds']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'seconds': {'type': 'number', 'minimum': 0, 'maximum': 3600, 'description': 'How long to wait'}}, 'required': ['seconds'], 'additionalProperties': False}, rule='required')
        data_keys = set(data.keys())
        if "seconds" in data_keys:
            data_keys.remove("seconds")
            data__seconds = data["seconds"]
            if not isinstance(data__seconds, (int, float, Decimal)) or isinstance(data__seconds, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".seconds must be number", value=data__seconds, name="" + (name_prefix or "data") + ".seconds", definition={'type': 'number', 'minimum': 0, 'maximum': 3600, 'description': 'How long to wait'}, rule='type')
            if isinstance(data__seconds, (int, float, Decimal)) and not isinstance(data__seconds, bool):
                if data__seconds < 0:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".seconds must be bigger than or equal to 0", value=data__seconds, name="" + (name_prefix or "data") + ".seconds", definition={'type': 'number', 'minimum': 0, 'maximum': 3600, 'description': 'How long to wait'}, rule='minimum')
                if data__seconds > 3600:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".seconds must be smaller than or equal to 3600", value=data__seconds, name="" + (name_prefix or "data") + ".seconds", definition={'type': 'number', 'minimum': 0, 'maximum': 3600, 'description': 'How long to wait'}, rule='maximum')
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'seconds': {'type': 'number', 'minimum': 0, 'maximum': 3600, 'description': 'How long to wait'}}, 'required': ['seconds'], 'additionalProperties': False}, rule='additionalProperties')
    return data

validate = validate
SCHEMA_DIGEST = '249ae166994c3f38d68a42c7e8681b817dd95af8bd5e365aeb88c089ece23b0f'
