# Generated from codedeploy_hooks.steps.builtin.delete_dynamodb_tables.DeleteDynamodbTables.params_schema by `hookctl schema --write`: do not edit.
# mypy: ignore-errors
VERSION = "2.22.3"
from decimal import Decimal
import re
from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException


REGEX_PATTERNS = {
    '^[A-Za-z0-9_.-]{3,255}$': re.compile('^[A-Za-z0-9_.-]{3,255}\\Z')
}

NoneType = type(None)

def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'tables': {'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9_.-]{3,255}$'}, 'minItems': 1, 'maxItems': 50, 'uniqueItems': True, 'description': 'Table names, e.g. [orders-${live}-prod, orders-events-${live}-prod]'}, 'backup': {'type': 'boolean', 'default': False, 'description': 'Take an on-demand backup (CreateBackup) of each table, named <table>-<deployment id>, and wait until it is AVAILABLE before deleting the table; the backup ARN is recorded'}, 'interval': {'type': 'number', 'minimum': 1, 'maximum': 300, 'default': 10, 'description': 'Seconds between checks until the resources are gone'}, 'lift_deletion_protection': {'type': 'boolean', 'default': False, 'description': 'Turn DeletionProtectionEnabled off first (recorded in changed); otherwise a protected table fails the step with no table deleted'}}, 'required': ['tables'], 'additionalProperties': False}, rule='type')
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['tables']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'tables': {'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9_.-]{3,255}$'}, 'minItems': 1, 'maxItems': 50, 'uniqueItems': True, 'description': 'Table names, e.g. [orders-${live}-prod, orders-events-${live}-prod]'}, 'backup': {'type': 'boolean', 'default': False, 'description': 'Take an on-demand backup (CreateBackup) of each table, named <table>-<deployment id>, and wait until it is AVAILABLE before deleting the table; the backup ARN is recorded'}, 'interval': {'type': 'number', 'minimum': 1, 'maximum': 300, 'default': 10, 'description': 'Seconds between checks until the resources are gone'}, 'lift_deletion_protection': {'type': 'boolean', 'default': False, 'description': 'Turn DeletionProtectionEnabled off first (recorded in changed); otherwise a protected table fails the step with no table deleted'}}, 'required': ['tables'], 'additionalProperties': False}, rule='required')
        data_keys = set(data.keys())
        if "tables" in data_keys:
            data_keys.remove("tables")
            data__tables = data["tables"]
            if not isinstance(data__tables, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".tables must be array", value=data__tables, name="" + (name_prefix or "data") + ".tables", definition={'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9_.-]{3,255}$'}, 'minItems': 1, 'maxItems': 50, 'uniqueItems': True, 'description': 'Table names, e.g. [orders-${live}-prod, orders-events-${live}-prod]'}, rule='type')
            data__tables_is_list = isinstance(data__tables, (list, tuple))
            if data__tables_is_list:
                data__tables_len = len(data__tables)
                if data__tables_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".tables must contain at least 1 items", value=data__tables, name="" + (name_prefix or "data") + ".tables", definition={'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9_.-]{3,255}$'}, 'minItems': 1, 'maxItems': 50, 'uniqueItems': True, 'description': 'Table names, e.g. [orders-${live}-prod, orders-events-${live}-prod]'}, rule='minItems')
                if data__tables_len > 50:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".tables must contain less than or equal to 50 items", value=data__tables, name="" + (name_prefix or "data") + ".tables", definition={'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9_.-]{3,255}$'}, 'minItems': 1, 'maxItems': 50, 'uniqueItems': True, 'description': 'Table names, e.g. [orders-${live}-prod, orders-events-${live}-prod]'}, rule='maxItems')
                def fn(var): return frozenset(dict((k, fn(v)) for k, v in var.items()).items()) if hasattr(var, "items") else tuple(fn(v) for v in var) if isinstance(var, (dict, list)) else (bool, var) if isinstance(var, bool) else var
                if data__tables_len > len(set(fn(data__tables_x) for data__tables_x in data__tables)):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".tables must contain unique items", value=data__tables, name="" + (name_prefix or "data") + ".tables", definition={'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9_.-]{3,255}$'}, 'minItems': 1, 'maxItems': 50, 'uniqueItems': True, 'description': 'Table names, e.g. [orders-${live}-prod, orders-events-${live}-prod]'}, rule='uniqueItems')
                for data__tables_x, data__tables_item in enumerate(data__tables):
                    if not isinstance(data__tables_item, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".tables[{data__tables_x}]".format(**locals()) + " must be string", value=data__tables_item, name="" + (name_prefix or "data") + ".tables[{data__tables_x}]".format(**locals()) + "", definition={'type': 'string', 'pattern': '^[A-Za-z0-9_.-]{3,255}$'}, rule='type')
                    if isinstance(data__tables_item, str):
                        if not REGEX_PATTERNS['^[A-Za-z0-9_.-]{3,255}$'].search(data__tables_item):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".tables[{data__tables_x}]".format(**locals()) + " must match pattern ^[A-Za-z0-9_.-]{3,255}$", value=data__tables_item, name="" + (name_prefix or "data") + ".tables[{data__tables_x}]".format(**locals()) + "", definition={'type': 'string', 'pattern': '^[A-Za-z0-9_.-]{3,255}$'}, rule='pattern')
        if "backup" in data_keys:
            data_keys.remove("backup")
            data__backup = data["backup"]
            if not isinstance(data__backup, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".backup must be boolean", value=data__backup, name="" + (name_prefix or "data") + ".backup", definition={'type': 'boolean', 'default': False, 'description': 'Take an on-demand backup (CreateBackup) of each table, named <table>-<deployment id>, and wait until it is AVAILABLE before deleting the table; the backup ARN is recorded'}, rule='type')
        else: data["backup"] = False
        if "interval" in data_keys:
            data_keys.remove("interval")
            data__interval = data["interval"]
            if not isinstance(data__interval, (int, float, Decimal)) or isinstance(data__interval, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".interval must be number", value=data__interval, name="" + (name_prefix or "data") + ".interval", definition={'type': 'number', 'minimum': 1, 'maximum': 300, 'default': 10, 'description': 'Seconds between checks until the resources are gone'}, rule='type')
            if isinstance(data__interval, (int, float, Decimal)) and not isinstance(data__interval, bool):
                if data__interval < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".interval must be bigger than or equal to 1", value=data__interval, name="" + (name_prefix or "data") + ".interval", definition={'type': 'number', 'minimum': 1, 'maximum': 300, 'default': 10, 'description': 'Seconds between checks until the resources are gone'}, rule='minimum')
                if data__interval > 300:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".interval must be smaller than or equal to 300", value=data__interval, name="" + (name_prefix or "data") + ".interval", definition={'type': 'number', 'minimum': 1, 'maximum': 300, 'default': 10, 'description': 'Seconds between checks until the resources are gone'}, rule='maximum')
        else: data["interval"] = 10
        if "lift_deletion_protection" in data_keys:
            data_keys.remove("lift_deletion_protection")
            data__liftdeletionprotection = data["lift_deletion_protection"]
            if not isinstance(data__liftdeletionprotection, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".lift_deletion_protection must be boolean", value=data__liftdeletionprotection, name="" + (name_prefix or "data") + ".lift_deletion_protection", definition={'type': 'boolean', 'default': False, 'description': 'Turn DeletionProtectionEnabled off first (recorded in changed); otherwise a protected table fails the step with no table deleted'}, rule='type')
        else: data["lift_deletion_protection"] = False
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'tables': {'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9_.-]{3,255}$'}, 'minItems': 1, 'maxItems': 50, 'uniqueItems': True, 'description': 'Table names, e.g. [orders-${live}-prod, orders-events-${live}-prod]'}, 'backup': {'type': 'boolean', 'default': False, 'description': 'Take an on-demand backup (CreateBackup) of each table, named <table>-<deployment id>, and wait until it is AVAILABLE before deleting the table; the backup ARN is recorded'}, 'interval': {'type': 'number', 'minimum': 1, 'maximum': 300, 'default': 10, 'description': 'Seconds between checks until the resources are gone'}, 'lift_deletion_protection': {'type': 'boolean', 'default': False, 'description': 'Turn DeletionProtectionEnabled off first (recorded in changed); otherwise a protected table fails the step with no table deleted'}}, 'required': ['tables'], 'additionalProperties': False}, rule='additionalProperties')
    return data

validate = validate
SCHEMA_DIGEST = '52e2d18f1744493ffe21a63e2d4f856535b76919b6d820717dbcc1ee193eaab8'
