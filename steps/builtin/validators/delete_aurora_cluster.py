# Generated from codedeploy_hooks.steps.builtin.delete_aurora_cluster.DeleteAuroraCluster.params_schema by `hookctl schema --write`: do not edit.
# mypy: ignore-errors
VERSION = "2.22.3"
from decimal import Decimal
import re
from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException


REGEX_PATTERNS = {
    '^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,62}(?<!-)$': re.compile('^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,62}(?<!-)\\Z'),
    '^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,254}(?<!-)$': re.compile('^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,254}(?<!-)\\Z')
}

NoneType = type(None)

def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'cluster': {'type': 'string', 'pattern': '^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,62}(?<!-)$', 'description': 'DB cluster identifier, e.g. orders-db-${live}-prod'}, 'final_snapshot': {'type': 'boolean', 'default': True, 'description': 'Take a final cluster snapshot as part of the delete'}, 'snapshot_id': {'type': 'string', 'pattern': '^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,254}(?<!-)$', 'description': 'Final snapshot identifier; default: <cluster>-final-<deployment id> (lowercase)'}, 'interval': {'type': 'number', 'minimum': 1, 'maximum': 300, 'default': 30, 'description': 'Seconds between checks until the resources are gone'}, 'lift_deletion_protection': {'type': 'boolean', 'default': False, 'description': 'Turn deletion protection off first (recorded in changed); otherwise a protected cluster fails the step with nothing deleted'}}, 'required': ['cluster'], 'additionalProperties': False, 'if': {'properties': {'final_snapshot': {'const': False}}, 'required': ['final_snapshot']}, 'then': {'properties': {'snapshot_id': False}}}, rule='type')
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['cluster']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'cluster': {'type': 'string', 'pattern': '^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,62}(?<!-)$', 'description': 'DB cluster identifier, e.g. orders-db-${live}-prod'}, 'final_snapshot': {'type': 'boolean', 'default': True, 'description': 'Take a final cluster snapshot as part of the delete'}, 'snapshot_id': {'type': 'string', 'pattern': '^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,254}(?<!-)$', 'description': 'Final snapshot identifier; default: <cluster>-final-<deployment id> (lowercase)'}, 'interval': {'type': 'number', 'minimum': 1, 'maximum': 300, 'default': 30, 'description': 'Seconds between checks until the resources are gone'}, 'lift_deletion_protection': {'type': 'boolean', 'default': False, 'description': 'Turn deletion protection off first (recorded in changed); otherwise a protected cluster fails the step with nothing deleted'}}, 'required': ['cluster'], 'additionalProperties': False, 'if': {'properties': {'final_snapshot': {'const': False}}, 'required': ['final_snapshot']}, 'then': {'properties': {'snapshot_id': False}}}, rule='required')
        data_keys = set(data.keys())
        if "cluster" in data_keys:
            data_keys.remove("cluster")
            data__cluster = data["cluster"]
            if not isinstance(data__cluster, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".cluster must be string", value=data__cluster, name="" + (name_prefix or "data") + ".cluster", definition={'type': 'string', 'pattern': '^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,62}(?<!-)$', 'description': 'DB cluster identifier, e.g. orders-db-${live}-prod'}, rule='type')
            if isinstance(data__cluster, str):
                if not REGEX_PATTERNS['^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,62}(?<!-)$'].search(data__cluster):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".cluster must match pattern ^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,62}(?<!-)$", value=data__cluster, name="" + (name_prefix or "data") + ".cluster", definition={'type': 'string', 'pattern': '^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,62}(?<!-)$', 'description': 'DB cluster identifier, e.g. orders-db-${live}-prod'}, rule='pattern')
        if "final_snapshot" in data_keys:
            data_keys.remove("final_snapshot")
            data__finalsnapshot = data["final_snapshot"]
            if not isinstance(data__finalsnapshot, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".final_snapshot must be boolean", value=data__finalsnapshot, name="" + (name_prefix or "data") + ".final_snapshot", definition={'type': 'boolean', 'default': True, 'description': 'Take a final cluster snapshot as part of the delete'}, rule='type')
        else: data["final_snapshot"] = True
        if "snapshot_id" in data_keys:
            data_keys.remove("snapshot_id")
            data__snapshotid = data["snapshot_id"]
            if not isinstance(data__snapshotid, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".snapshot_id must be string", value=data__snapshotid, name="" + (name_prefix or "data") + ".snapshot_id", definition={'type': 'string', 'pattern': '^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,254}(?<!-)$', 'description': 'Final snapshot identifier; default: <cluster>-final-<deployment id> (lowercase)'}, rule='type')
            if isinstance(data__snapshotid, str):
                if not REGEX_PATTERNS['^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,254}(?<!-)$'].search(data__snapshotid):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".snapshot_id must match pattern ^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,254}(?<!-)$", value=data__snapshotid, name="" + (name_prefix or "data") + ".snapshot_id", definition={'type': 'string', 'pattern': '^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,254}(?<!-)$', 'description': 'Final snapshot identifier; default: <cluster>-final-<deployment id> (lowercase)'}, rule='pattern')
        if "interval" in data_keys:
            data_keys.remove("interval")
            data__interval = data["interval"]
            if not isinstance(data__interval, (int, float, Decimal)) or isinstance(data__interval, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".interval must be number", value=data__interval, name="" + (name_prefix or "data") + ".interval", definition={'type': 'number', 'minimum': 1, 'maximum': 300, 'default': 30, 'description': 'Seconds between checks until the resources are gone'}, rule='type')
            if isinstance(data__interval, (int, float, Decimal)) and not isinstance(data__interval, bool):
                if data__interval < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".interval must be bigger than or equal to 1", value=data__interval, name="" + (name_prefix or "data") + ".interval", definition={'type': 'number', 'minimum': 1, 'maximum': 300, 'default': 30, 'description': 'Seconds between checks until the resources are gone'}, rule='minimum')
                if data__interval > 300:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".interval must be smaller than or equal to 300", value=data__interval, name="" + (name_prefix or "data") + ".interval", definition={'type': 'number', 'minimum': 1, 'maximum': 300, 'default': 30, 'description': 'Seconds between checks until the resources are gone'}, rule='maximum')
        else: data["interval"] = 30
        if "lift_deletion_protection" in data_keys:
            data_keys.remove("lift_deletion_protection")
            data__liftdeletionprotection = data["lift_deletion_protection"]
            if not isinstance(data__liftdeletionprotection, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".lift_deletion_protection must be boolean", value=data__liftdeletionprotection, name="" + (name_prefix or "data") + ".lift_deletion_protection", definition={'type': 'boolean', 'default': False, 'description': 'Turn deletion protection off first (recorded in changed); otherwise a protected cluster fails the step with nothing deleted'}, rule='type')
        else: data["lift_deletion_protection"] = False
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'cluster': {'type': 'string', 'pattern': '^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,62}(?<!-)$', 'description': 'DB cluster identifier, e.g. orders-db-${live}-prod'}, 'final_snapshot': {'type': 'boolean', 'default': True, 'description': 'Take a final cluster snapshot as part of the delete'}, 'snapshot_id': {'type': 'string', 'pattern': '^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,254}(?<!-)$', 'description': 'Final snapshot identifier; default: <cluster>-final-<deployment id> (lowercase)'}, 'interval': {'type': 'number', 'minimum': 1, 'maximum': 300, 'default': 30, 'description': 'Seconds between checks until the resources are gone'}, 'lift_deletion_protection': {'type': 'boolean', 'default': False, 'description': 'Turn deletion protection off first (recorded in changed); otherwise a protected cluster fails the step with nothing deleted'}}, 'required': ['cluster'], 'additionalProperties': False, 'if': {'properties': {'final_snapshot': {'const': False}}, 'required': ['final_snapshot']}, 'then': {'properties': {'snapshot_id': False}}}, rule='additionalProperties')
    try:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['final_snapshot']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'properties': {'final_snapshot': {'const': False}}, 'required': ['final_snapshot']}, rule='required')
            data_keys = set(data.keys())
            if "final_snapshot" in data_keys:
                data_keys.remove("final_snapshot")
                data__finalsnapshot = data["final_snapshot"]
                if not (isinstance(data__finalsnapshot, bool) and data__finalsnapshot is False):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".final_snapshot must be same as const definition: False", value=data__finalsnapshot, name="" + (name_prefix or "data") + ".final_snapshot", definition={'const': False}, rule='const')
    except (JsonSchemaValueException, JsonSchemaValuesException):
        pass
    else:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data_keys = set(data.keys())
            if "snapshot_id" in data_keys:
                data_keys.remove("snapshot_id")
                data__snapshotid = data["snapshot_id"]
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".snapshot_id must not be there", value=data__snapshotid, name="" + (name_prefix or "data") + ".snapshot_id", definition=False, rule=None)
    return data

validate = validate
SCHEMA_DIGEST = '760f52cd25dc503a338ee7e76fefaf9e5fa4f1d7d3cbc33139ea62cf4bfb333e'
