# Generated from codedeploy_hooks.steps.builtin.run_migration_lambda.RunMigrationLambda.params_schema by `hookctl schema --write`: do not edit.
# mypy: ignore-errors
VERSION = "2.22.3"
from decimal import Decimal
import re
from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException


REGEX_PATTERNS = {
    '^(\\$LATEST|[A-Za-z0-9_-]+)$': re.compile('^(\\$LATEST|[A-Za-z0-9_-]+)\\Z')
}

NoneType = type(None)

def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'function': {'type': 'string', 'minLength': 1, 'maxLength': 170, 'description': 'Migration function: name, ARN or partial ARN (e.g. orders-migrate-${target})'}, 'qualifier': {'type': 'string', 'pattern': '^(\\$LATEST|[A-Za-z0-9_-]+)$', 'description': 'Version or alias to invoke; its own timeout is the one checked'}, 'payload': {'type': 'object', 'default': {}, 'description': 'JSON event sent to the function; ${...} placeholders are resolved'}, 'failure_field': {'type': 'string', 'minLength': 1, 'description': 'Dotted path into the response; a truthy value there fails the step (e.g. error)'}, 'success_field': {'type': 'string', 'minLength': 1, 'description': 'Dotted path into the response that must equal success_value (e.g. status)'}, 'success_value': {'description': 'Value success_field must have (e.g. ok)'}, 'migrated_field': {'type': 'string', 'minLength': 1, 'default': 'migrated', 'description': 'Dotted path of what the function reports it applied; recorded as changed.migrated'}}, 'required': ['function'], 'dependencies': {'success_field': ['success_value'], 'success_value': ['success_field']}, 'additionalProperties': False}, rule='type')
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['function']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'function': {'type': 'string', 'minLength': 1, 'maxLength': 170, 'description': 'Migration function: name, ARN or partial ARN (e.g. orders-migrate-${target})'}, 'qualifier': {'type': 'string', 'pattern': '^(\\$LATEST|[A-Za-z0-9_-]+)$', 'description': 'Version or alias to invoke; its own timeout is the one checked'}, 'payload': {'type': 'object', 'default': {}, 'description': 'JSON event sent to the function; ${...} placeholders are resolved'}, 'failure_field': {'type': 'string', 'minLength': 1, 'description': 'Dotted path into the response; a truthy value there fails the step (e.g. error)'}, 'success_field': {'type': 'string', 'minLength': 1, 'description': 'Dotted path into the response that must equal success_value (e.g. status)'}, 'success_value': {'description': 'Value success_field must have (e.g. ok)'}, 'migrated_field': {'type': 'string', 'minLength': 1, 'default': 'migrated', 'description': 'Dotted path of what the function reports it applied; recorded as changed.migrated'}}, 'required': ['function'], 'dependencies': {'success_field': ['success_value'], 'success_value': ['success_field']}, 'additionalProperties': False}, rule='required')
        if "success_field" in data:
            if "success_value" not in data:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " missing dependency success_value for success_field", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'function': {'type': 'string', 'minLength': 1, 'maxLength': 170, 'description': 'Migration function: name, ARN or partial ARN (e.g. orders-migrate-${target})'}, 'qualifier': {'type': 'string', 'pattern': '^(\\$LATEST|[A-Za-z0-9_-]+)$', 'description': 'Version or alias to invoke; its own timeout is the one checked'}, 'payload': {'type': 'object', 'default': {}, 'description': 'JSON event sent to the function; ${...} placeholders are resolved'}, 'failure_field': {'type': 'string', 'minLength': 1, 'description': 'Dotted path into the response; a truthy value there fails the step (e.g. error)'}, 'success_field': {'type': 'string', 'minLength': 1, 'description': 'Dotted path into the response that must equal success_value (e.g. status)'}, 'success_value': {'description': 'Value success_field must have (e.g. ok)'}, 'migrated_field': {'type': 'string', 'minLength': 1, 'default': 'migrated', 'description': 'Dotted path of what the function reports it applied; recorded as changed.migrated'}}, 'required': ['function'], 'dependencies': {'success_field': ['success_value'], 'success_value': ['success_field']}, 'additionalProperties': False}, rule='dependencies')
        if "success_value" in data:
            if "success_field" not in data:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " missing dependency success_field for success_value", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'function': {'type': 'string', 'minLength': 1, 'maxLength': 170, 'description': 'Migration function: name, ARN or partial ARN (e.g. orders-migrate-${target})'}, 'qualifier': {'type': 'string', 'pattern': '^(\\$LATEST|[A-Za-z0-9_-]+)$', 'description': 'Version or alias to invoke; its own timeout is the one checked'}, 'payload': {'type': 'object', 'default': {}, 'description': 'JSON event sent to the function; ${...} placeholders are resolved'}, 'failure_field': {'type': 'string', 'minLength': 1, 'description': 'Dotted path into the response; a truthy value there fails the step (e.g. error)'}, 'success_field': {'type': 'string', 'minLength': 1, 'description': 'Dotted path into the response that must equal success_value (e.g. status)'}, 'success_value': {'description': 'Value success_field must have (e.g. ok)'}, 'migrated_field': {'type': 'string', 'minLength': 1, 'default': 'migrated', 'description': 'Dotted path of what the function reports it applied; recorded as changed.migrated'}}, 'required': ['function'], 'dependencies': {'success_field': ['success_value'], 'success_value': ['success_field']}, 'additionalProperties': False}, rule='dependencies')
        data_keys = set(data.keys())
        if "function" in data_keys:
            data_keys.remove("function")
            data__function = data["function"]
            if not isinstance(data__function, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".function must be string", value=data__function, name="" + (name_prefix or "data") + ".function", definition={'type': 'string', 'minLength': 1, 'maxLength': 170, 'description': 'Migration function: name, ARN or partial ARN (e.g. orders-migrate-${target})'}, rule='type')
            if isinstance(data__function, str):
                data__function_len = len(data__function)
                if data__function_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".function must be longer than or equal to 1 characters", value=data__function, name="" + (name_prefix or "data") + ".function", definition={'type': 'string', 'minLength': 1, 'maxLength': 170, 'description': 'Migration function: name, ARN or partial ARN (e.g. orders-migrate-${target})'}, rule='minLength')
                if data__function_len > 170:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".function must be shorter than or equal to 170 characters", value=data__function, name="" + (name_prefix or "data") + ".function", definition={'type': 'string', 'minLength': 1, 'maxLength': 170, 'description': 'Migration function: name, ARN or partial ARN (e.g. orders-migrate-${target})'}, rule='maxLength')
        if "qualifier" in data_keys:
            data_keys.remove("qualifier")
            data__qualifier = data["qualifier"]
            if not isinstance(data__qualifier, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".qualifier must be string", value=data__qualifier, name="" + (name_prefix or "data") + ".qualifier", definition={'type': 'string', 'pattern': '^(\\$LATEST|[A-Za-z0-9_-]+)$', 'description': 'Version or alias to invoke; its own timeout is the one checked'}, rule='type')
            if isinstance(data__qualifier, str):
                if not REGEX_PATTERNS['^(\\$LATEST|[A-Za-z0-9_-]+)$'].search(data__qualifier):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".qualifier must match pattern ^(\\$LATEST|[A-Za-z0-9_-]+)$", value=data__qualifier, name="" + (name_prefix or "data") + ".qualifier", definition={'type': 'string', 'pattern': '^(\\$LATEST|[A-Za-z0-9_-]+)$', 'description': 'Version or alias to invoke; its own timeout is the one checked'}, rule='pattern')
        if "payload" in data_keys:
            data_keys.remove("payload")
            data__payload = data["payload"]
            if not isinstance(data__payload, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".payload must be object", value=data__payload, name="" + (name_prefix or "data") + ".payload", definition={'type': 'object', 'default': {}, 'description': 'JSON event sent to the function; ${...} placeholders are resolved'}, rule='type')
        else: data["payload"] = {}
        if "failure_field" in data_keys:
            data_keys.remove("failure_field")
            data__failurefield = data["failure_field"]
            if not isinstance(data__failurefield, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".failure_field must be string", value=data__failurefield, name="" + (name_prefix or "data") + ".failure_field", definition={'type': 'string', 'minLength': 1, 'description': 'Dotted path into the response; a truthy value there fails the step (e.g. error)'}, rule='type')
            if isinstance(data__failurefield, str):
                data__failurefield_len = len(data__failurefield)
                if data__failurefield_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".failure_field must be longer than or equal to 1 characters", value=data__failurefield, name="" + (name_prefix or "data") + ".failure_field", definition={'type': 'string', 'minLength': 1, 'description': 'Dotted path into the response; a truthy value there fails the step (e.g. error)'}, rule='minLength')
        if "success_field" in data_keys:
            data_keys.remove("success_field")
            data__successfield = data["success_field"]
            if not isinstance(data__successfield, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".success_field must be string", value=data__successfield, name="" + (name_prefix or "data") + ".success_field", definition={'type': 'string', 'minLength': 1, 'description': 'Dotted path into the response that must equal success_value (e.g. status)'}, rule='type')
            if isinstance(data__successfield, str):
                data__successfield_len = len(data__successfield)
                if data__successfield_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".success_field must be longer than or equal to 1 characters", value=data__successfield, name="" + (name_prefix or "data") + ".success_field", definition={'type': 'string', 'minLength': 1, 'description': 'Dotted path into the response that must equal success_value (e.g. status)'}, rule='minLength')
        if "success_value" in data_keys:
            data_keys.remove("success_value")
            data__successvalue = data["success_value"]
        if "migrated_field" in data_keys:
            data_keys.remove("migrated_field")
            data__migratedfield = data["migrated_field"]
            if not isinstance(data__migratedfield, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".migrated_field must be string", value=data__migratedfield, name="" + (name_prefix or "data") + ".migrated_field", definition={'type': 'string', 'minLength': 1, 'default': 'migrated', 'description': 'Dotted path of what the function reports it applied; recorded as changed.migrated'}, rule='type')
            if isinstance(data__migratedfield, str):
                data__migratedfield_len = len(data__migratedfield)
                if data__migratedfield_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".migrated_field must be longer than or equal to 1 characters", value=data__migratedfield, name="" + (name_prefix or "data") + ".migrated_field", definition={'type': 'string', 'minLength': 1, 'default': 'migrated', 'description': 'Dotted path of what the function reports it applied; recorded as changed.migrated'}, rule='minLength')
        else: data["migrated_field"] = 'migrated'
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'function': {'type': 'string', 'minLength': 1, 'maxLength': 170, 'description': 'Migration function: name, ARN or partial ARN (e.g. orders-migrate-${target})'}, 'qualifier': {'type': 'string', 'pattern': '^(\\$LATEST|[A-Za-z0-9_-]+)$', 'description': 'Version or alias to invoke; its own timeout is the one checked'}, 'payload': {'type': 'object', 'default': {}, 'description': 'JSON event sent to the function; ${...} placeholders are resolved'}, 'failure_field': {'type': 'string', 'minLength': 1, 'description': 'Dotted path into the response; a truthy value there fails the step (e.g. error)'}, 'success_field': {'type': 'string', 'minLength': 1, 'description': 'Dotted path into the response that must equal success_value (e.g. status)'}, 'success_value': {'description': 'Value success_field must have (e.g. ok)'}, 'migrated_field': {'type': 'string', 'minLength': 1, 'default': 'migrated', 'description': 'Dotted path of what the function reports it applied; recorded as changed.migrated'}}, 'required': ['function'], 'dependencies': {'success_field': ['success_value'], 'success_value': ['success_field']}, 'additionalProperties': False}, rule='additionalProperties')
    return data

validate = validate
SCHEMA_DIGEST = 'f9f18fd03f8bd396f9b4b6f99a5e05ea24cd73b8fcde5457511a0bb353605d2e'
