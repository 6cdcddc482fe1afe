# Generated from BASE_SCHEMA in plans/schema.py by `hookctl schema --write`: do not edit.
# mypy: ignore-errors
VERSION = "2.22.3"
from decimal import Decimal
import re
from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException


REGEX_PATTERNS = {
    '^[a-z0-9][a-z0-9-]{0,62}$': re.compile('^[a-z0-9][a-z0-9-]{0,62}\\Z'),
    '^[^#/]+$': re.compile('^[^#/]+\\Z'),
    '^[A-Za-z0-9_-]{1,255}$': re.compile('^[A-Za-z0-9_-]{1,255}\\Z'),
    '^[A-Za-z0-9_-]{1,32}$': re.compile('^[A-Za-z0-9_-]{1,32}\\Z'),
    '^/': re.compile('^/'),
    '^[A-Za-z_][A-Za-z0-9_]*$': re.compile('^[A-Za-z_][A-Za-z0-9_]*\\Z')
}

NoneType = type(None)

def validate_urn_codedeploy_hooks_plan_v1(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'$schema': 'http://json-schema.org/draft-07/schema#', '$id': 'urn:codedeploy-hooks:plan:v1', 'title': 'CodeDeploy hook plan', 'type': 'object', 'properties': {'service': {'type': 'string', 'pattern': '^[a-z0-9][a-z0-9-]{0,62}$', 'description': 'Short service id'}, 'application': {'type': 'string', 'pattern': '^[^#/]+$', 'minLength': 1, 'maxLength': 100, 'description': 'CodeDeploy application'}, 'deployment_group': {'type': 'string', 'pattern': '^[^#/]+$', 'minLength': 1, 'maxLength': 100}, 'platform': {'enum': ['ECS', 'Lambda'], 'description': "The deployment group's compute platform"}, 'driver': {'enum': ['codedeploy', 'ecs', 'release'], 'default': 'codedeploy', 'description': "Who runs the deployments: CodeDeploy (lifecycle hooks of an application and deployment group), ECS's built-in blue/green (lifecycle hooks of an ECS service), or `hookctl release promote` (release: a front-end-only service, no deployment service)"}, 'ecs_service': {'type': 'object', 'description': 'The ECS service whose built-in blue/green deployments run this plan (driver: ecs)', 'properties': {'cluster': {'type': 'string', 'pattern': '^[A-Za-z0-9_-]{1,255}$', 'description': 'Cluster name'}, 'service': {'type': 'string', 'pattern': '^[A-Za-z0-9_-]{1,255}$', 'description': 'Service name'}}, 'required': ['cluster', 'service'], 'additionalProperties': False}, 'description': {'type': 'string'}, 'stacks': {'type': 'object', 'properties': {'labels': {'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9_-]{1,32}$'}, 'minItems': 2, 'maxItems': 2, 'default': ['a', 'b']}, 'initial_live': {'type': 'string', 'description': 'Live label when the service is first registered'}, 'ssm_parameter': {'type': 'string', 'pattern': '^/', 'description': 'SSM String parameter the live label is mirrored to (may use ${var.*})'}}, 'additionalProperties': False}, 'guards': {'type': 'object', 'description': "How destructive steps recognise a resource's service and stack (the live-stack guard itself cannot be turned off)", 'properties': {'service_tag': {'type': 'string', 'minLength': 1, 'maxLength': 128, 'default': 'service'}, 'stack_tag': {'type': 'string', 'minLength': 1, 'maxLength': 128, 'default': 'stack'}, 'ownership': {'type': 'boolean', 'default': True, 'description': "Require the service tag to name this plan's service"}}, 'additionalProperties': False}, 'variables': {'type': 'object', 'additionalProperties': {'type': ['string', 'number', 'boolean']}, 'propertyNames': {'pattern': '^[A-Za-z_][A-Za-z0-9_]*$'}}, 'settings': {'type': 'object', 'properties': {'hook_timeout': {'type': 'number', 'minimum': 60, 'maximum': 3300.0, 'default': 3300.0, 'description': 'Report Failed when a hook has not finished after this many seconds (CodeDeploy itself gives up after 3600)'}, 'lock_ttl': {'type': 'number', 'minimum': 300, 'maximum': 172800, 'default': 21600.0, 'description': "A deployment's lock expires this long after its last hook if never released"}, 'before_allow_traffic': {'enum': ['first', 'every'], 'default': 'first', 'description': 'ECS linear/canary (driver: ecs): run BeforeAllowTraffic before the first production traffic step only, or before every one'}}, 'additionalProperties': False}, 'hooks': {'type': 'object', 'propertyNames': {'enum': ['BeforeInstall', 'AfterInstall', 'AfterAllowTestTraffic', 'BeforeAllowTraffic', 'AfterAllowTraffic', 'RECONCILE_SERVICE', 'TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT']}, 'additionalProperties': {'type': 'array', 'items': {'type': 'object', 'description': 'One step; steps of a lifecycle event run in order', 'properties': {'type': {'type': 'string', 'description': 'Step type (built-in or from an installed plugin)'}, 'name': {'type': 'string', 'pattern': '^[a-z0-9][a-z0-9-]{0,62}$', 'description': 'Unique within the event; default: the type'}, 'params': {'type': 'object', 'description': "The step type's parameters; strings may use ${...}"}, 'retry': {'type': 'object', 'description': 'Run the step again after a failure', 'properties': {'attempts': {'type': 'integer', 'minimum': 1, 'maximum': 20, 'default': 1}, 'backoff': {'type': 'number', 'minimum': 0, 'maximum': 600, 'default': 5.0}, 'max_backoff': {'type': 'number', 'minimum': 0, 'maximum': 900, 'default': 60.0}}, 'additionalProperties': False}, 'timeout': {'type': 'number', 'exclusiveMinimum': 0, 'maximum': 3600, 'description': 'Fail the step when it has not finished this many seconds after it started'}, 'on_failure': {'enum': ['fail', 'continue'], 'default': 'fail', 'description': 'fail: stop and report Failed; continue: record the failure and go on'}, 'compensate': {'type': 'boolean', 'default': True, 'description': 'Undo what this step changed when the deployment fails before the production switch'}}, 'required': ['type'], 'additionalProperties': False}}}}, 'required': ['service', 'hooks'], 'allOf': [{'if': {'properties': {'driver': {'const': 'ecs'}}, 'required': ['driver']}, 'then': {'required': ['ecs_service'], 'properties': {'platform': {'const': 'ECS'}, 'application': False, 'deployment_group': False}}}, {'if': {'properties': {'driver': {'const': 'release'}}, 'required': ['driver']}, 'then': {'properties': {'platform': False, 'application': False, 'deployment_group': False, 'ecs_service': False}}}, {'if': {'properties': {'driver': {'const': 'codedeploy'}}}, 'then': {'required': ['application', 'deployment_group', 'platform'], 'properties': {'ecs_service': False}}}], 'additionalProperties': False}, rule='type')
    try:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['driver']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'properties': {'driver': {'const': 'ecs'}}, 'required': ['driver']}, rule='required')
            data_keys = set(data.keys())
            if "driver" in data_keys:
                data_keys.remove("driver")
                data__driver = data["driver"]
                if not (isinstance(data__driver, str) and data__driver == 'ecs'):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".driver must be same as const definition: ecs", value=data__driver, name="" + (name_prefix or "data") + ".driver", definition={'const': 'ecs'}, rule='const')
    except (JsonSchemaValueException, JsonSchemaValuesException):
        pass
    else:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['ecs_service']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'required': ['ecs_service'], 'properties': {'platform': {'const': 'ECS'}, 'application': False, 'deployment_group': False}}, rule='required')
            data_keys = set(data.keys())
            if "platform" in data_keys:
                data_keys.remove("platform")
                data__platform = data["platform"]
                if not (isinstance(data__platform, str) and data__platform == 'ECS'):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".platform must be same as const definition: ECS", value=data__platform, name="" + (name_prefix or "data") + ".platform", definition={'const': 'ECS'}, rule='const')
            if "application" in data_keys:
                data_keys.remove("application")
                data__application = data["application"]
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".application must not be there", value=data__application, name="" + (name_prefix or "data") + ".application", definition=False, rule=None)
            if "deployment_group" in data_keys:
                data_keys.remove("deployment_group")
                data__deploymentgroup = data["deployment_group"]
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".deployment_group must not be there", value=data__deploymentgroup, name="" + (name_prefix or "data") + ".deployment_group", definition=False, rule=None)
    try:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['driver']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'properties': {'driver': {'const': 'release'}}, 'required': ['driver']}, rule='required')
            data_keys = set(data.keys())
            if "driver" in data_keys:
                data_keys.remove("driver")
                data__driver = data["driver"]
                if not (isinstance(data__driver, str) and data__driver == 'release'):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".driver must be same as const definition: release", value=data__driver, name="" + (name_prefix or "data") + ".driver", definition={'const': 'release'}, rule='const')
    except (JsonSchemaValueException, JsonSchemaValuesException):
        pass
    else:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data_keys = set(data.keys())
            if "platform" in data_keys:
                data_keys.remove("platform")
                data__platform = data["platform"]
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".platform must not be there", value=data__platform, name="" + (name_prefix or "data") + ".platform", definition=False, rule=None)
            if "application" in data_keys:
                data_keys.remove("application")
                data__application = data["application"]
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".application must not be there", value=data__application, name="" + (name_prefix or "data") + ".application", definition=False, rule=None)
            if "deployment_group" in data_keys:
                data_keys.remove("deployment_group")
                data__deploymentgroup = data["deployment_group"]
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".deployment_group must not be there", value=data__deploymentgroup, name="" + (name_prefix or "data") + ".deployment_group", definition=False, rule=None)
            if "ecs_service" in data_keys:
                data_keys.remove("ecs_service")
                data__ecsservice = data["ecs_service"]
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecs_service must not be there", value=data__ecsservice, name="" + (name_prefix or "data") + ".ecs_service", definition=False, rule=None)
    try:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data_keys = set(data.keys())
            if "driver" in data_keys:
                data_keys.remove("driver")
                data__driver = data["driver"]
                if not (isinstance(data__driver, str) and data__driver == 'codedeploy'):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".driver must be same as const definition: codedeploy", value=data__driver, name="" + (name_prefix or "data") + ".driver", definition={'const': 'codedeploy'}, rule='const')
    except (JsonSchemaValueException, JsonSchemaValuesException):
        pass
    else:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['application', 'deployment_group', 'platform']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'required': ['application', 'deployment_group', 'platform'], 'properties': {'ecs_service': False}}, rule='required')
            data_keys = set(data.keys())
            if "ecs_service" in data_keys:
                data_keys.remove("ecs_service")
                data__ecsservice = data["ecs_service"]
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecs_service must not be there", value=data__ecsservice, name="" + (name_prefix or "data") + ".ecs_service", definition=False, rule=None)
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['service', 'hooks']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'$schema': 'http://json-schema.org/draft-07/schema#', '$id': 'urn:codedeploy-hooks:plan:v1', 'title': 'CodeDeploy hook plan', 'type': 'object', 'properties': {'service': {'type': 'string', 'pattern': '^[a-z0-9][a-z0-9-]{0,62}$', 'description': 'Short service id'}, 'application': {'type': 'string', 'pattern': '^[^#/]+$', 'minLength': 1, 'maxLength': 100, 'description': 'CodeDeploy application'}, 'deployment_group': {'type': 'string', 'pattern': '^[^#/]+$', 'minLength': 1, 'maxLength': 100}, 'platform': {'enum': ['ECS', 'Lambda'], 'description': "The deployment group's compute platform"}, 'driver': {'enum': ['codedeploy', 'ecs', 'release'], 'default': 'codedeploy', 'description': "Who runs the deployments: CodeDeploy (lifecycle hooks of an application and deployment group), ECS's built-in blue/green (lifecycle hooks of an ECS service), or `hookctl release promote` (release: a front-end-only service, no deployment service)"}, 'ecs_service': {'type': 'object', 'description': 'The ECS service whose built-in blue/green deployments run this plan (driver: ecs)', 'properties': {'cluster': {'type': 'string', 'pattern': '^[A-Za-z0-9_-]{1,255}$', 'description': 'Cluster name'}, 'service': {'type': 'string', 'pattern': '^[A-Za-z0-9_-]{1,255}$', 'description': 'Service name'}}, 'required': ['cluster', 'service'], 'additionalProperties': False}, 'description': {'type': 'string'}, 'stacks': {'type': 'object', 'properties': {'labels': {'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9_-]{1,32}$'}, 'minItems': 2, 'maxItems': 2, 'default': ['a', 'b']}, 'initial_live': {'type': 'string', 'description': 'Live label when the service is first registered'}, 'ssm_parameter': {'type': 'string', 'pattern': '^/', 'description': 'SSM String parameter the live label is mirrored to (may use ${var.*})'}}, 'additionalProperties': False}, 'guards': {'type': 'object', 'description': "How destructive steps recognise a resource's service and stack (the live-stack guard itself cannot be turned off)", 'properties': {'service_tag': {'type': 'string', 'minLength': 1, 'maxLength': 128, 'default': 'service'}, 'stack_tag': {'type': 'string', 'minLength': 1, 'maxLength': 128, 'default': 'stack'}, 'ownership': {'type': 'boolean', 'default': True, 'description': "Require the service tag to name this plan's service"}}, 'additionalProperties': False}, 'variables': {'type': 'object', 'additionalProperties': {'type': ['string', 'number', 'boolean']}, 'propertyNames': {'pattern': '^[A-Za-z_][A-Za-z0-9_]*$'}}, 'settings': {'type': 'object', 'properties': {'hook_timeout': {'type': 'number', 'minimum': 60, 'maximum': 3300.0, 'default': 3300.0, 'description': 'Report Failed when a hook has not finished after this many seconds (CodeDeploy itself gives up after 3600)'}, 'lock_ttl': {'type': 'number', 'minimum': 300, 'maximum': 172800, 'default': 21600.0, 'description': "A deployment's lock expires this long after its last hook if never released"}, 'before_allow_traffic': {'enum': ['first', 'every'], 'default': 'first', 'description': 'ECS linear/canary (driver: ecs): run BeforeAllowTraffic before the first production traffic step only, or before every one'}}, 'additionalProperties': False}, 'hooks': {'type': 'object', 'propertyNames': {'enum': ['BeforeInstall', 'AfterInstall', 'AfterAllowTestTraffic', 'BeforeAllowTraffic', 'AfterAllowTraffic', 'RECONCILE_SERVICE', 'TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT']}, 'additionalProperties': {'type': 'array', 'items': {'type': 'object', 'description': 'One step; steps of a lifecycle event run in order', 'properties': {'type': {'type': 'string', 'description': 'Step type (built-in or from an installed plugin)'}, 'name': {'type': 'string', 'pattern': '^[a-z0-9][a-z0-9-]{0,62}$', 'description': 'Unique within the event; default: the type'}, 'params': {'type': 'object', 'description': "The step type's parameters; strings may use ${...}"}, 'retry': {'type': 'object', 'description': 'Run the step again after a failure', 'properties': {'attempts': {'type': 'integer', 'minimum': 1, 'maximum': 20, 'default': 1}, 'backoff': {'type': 'number', 'minimum': 0, 'maximum': 600, 'default': 5.0}, 'max_backoff': {'type': 'number', 'minimum': 0, 'maximum': 900, 'default': 60.0}}, 'additionalProperties': False}, 'timeout': {'type': 'number', 'exclusiveMinimum': 0, 'maximum': 3600, 'description': 'Fail the step when it has not finished this many seconds after it started'}, 'on_failure': {'enum': ['fail', 'continue'], 'default': 'fail', 'description': 'fail: stop and report Failed; continue: record the failure and go on'}, 'compensate': {'type': 'boolean', 'default': True, 'description': 'Undo what this step changed when the deployment fails before the production switch'}}, 'required': ['type'], 'additionalProperties': False}}}}, 'required': ['service', 'hooks'], 'allOf': [{'if': {'properties': {'driver': {'const': 'ecs'}}, 'required': ['driver']}, 'then': {'required': ['ecs_service'], 'properties': {'platform': {'const': 'ECS'}, 'application': False, 'deployment_group': False}}}, {'if': {'properties': {'driver': {'const': 'release'}}, 'required': ['driver']}, 'then': {'properties': {'platform': False, 'application': False, 'deployment_group': False, 'ecs_service': False}}}, {'if': {'properties': {'driver': {'const': 'codedeploy'}}}, 'then': {'required': ['application', 'deployment_group', 'platform'], 'properties': {'ecs_service': False}}}], 'additionalProperties': False}, rule='required')
        data_keys = set(data.keys())
        if "service" in data_keys:
            data_keys.remove("service")
            data__service = data["service"]
            if not isinstance(data__service, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".service must be string", value=data__service, name="" + (name_prefix or "data") + ".service", definition={'type': 'string', 'pattern': '^[a-z0-9][a-z0-9-]{0,62}$', 'description': 'Short service id'}, rule='type')
            if isinstance(data__service, str):
                if not REGEX_PATTERNS['^[a-z0-9][a-z0-9-]{0,62}$'].search(data__service):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".service must match pattern ^[a-z0-9][a-z0-9-]{0,62}$", value=data__service, name="" + (name_prefix or "data") + ".service", definition={'type': 'string', 'pattern': '^[a-z0-9][a-z0-9-]{0,62}$', 'description': 'Short service id'}, rule='pattern')
        if "application" in data_keys:
            data_keys.remove("application")
            data__application = data["application"]
            if not isinstance(data__application, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".application must be string", value=data__application, name="" + (name_prefix or "data") + ".application", definition={'type': 'string', 'pattern': '^[^#/]+$', 'minLength': 1, 'maxLength': 100, 'description': 'CodeDeploy application'}, rule='type')
            if isinstance(data__application, str):
                data__application_len = len(data__application)
                if data__application_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".application must be longer than or equal to 1 characters", value=data__application, name="" + (name_prefix or "data") + ".application", definition={'type': 'string', 'pattern': '^[^#/]+$', 'minLength': 1, 'maxLength': 100, 'description': 'CodeDeploy application'}, rule='minLength')
                if data__application_len > 100:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".application must be shorter than or equal to 100 characters", value=data__application, name="" + (name_prefix or "data") + ".application", definition={'type': 'string', 'pattern': '^[^#/]+$', 'minLength': 1, 'maxLength': 100, 'description': 'CodeDeploy application'}, rule='maxLength')
                if not REGEX_PATTERNS['^[^#/]+$'].search(data__application):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".application must match pattern ^[^#/]+$", value=data__application, name="" + (name_prefix or "data") + ".application", definition={'type': 'string', 'pattern': '^[^#/]+$', 'minLength': 1, 'maxLength': 100, 'description': 'CodeDeploy application'}, rule='pattern')
        if "deployment_group" in data_keys:
            data_keys.remove("deployment_group")
            data__deploymentgroup = data["deployment_group"]
            if not isinstance(data__deploymentgroup, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".deployment_group must be string", value=data__deploymentgroup, name="" + (name_prefix or "data") + ".deployment_group", definition={'type': 'string', 'pattern': '^[^#/]+$', 'minLength': 1, 'maxLength': 100}, rule='type')
            if isinstance(data__deploymentgroup, str):
                data__deploymentgroup_len = len(data__deploymentgroup)
                if data__deploymentgroup_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".deployment_group must be longer than or equal to 1 characters", value=data__deploymentgroup, name="" + (name_prefix or "data") + ".deployment_group", definition={'type': 'string', 'pattern': '^[^#/]+$', 'minLength': 1, 'maxLength': 100}, rule='minLength')
                if data__deploymentgroup_len > 100:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".deployment_group must be shorter than or equal to 100 characters", value=data__deploymentgroup, name="" + (name_prefix or "data") + ".deployment_group", definition={'type': 'string', 'pattern': '^[^#/]+$', 'minLength': 1, 'maxLength': 100}, rule='maxLength')
                if not REGEX_PATTERNS['^[^#/]+$'].search(data__deploymentgroup):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".deployment_group must match pattern ^[^#/]+$", value=data__deploymentgroup, name="" + (name_prefix or "data") + ".deployment_group", definition={'type': 'string', 'pattern': '^[^#/]+$', 'minLength': 1, 'maxLength': 100}, rule='pattern')
        if "platform" in data_keys:
            data_keys.remove("platform")
            data__platform = data["platform"]
            if not (isinstance(data__platform, str) and data__platform == 'ECS' or isinstance(data__platform, str) and data__platform == 'Lambda'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".platform must be one of ['ECS', 'Lambda']", value=data__platform, name="" + (name_prefix or "data") + ".platform", definition={'enum': ['ECS', 'Lambda'], 'description': "The deployment group's compute platform"}, rule='enum')
        if "driver" in data_keys:
            data_keys.remove("driver")
            data__driver = data["driver"]
            if not (isinstance(data__driver, str) and data__driver == 'codedeploy' or isinstance(data__driver, str) and data__driver == 'ecs' or isinstance(data__driver, str) and data__driver == 'release'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".driver must be one of ['codedeploy', 'ecs', 'release']", value=data__driver, name="" + (name_prefix or "data") + ".driver", definition={'enum': ['codedeploy', 'ecs', 'release'], 'default': 'codedeploy', 'description': "Who runs the deployments: CodeDeploy (lifecycle hooks of an application and deployment group), ECS's built-in blue/green (lifecycle hooks of an ECS service), or `hookctl release promote` (release: a front-end-only service, no deployment service)"}, rule='enum')
        if "ecs_service" in data_keys:
            data_keys.remove("ecs_service")
            data__ecsservice = data["ecs_service"]
            if not isinstance(data__ecsservice, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecs_service must be object", value=data__ecsservice, name="" + (name_prefix or "data") + ".ecs_service", definition={'type': 'object', 'description': 'The ECS service whose built-in blue/green deployments run this plan (driver: ecs)', 'properties': {'cluster': {'type': 'string', 'pattern': '^[A-Za-z0-9_-]{1,255}$', 'description': 'Cluster name'}, 'service': {'type': 'string', 'pattern': '^[A-Za-z0-9_-]{1,255}$', 'description': 'Service name'}}, 'required': ['cluster', 'service'], 'additionalProperties': False}, rule='type')
            data__ecsservice_is_dict = isinstance(data__ecsservice, dict)
            if data__ecsservice_is_dict:
                data__ecsservice__missing_keys = set(['cluster', 'service']) - data__ecsservice.keys()
                if data__ecsservice__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecs_service must contain " + (str(sorted(data__ecsservice__missing_keys)) + " properties"), value=data__ecsservice, name="" + (name_prefix or "data") + ".ecs_service", definition={'type': 'object', 'description': 'The ECS service whose built-in blue/green deployments run this plan (driver: ecs)', 'properties': {'cluster': {'type': 'string', 'pattern': '^[A-Za-z0-9_-]{1,255}$', 'description': 'Cluster name'}, 'service': {'type': 'string', 'pattern': '^[A-Za-z0-9_-]{1,255}$', 'description': 'Service name'}}, 'required': ['cluster', 'service'], 'additionalProperties': False}, rule='required')
                data__ecsservice_keys = set(data__ecsservice.keys())
                if "cluster" in data__ecsservice_keys:
                    data__ecsservice_keys.remove("cluster")
                    data__ecsservice__cluster = data__ecsservice["cluster"]
                    if not isinstance(data__ecsservice__cluster, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecs_service.cluster must be string", value=data__ecsservice__cluster, name="" + (name_prefix or "data") + ".ecs_service.cluster", definition={'type': 'string', 'pattern': '^[A-Za-z0-9_-]{1,255}$', 'description': 'Cluster name'}, rule='type')
                    if isinstance(data__ecsservice__cluster, str):
                        if not REGEX_PATTERNS['^[A-Za-z0-9_-]{1,255}$'].search(data__ecsservice__cluster):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecs_service.cluster must match pattern ^[A-Za-z0-9_-]{1,255}$", value=data__ecsservice__cluster, name="" + (name_prefix or "data") + ".ecs_service.cluster", definition={'type': 'string', 'pattern': '^[A-Za-z0-9_-]{1,255}$', 'description': 'Cluster name'}, rule='pattern')
                if "service" in data__ecsservice_keys:
                    data__ecsservice_keys.remove("service")
                    data__ecsservice__service = data__ecsservice["service"]
                    if not isinstance(data__ecsservice__service, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecs_service.service must be string", value=data__ecsservice__service, name="" + (name_prefix or "data") + ".ecs_service.service", definition={'type': 'string', 'pattern': '^[A-Za-z0-9_-]{1,255}$', 'description': 'Service name'}, rule='type')
                    if isinstance(data__ecsservice__service, str):
                        if not REGEX_PATTERNS['^[A-Za-z0-9_-]{1,255}$'].search(data__ecsservice__service):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecs_service.service must match pattern ^[A-Za-z0-9_-]{1,255}$", value=data__ecsservice__service, name="" + (name_prefix or "data") + ".ecs_service.service", definition={'type': 'string', 'pattern': '^[A-Za-z0-9_-]{1,255}$', 'description': 'Service name'}, rule='pattern')
                if data__ecsservice_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".ecs_service must not contain "+str(data__ecsservice_keys)+" properties", value=data__ecsservice, name="" + (name_prefix or "data") + ".ecs_service", definition={'type': 'object', 'description': 'The ECS service whose built-in blue/green deployments run this plan (driver: ecs)', 'properties': {'cluster': {'type': 'string', 'pattern': '^[A-Za-z0-9_-]{1,255}$', 'description': 'Cluster name'}, 'service': {'type': 'string', 'pattern': '^[A-Za-z0-9_-]{1,255}$', 'description': 'Service name'}}, 'required': ['cluster', 'service'], 'additionalProperties': False}, rule='additionalProperties')
        if "description" in data_keys:
            data_keys.remove("description")
            data__description = data["description"]
            if not isinstance(data__description, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".description must be string", value=data__description, name="" + (name_prefix or "data") + ".description", definition={'type': 'string'}, rule='type')
        if "stacks" in data_keys:
            data_keys.remove("stacks")
            data__stacks = data["stacks"]
            if not isinstance(data__stacks, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".stacks must be object", value=data__stacks, name="" + (name_prefix or "data") + ".stacks", definition={'type': 'object', 'properties': {'labels': {'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9_-]{1,32}$'}, 'minItems': 2, 'maxItems': 2, 'default': ['a', 'b']}, 'initial_live': {'type': 'string', 'description': 'Live label when the service is first registered'}, 'ssm_parameter': {'type': 'string', 'pattern': '^/', 'description': 'SSM String parameter the live label is mirrored to (may use ${var.*})'}}, 'additionalProperties': False}, rule='type')
            data__stacks_is_dict = isinstance(data__stacks, dict)
            if data__stacks_is_dict:
                data__stacks_keys = set(data__stacks.keys())
                if "labels" in data__stacks_keys:
                    data__stacks_keys.remove("labels")
                    data__stacks__labels = data__stacks["labels"]
                    if not isinstance(data__stacks__labels, (list, tuple)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".stacks.labels must be array", value=data__stacks__labels, name="" + (name_prefix or "data") + ".stacks.labels", definition={'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9_-]{1,32}$'}, 'minItems': 2, 'maxItems': 2, 'default': ['a', 'b']}, rule='type')
                    data__stacks__labels_is_list = isinstance(data__stacks__labels, (list, tuple))
                    if data__stacks__labels_is_list:
                        data__stacks__labels_len = len(data__stacks__labels)
                        if data__stacks__labels_len < 2:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".stacks.labels must contain at least 2 items", value=data__stacks__labels, name="" + (name_prefix or "data") + ".stacks.labels", definition={'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9_-]{1,32}$'}, 'minItems': 2, 'maxItems': 2, 'default': ['a', 'b']}, rule='minItems')
                        if data__stacks__labels_len > 2:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".stacks.labels must contain less than or equal to 2 items", value=data__stacks__labels, name="" + (name_prefix or "data") + ".stacks.labels", definition={'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9_-]{1,32}$'}, 'minItems': 2, 'maxItems': 2, 'default': ['a', 'b']}, rule='maxItems')
                        for data__stacks__labels_x, data__stacks__labels_item in enumerate(data__stacks__labels):
                            if not isinstance(data__stacks__labels_item, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".stacks.labels[{data__stacks__labels_x}]".format(**locals()) + " must be string", value=data__stacks__labels_item, name="" + (name_prefix or "data") + ".stacks.labels[{data__stacks__labels_x}]".format(**locals()) + "", definition={'type': 'string', 'pattern': '^[A-Za-z0-9_-]{1,32}$'}, rule='type')
                            if isinstance(data__stacks__labels_item, str):
                                if not REGEX_PATTERNS['^[A-Za-z0-9_-]{1,32}$'].search(data__stacks__labels_item):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".stacks.labels[{data__stacks__labels_x}]".format(**locals()) + " must match pattern ^[A-Za-z0-9_-]{1,32}$", value=data__stacks__labels_item, name="" + (name_prefix or "data") + ".stacks.labels[{data__stacks__labels_x}]".format(**locals()) + "", definition={'type': 'string', 'pattern': '^[A-Za-z0-9_-]{1,32}$'}, rule='pattern')
                if "initial_live" in data__stacks_keys:
                    data__stacks_keys.remove("initial_live")
                    data__stacks__initiallive = data__stacks["initial_live"]
                    if not isinstance(data__stacks__initiallive, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".stacks.initial_live must be string", value=data__stacks__initiallive, name="" + (name_prefix or "data") + ".stacks.initial_live", definition={'type': 'string', 'description': 'Live label when the service is first registered'}, rule='type')
                if "ssm_parameter" in data__stacks_keys:
                    data__stacks_keys.remove("ssm_parameter")
                    data__stacks__ssmparameter = data__stacks["ssm_parameter"]
                    if not isinstance(data__stacks__ssmparameter, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".stacks.ssm_parameter must be string", value=data__stacks__ssmparameter, name="" + (name_prefix or "data") + ".stacks.ssm_parameter", definition={'type': 'string', 'pattern': '^/', 'description': 'SSM String parameter the live label is mirrored to (may use ${var.*})'}, rule='type')
                    if isinstance(data__stacks__ssmparameter, str):
                        if not REGEX_PATTERNS['^/'].search(data__stacks__ssmparameter):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".stacks.ssm_parameter must match pattern ^/", value=data__stacks__ssmparameter, name="" + (name_prefix or "data") + ".stacks.ssm_parameter", definition={'type': 'string', 'pattern': '^/', 'description': 'SSM String parameter the live label is mirrored to (may use ${var.*})'}, rule='pattern')
                if data__stacks_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".stacks must not contain "+str(data__stacks_keys)+" properties", value=data__stacks, name="" + (name_prefix or "data") + ".stacks", definition={'type': 'object', 'properties': {'labels': {'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9_-]{1,32}$'}, 'minItems': 2, 'maxItems': 2, 'default': ['a', 'b']}, 'initial_live': {'type': 'string', 'description': 'Live label when the service is first registered'}, 'ssm_parameter': {'type': 'string', 'pattern': '^/', 'description': 'SSM String parameter the live label is mirrored to (may use ${var.*})'}}, 'additionalProperties': False}, rule='additionalProperties')
        if "guards" in data_keys:
            data_keys.remove("guards")
            data__guards = data["guards"]
            if not isinstance(data__guards, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".guards must be object", value=data__guards, name="" + (name_prefix or "data") + ".guards", definition={'type': 'object', 'description': "How destructive steps recognise a resource's service and stack (the live-stack guard itself cannot be turned off)", 'properties': {'service_tag': {'type': 'string', 'minLength': 1, 'maxLength': 128, 'default': 'service'}, 'stack_tag': {'type': 'string', 'minLength': 1, 'maxLength': 128, 'default': 'stack'}, 'ownership': {'type': 'boolean', 'default': True, 'description': "Require the service tag to name this plan's service"}}, 'additionalProperties': False}, rule='type')
            data__guards_is_dict = isinstance(data__guards, dict)
            if data__guards_is_dict:
                data__guards_keys = set(data__guards.keys())
                if "service_tag" in data__guards_keys:
                    data__guards_keys.remove("service_tag")
                    data__guards__servicetag = data__guards["service_tag"]
                    if not isinstance(data__guards__servicetag, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".guards.service_tag must be string", value=data__guards__servicetag, name="" + (name_prefix or "data") + ".guards.service_tag", definition={'type': 'string', 'minLength': 1, 'maxLength': 128, 'default': 'service'}, rule='type')
                    if isinstance(data__guards__servicetag, str):
                        data__guards__servicetag_len = len(data__guards__servicetag)
                        if data__guards__servicetag_len < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".guards.service_tag must be longer than or equal to 1 characters", value=data__guards__servicetag, name="" + (name_prefix or "data") + ".guards.service_tag", definition={'type': 'string', 'minLength': 1, 'maxLength': 128, 'default': 'service'}, rule='minLength')
                        if data__guards__servicetag_len > 128:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".guards.service_tag must be shorter than or equal to 128 characters", value=data__guards__servicetag, name="" + (name_prefix or "data") + ".guards.service_tag", definition={'type': 'string', 'minLength': 1, 'maxLength': 128, 'default': 'service'}, rule='maxLength')
                if "stack_tag" in data__guards_keys:
                    data__guards_keys.remove("stack_tag")
                    data__guards__stacktag = data__guards["stack_tag"]
                    if not isinstance(data__guards__stacktag, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".guards.stack_tag must be string", value=data__guards__stacktag, name="" + (name_prefix or "data") + ".guards.stack_tag", definition={'type': 'string', 'minLength': 1, 'maxLength': 128, 'default': 'stack'}, rule='type')
                    if isinstance(data__guards__stacktag, str):
                        data__guards__stacktag_len = len(data__guards__stacktag)
                        if data__guards__stacktag_len < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".guards.stack_tag must be longer than or equal to 1 characters", value=data__guards__stacktag, name="" + (name_prefix or "data") + ".guards.stack_tag", definition={'type': 'string', 'minLength': 1, 'maxLength': 128, 'default': 'stack'}, rule='minLength')
                        if data__guards__stacktag_len > 128:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".guards.stack_tag must be shorter than or equal to 128 characters", value=data__guards__stacktag, name="" + (name_prefix or "data") + ".guards.stack_tag", definition={'type': 'string', 'minLength': 1, 'maxLength': 128, 'default': 'stack'}, rule='maxLength')
                if "ownership" in data__guards_keys:
                    data__guards_keys.remove("ownership")
                    data__guards__ownership = data__guards["ownership"]
                    if not isinstance(data__guards__ownership, (bool)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".guards.ownership must be boolean", value=data__guards__ownership, name="" + (name_prefix or "data") + ".guards.ownership", definition={'type': 'boolean', 'default': True, 'description': "Require the service tag to name this plan's service"}, rule='type')
                if data__guards_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".guards must not contain "+str(data__guards_keys)+" properties", value=data__guards, name="" + (name_prefix or "data") + ".guards", definition={'type': 'object', 'description': "How destructive steps recognise a resource's service and stack (the live-stack guard itself cannot be turned off)", 'properties': {'service_tag': {'type': 'string', 'minLength': 1, 'maxLength': 128, 'default': 'service'}, 'stack_tag': {'type': 'string', 'minLength': 1, 'maxLength': 128, 'default': 'stack'}, 'ownership': {'type': 'boolean', 'default': True, 'description': "Require the service tag to name this plan's service"}}, 'additionalProperties': False}, rule='additionalProperties')
        if "variables" in data_keys:
            data_keys.remove("variables")
            data__variables = data["variables"]
            if not isinstance(data__variables, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".variables must be object", value=data__variables, name="" + (name_prefix or "data") + ".variables", definition={'type': 'object', 'additionalProperties': {'type': ['string', 'number', 'boolean']}, 'propertyNames': {'pattern': '^[A-Za-z_][A-Za-z0-9_]*$'}}, rule='type')
            data__variables_is_dict = isinstance(data__variables, dict)
            if data__variables_is_dict:
                data__variables_keys = set(data__variables.keys())
                for data__variables_key in data__variables_keys:
                    if data__variables_key not in []:
                        data__variables_value = data__variables.get(data__variables_key)
                        if not isinstance(data__variables_value, (str, int, float, Decimal, bool)):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".variables.{data__variables_key}".format(**locals()) + " must be string or number or boolean", value=data__variables_value, name="" + (name_prefix or "data") + ".variables.{data__variables_key}".format(**locals()) + "", definition={'type': ['string', 'number', 'boolean']}, rule='type')
                data__variables_len = len(data__variables)
                if data__variables_len != 0:
                    data__variables_property_names = True
                    for data__variables_key in data__variables:
                        try:
                            if isinstance(data__variables_key, str):
                                if not REGEX_PATTERNS['^[A-Za-z_][A-Za-z0-9_]*$'].search(data__variables_key):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".variables must match pattern ^[A-Za-z_][A-Za-z0-9_]*$", value=data__variables_key, name="" + (name_prefix or "data") + ".variables", definition={'pattern': '^[A-Za-z_][A-Za-z0-9_]*$'}, rule='pattern')
                        except (JsonSchemaValueException, JsonSchemaValuesException):
                            data__variables_property_names = False
                    if not data__variables_property_names:
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".variables must be named by propertyName definition", value=data__variables, name="" + (name_prefix or "data") + ".variables", definition={'type': 'object', 'additionalProperties': {'type': ['string', 'number', 'boolean']}, 'propertyNames': {'pattern': '^[A-Za-z_][A-Za-z0-9_]*$'}}, rule='propertyNames')
        if "settings" in data_keys:
            data_keys.remove("settings")
            data__settings = data["settings"]
            if not isinstance(data__settings, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".settings must be object", value=data__settings, name="" + (name_prefix or "data") + ".settings", definition={'type': 'object', 'properties': {'hook_timeout': {'type': 'number', 'minimum': 60, 'maximum': 3300.0, 'default': 3300.0, 'description': 'Report Failed when a hook has not finished after this many seconds (CodeDeploy itself gives up after 3600)'}, 'lock_ttl': {'type': 'number', 'minimum': 300, 'maximum': 172800, 'default': 21600.0, 'description': "A deployment's lock expires this long after its last hook if never released"}, 'before_allow_traffic': {'enum': ['first', 'every'], 'default': 'first', 'description': 'ECS linear/canary (driver: ecs): run BeforeAllowTraffic before the first production traffic step only, or before every one'}}, 'additionalProperties': False}, rule='type')
            data__settings_is_dict = isinstance(data__settings, dict)
            if data__settings_is_dict:
                data__settings_keys = set(data__settings.keys())
                if "hook_timeout" in data__settings_keys:
                    data__settings_keys.remove("hook_timeout")
                    data__settings__hooktimeout = data__settings["hook_timeout"]
                    if not isinstance(data__settings__hooktimeout, (int, float, Decimal)) or isinstance(data__settings__hooktimeout, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".settings.hook_timeout must be number", value=data__settings__hooktimeout, name="" + (name_prefix or "data") + ".settings.hook_timeout", definition={'type': 'number', 'minimum': 60, 'maximum': 3300.0, 'default': 3300.0, 'description': 'Report Failed when a hook has not finished after this many seconds (CodeDeploy itself gives up after 3600)'}, rule='type')
                    if isinstance(data__settings__hooktimeout, (int, float, Decimal)) and not isinstance(data__settings__hooktimeout, bool):
                        if data__settings__hooktimeout < 60:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".settings.hook_timeout must be bigger than or equal to 60", value=data__settings__hooktimeout, name="" + (name_prefix or "data") + ".settings.hook_timeout", definition={'type': 'number', 'minimum': 60, 'maximum': 3300.0, 'default': 3300.0, 'description': 'Report Failed when a hook has not finished after this many seconds (CodeDeploy itself gives up after 3600)'}, rule='minimum')
                        if data__settings__hooktimeout > 3300.0:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".settings.hook_timeout must be smaller than or equal to 3300.0", value=data__settings__hooktimeout, name="" + (name_prefix or "data") + ".settings.hook_timeout", definition={'type': 'number', 'minimum': 60, 'maximum': 3300.0, 'default': 3300.0, 'description': 'Report Failed when a hook has not finished after this many seconds (CodeDeploy itself gives up after 3600)'}, rule='maximum')
                if "lock_ttl" in data__settings_keys:
                    data__settings_keys.remove("lock_ttl")
                    data__settings__lockttl = data__settings["lock_ttl"]
                    if not isinstance(data__settings__lockttl, (int, float, Decimal)) or isinstance(data__settings__lockttl, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".settings.lock_ttl must be number", value=data__settings__lockttl, name="" + (name_prefix or "data") + ".settings.lock_ttl", definition={'type': 'number', 'minimum': 300, 'maximum': 172800, 'default': 21600.0, 'description': "A deployment's lock expires this long after its last hook if never released"}, rule='type')
                    if isinstance(data__settings__lockttl, (int, float, Decimal)) and not isinstance(data__settings__lockttl, bool):
                        if data__settings__lockttl < 300:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".settings.lock_ttl must be bigger than or equal to 300", value=data__settings__lockttl, name="" + (name_prefix or "data") + ".settings.lock_ttl", definition={'type': 'number', 'minimum': 300, 'maximum': 172800, 'default': 21600.0, 'description': "A deployment's lock expires this long after its last hook if never released"}, rule='minimum')
                        if data__settings__lockttl > 172800:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".settings.lock_ttl must be smaller than or equal to 172800", value=data__settings__lockttl, name="" + (name_prefix or "data") + ".settings.lock_ttl", definition={'type': 'number', 'minimum': 300, 'maximum': 172800, 'default': 21600.0, 'description': "A deployment's lock expires this long after its last hook if never released"}, rule='maximum')
                if "before_allow_traffic" in data__settings_keys:
                    data__settings_keys.remove("before_allow_traffic")
                    data__settings__beforeallowtraffic = data__settings["before_allow_traffic"]
                    if not (isinstance(data__settings__beforeallowtraffic, str) and data__settings__beforeallowtraffic == 'first' or isinstance(data__settings__beforeallowtraffic, str) and data__settings__beforeallowtraffic == 'every'):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".settings.before_allow_traffic must be one of ['first', 'every']", value=data__settings__beforeallowtraffic, name="" + (name_prefix or "data") + ".settings.before_allow_traffic", definition={'enum': ['first', 'every'], 'default': 'first', 'description': 'ECS linear/canary (driver: ecs): run BeforeAllowTraffic before the first production traffic step only, or before every one'}, rule='enum')
                if data__settings_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".settings must not contain "+str(data__settings_keys)+" properties", value=data__settings, name="" + (name_prefix or "data") + ".settings", definition={'type': 'object', 'properties': {'hook_timeout': {'type': 'number', 'minimum': 60, 'maximum': 3300.0, 'default': 3300.0, 'description': 'Report Failed when a hook has not finished after this many seconds (CodeDeploy itself gives up after 3600)'}, 'lock_ttl': {'type': 'number', 'minimum': 300, 'maximum': 172800, 'default': 21600.0, 'description': "A deployment's lock expires this long after its last hook if never released"}, 'before_allow_traffic': {'enum': ['first', 'every'], 'default': 'first', 'description': 'ECS linear/canary (driver: ecs): run BeforeAllowTraffic before the first production traffic step only, or before every one'}}, 'additionalProperties': False}, rule='additionalProperties')
        if "hooks" in data_keys:
            data_keys.remove("hooks")
            data__hooks = data["hooks"]
            if not isinstance(data__hooks, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".hooks must be object", value=data__hooks, name="" + (name_prefix or "data") + ".hooks", definition={'type': 'object', 'propertyNames': {'enum': ['BeforeInstall', 'AfterInstall', 'AfterAllowTestTraffic', 'BeforeAllowTraffic', 'AfterAllowTraffic', 'RECONCILE_SERVICE', 'TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT']}, 'additionalProperties': {'type': 'array', 'items': {'type': 'object', 'description': 'One step; steps of a lifecycle event run in order', 'properties': {'type': {'type': 'string', 'description': 'Step type (built-in or from an installed plugin)'}, 'name': {'type': 'string', 'pattern': '^[a-z0-9][a-z0-9-]{0,62}$', 'description': 'Unique within the event; default: the type'}, 'params': {'type': 'object', 'description': "The step type's parameters; strings may use ${...}"}, 'retry': {'type': 'object', 'description': 'Run the step again after a failure', 'properties': {'attempts': {'type': 'integer', 'minimum': 1, 'maximum': 20, 'default': 1}, 'backoff': {'type': 'number', 'minimum': 0, 'maximum': 600, 'default': 5.0}, 'max_backoff': {'type': 'number', 'minimum': 0, 'maximum': 900, 'default': 60.0}}, 'additionalProperties': False}, 'timeout': {'type': 'number', 'exclusiveMinimum': 0, 'maximum': 3600, 'description': 'Fail the step when it has not finished this many seconds after it started'}, 'on_failure': {'enum': ['fail', 'continue'], 'default': 'fail', 'description': 'fail: stop and report Failed; continue: record the failure and go on'}, 'compensate': {'type': 'boolean', 'default': True, 'description': 'Undo what this step changed when the deployment fails before the production switch'}}, 'required': ['type'], 'additionalProperties': False}}}, rule='type')
            data__hooks_is_dict = isinstance(data__hooks, dict)
            if data__hooks_is_dict:
                data__hooks_keys = set(data__hooks.keys())
                for data__hooks_key in data__hooks_keys:
                    if data__hooks_key not in []:
                        data__hooks_value = data__hooks.get(data__hooks_key)
                        if not isinstance(data__hooks_value, (list, tuple)):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".hooks.{data__hooks_key}".format(**locals()) + " must be array", value=data__hooks_value, name="" + (name_prefix or "data") + ".hooks.{data__hooks_key}".format(**locals()) + "", definition={'type': 'array', 'items': {'type': 'object', 'description': 'One step; steps of a lifecycle event run in order', 'properties': {'type': {'type': 'string', 'description': 'Step type (built-in or from an installed plugin)'}, 'name': {'type': 'string', 'pattern': '^[a-z0-9][a-z0-9-]{0,62}$', 'description': 'Unique within the event; default: the type'}, 'params': {'type': 'object', 'description': "The step type's parameters; strings may use ${...}"}, 'retry': {'type': 'object', 'description': 'Run the step again after a failure', 'properties': {'attempts': {'type': 'integer', 'minimum': 1, 'maximum': 20, 'default': 1}, 'backoff': {'type': 'number', 'minimum': 0, 'maximum': 600, 'default': 5.0}, 'max_backoff': {'type': 'number', 'minimum': 0, 'maximum': 900, 'default': 60.0}}, 'additionalProperties': False}, 'timeout': {'type': 'number', 'exclusiveMinimum': 0, 'maximum': 3600, 'description': 'Fail the step when it has not finished this many seconds after it started'}, 'on_failure': {'enum': ['fail', 'continue'], 'default': 'fail', 'description': 'fail: stop and report Failed; continue: record the failure and go on'}, 'compensate': {'type': 'boolean', 'default': True, 'description': 'Undo what this step changed when the deployment fails before the production switch'}}, 'required': ['type'], 'additionalProperties': False}}, rule='type')
                        data__hooks_value_is_list = isinstance(data__hooks_value, (list, tuple))
                        if data__hooks_value_is_list:
                            data__hooks_value_len = len(data__hooks_value)
                            for data__hooks_value_x, data__hooks_value_item in enumerate(data__hooks_value):
                                if not isinstance(data__hooks_value_item, (dict)):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}]".format(**locals()) + " must be object", value=data__hooks_value_item, name="" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}]".format(**locals()) + "", definition={'type': 'object', 'description': 'One step; steps of a lifecycle event run in order', 'properties': {'type': {'type': 'string', 'description': 'Step type (built-in or from an installed plugin)'}, 'name': {'type': 'string', 'pattern': '^[a-z0-9][a-z0-9-]{0,62}$', 'description': 'Unique within the event; default: the type'}, 'params': {'type': 'object', 'description': "The step type's parameters; strings may use ${...}"}, 'retry': {'type': 'object', 'description': 'Run the step again after a failure', 'properties': {'attempts': {'type': 'integer', 'minimum': 1, 'maximum': 20, 'default': 1}, 'backoff': {'type': 'number', 'minimum': 0, 'maximum': 600, 'default': 5.0}, 'max_backoff': {'type': 'number', 'minimum': 0, 'maximum': 900, 'default': 60.0}}, 'additionalProperties': False}, 'timeout': {'type': 'number', 'exclusiveMinimum': 0, 'maximum': 3600, 'description': 'Fail the step when it has not finished this many seconds after it started'}, 'on_failure': {'enum': ['fail', 'continue'], 'default': 'fail', 'description': 'fail: stop and report Failed; continue: record the failure and go on'}, 'compensate': {'type': 'boolean', 'default': True, 'description': 'Undo what this step changed when the deployment fails before the production switch'}}, 'required': ['type'], 'additionalProperties': False}, rule='type')
                                data__hooks_value_item_is_dict = isinstance(data__hooks_value_item, dict)
                                if data__hooks_value_item_is_dict:
                                    data__hooks_value_item__missing_keys = set(['type']) - data__hooks_value_item.keys()
                                    if data__hooks_value_item__missing_keys:
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}]".format(**locals()) + " must contain " + (str(sorted(data__hooks_value_item__missing_keys)) + " properties"), value=data__hooks_value_item, name="" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}]".format(**locals()) + "", definition={'type': 'object', 'description': 'One step; steps of a lifecycle event run in order', 'properties': {'type': {'type': 'string', 'description': 'Step type (built-in or from an installed plugin)'}, 'name': {'type': 'string', 'pattern': '^[a-z0-9][a-z0-9-]{0,62}$', 'description': 'Unique within the event; default: the type'}, 'params': {'type': 'object', 'description': "The step type's parameters; strings may use ${...}"}, 'retry': {'type': 'object', 'description': 'Run the step again after a failure', 'properties': {'attempts': {'type': 'integer', 'minimum': 1, 'maximum': 20, 'default': 1}, 'backoff': {'type': 'number', 'minimum': 0, 'maximum': 600, 'default': 5.0}, 'max_backoff': {'type': 'number', 'minimum': 0, 'maximum': 900, 'default': 60.0}}, 'additionalProperties': False}, 'timeout': {'type': 'number', 'exclusiveMinimum': 0, 'maximum': 3600, 'description': 'Fail the step when it has not finished this many seconds after it started'}, 'on_failure': {'enum': ['fail', 'continue'], 'default': 'fail', 'description': 'fail: stop and report Failed; continue: record the failure and go on'}, 'compensate': {'type': 'boolean', 'default': True, 'description': 'Undo what this step changed when the deployment fails before the production switch'}}, 'required': ['type'], 'additionalProperties': False}, rule='required')
                                    data__hooks_value_item_keys = set(data__hooks_value_item.keys())
                                    if "type" in data__hooks_value_item_keys:
                                        data__hooks_value_item_keys.remove("type")
                                        data__hooks_value_item__type = data__hooks_value_item["type"]
                                        if not isinstance(data__hooks_value_item__type, (str)):
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}].type".format(**locals()) + " must be string", value=data__hooks_value_item__type, name="" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}].type".format(**locals()) + "", definition={'type': 'string', 'description': 'Step type (built-in or from an installed plugin)'}, rule='type')
                                    if "name" in data__hooks_value_item_keys:
                                        data__hooks_value_item_keys.remove("name")
                                        data__hooks_value_item__name = data__hooks_value_item["name"]
                                        if not isinstance(data__hooks_value_item__name, (str)):
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}].name".format(**locals()) + " must be string", value=data__hooks_value_item__name, name="" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}].name".format(**locals()) + "", definition={'type': 'string', 'pattern': '^[a-z0-9][a-z0-9-]{0,62}$', 'description': 'Unique within the event; default: the type'}, rule='type')
                                        if isinstance(data__hooks_value_item__name, str):
                                            if not REGEX_PATTERNS['^[a-z0-9][a-z0-9-]{0,62}$'].search(data__hooks_value_item__name):
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}].name".format(**locals()) + " must match pattern ^[a-z0-9][a-z0-9-]{0,62}$", value=data__hooks_value_item__name, name="" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}].name".format(**locals()) + "", definition={'type': 'string', 'pattern': '^[a-z0-9][a-z0-9-]{0,62}$', 'description': 'Unique within the event; default: the type'}, rule='pattern')
                                    if "params" in data__hooks_value_item_keys:
                                        data__hooks_value_item_keys.remove("params")
                                        data__hooks_value_item__params = data__hooks_value_item["params"]
                                        if not isinstance(data__hooks_value_item__params, (dict)):
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}].params".format(**locals()) + " must be object", value=data__hooks_value_item__params, name="" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}].params".format(**locals()) + "", definition={'type': 'object', 'description': "The step type's parameters; strings may use ${...}"}, rule='type')
                                    if "retry" in data__hooks_value_item_keys:
                                        data__hooks_value_item_keys.remove("retry")
                                        data__hooks_value_item__retry = data__hooks_value_item["retry"]
                                        if not isinstance(data__hooks_value_item__retry, (dict)):
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}].retry".format(**locals()) + " must be object", value=data__hooks_value_item__retry, name="" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}].retry".format(**locals()) + "", definition={'type': 'object', 'description': 'Run the step again after a failure', 'properties': {'attempts': {'type': 'integer', 'minimum': 1, 'maximum': 20, 'default': 1}, 'backoff': {'type': 'number', 'minimum': 0, 'maximum': 600, 'default': 5.0}, 'max_backoff': {'type': 'number', 'minimum': 0, 'maximum': 900, 'default': 60.0}}, 'additionalProperties': False}, rule='type')
                                        data__hooks_value_item__retry_is_dict = isinstance(data__hooks_value_item__retry, dict)
                                        if data__hooks_value_item__retry_is_dict:
                                            data__hooks_value_item__retry_keys = set(data__hooks_value_item__retry.keys())
                                            if "attempts" in data__hooks_value_item__retry_keys:
                                                data__hooks_value_item__retry_keys.remove("attempts")
                                                data__hooks_value_item__retry__attempts = data__hooks_value_item__retry["attempts"]
                                                if not isinstance(data__hooks_value_item__retry__attempts, (int)) and not (isinstance(data__hooks_value_item__retry__attempts, float) and data__hooks_value_item__retry__attempts.is_integer()) or isinstance(data__hooks_value_item__retry__attempts, bool):
                                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}].retry.attempts".format(**locals()) + " must be integer", value=data__hooks_value_item__retry__attempts, name="" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}].retry.attempts".format(**locals()) + "", definition={'type': 'integer', 'minimum': 1, 'maximum': 20, 'default': 1}, rule='type')
                                                if isinstance(data__hooks_value_item__retry__attempts, (int, float, Decimal)) and not isinstance(data__hooks_value_item__retry__attempts, bool):
                                                    if data__hooks_value_item__retry__attempts < 1:
                                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}].retry.attempts".format(**locals()) + " must be bigger than or equal to 1", value=data__hooks_value_item__retry__attempts, name="" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}].retry.attempts".format(**locals()) + "", definition={'type': 'integer', 'minimum': 1, 'maximum': 20, 'default': 1}, rule='minimum')
                                                    if data__hooks_value_item__retry__attempts > 20:
                                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}].retry.attempts".format(**locals()) + " must be smaller than or equal to 20", value=data__hooks_value_item__retry__attempts, name="" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}].retry.attempts".format(**locals()) + "", definition={'type': 'integer', 'minimum': 1, 'maximum': 20, 'default': 1}, rule='maximum')
                                            if "backoff" in data__hooks_value_item__retry_keys:
                                                data__hooks_value_item__retry_keys.remove("backoff")
                                                data__hooks_value_item__retry__backoff = data__hooks_value_item__retry["backoff"]
                                                if not isinstance(data__hooks_value_item__retry__backoff, (int, float, Decimal)) or isinstance(data__hooks_value_item__retry__backoff, bool):
                                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}].retry.backoff".format(**locals()) + " must be number", value=data__hooks_value_item__retry__backoff, name="" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}].retry.backoff".format(**locals()) + "", definition={'type': 'number', 'minimum': 0, 'maximum': 600, 'default': 5.0}, rule='type')
                                                if isinstance(data__hooks_value_item__retry__backoff, (int, float, Decimal)) and not isinstance(data__hooks_value_item__retry__backoff, bool):
                                                    if data__hooks_value_item__retry__backoff < 0:
                                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}].retry.backoff".format(**locals()) + " must be bigger than or equal to 0", value=data__hooks_value_item__retry__backoff, name="" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}].retry.backoff".format(**locals()) + "", definition={'type': 'number', 'minimum': 0, 'maximum': 600, 'default': 5.0}, rule='minimum')
                                                    if data__hooks_value_item__retry__backoff > 600:
                                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}].retry.backoff".format(**locals()) + " must be smaller than or equal to 600", value=data__hooks_value_item__retry__backoff, name="" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}].retry.backoff".format(**locals()) + "", definition={'type': 'number', 'minimum': 0, 'maximum': 600, 'default': 5.0}, rule='maximum')
                                            if "max_backoff" in data__hooks_value_item__retry_keys:
                                                data__hooks_value_item__retry_keys.remove("max_backoff")
                                                data__hooks_value_item__retry__maxbackoff = data__hooks_value_item__retry["max_backoff"]
                                                if not isinstance(data__hooks_value_item__retry__maxbackoff, (int, float, Decimal)) or isinstance(data__hooks_value_item__retry__maxbackoff, bool):
                                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}].retry.max_backoff".format(**locals()) + " must be number", value=data__hooks_value_item__retry__maxbackoff, name="" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}].retry.max_backoff".format(**locals()) + "", definition={'type': 'number', 'minimum': 0, 'maximum': 900, 'default': 60.0}, rule='type')
                                                if isinstance(data__hooks_value_item__retry__maxbackoff, (int, float, Decimal)) and not isinstance(data__hooks_value_item__retry__maxbackoff, bool):
                                                    if data__hooks_value_item__retry__maxbackoff < 0:
                                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}].retry.max_backoff".format(**locals()) + " must be bigger than or equal to 0", value=data__hooks_value_item__retry__maxbackoff, name="" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}].retry.max_backoff".format(**locals()) + "", definition={'type': 'number', 'minimum': 0, 'maximum': 900, 'default': 60.0}, rule='minimum')
                                                    if data__hooks_value_item__retry__maxbackoff > 900:
                                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}].retry.max_backoff".format(**locals()) + " must be smaller than or equal to 900", value=data__hooks_value_item__retry__maxbackoff, name="" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}].retry.max_backoff".format(**locals()) + "", definition={'type': 'number', 'minimum': 0, 'maximum': 900, 'default': 60.0}, rule='maximum')
                                            if data__hooks_value_item__retry_keys:
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}].retry".format(**locals()) + " must not contain "+str(data__hooks_value_item__retry_keys)+" properties", value=data__hooks_value_item__retry, name="" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}].retry".format(**locals()) + "", definition={'type': 'object', 'description': 'Run the step again after a failure', 'properties': {'attempts': {'type': 'integer', 'minimum': 1, 'maximum': 20, 'default': 1}, 'backoff': {'type': 'number', 'minimum': 0, 'maximum': 600, 'default': 5.0}, 'max_backoff': {'type': 'number', 'minimum': 0, 'maximum': 900, 'default': 60.0}}, 'additionalProperties': False}, rule='additionalProperties')
                                    if "timeout" in data__hooks_value_item_keys:
                                        data__hooks_value_item_keys.remove("timeout")
                                        data__hooks_value_item__timeout = data__hooks_value_item["timeout"]
                                        if not isinstance(data__hooks_value_item__timeout, (int, float, Decimal)) or isinstance(data__hooks_value_item__timeout, bool):
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}].timeout".format(**locals()) + " must be number", value=data__hooks_value_item__timeout, name="" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}].timeout".format(**locals()) + "", definition={'type': 'number', 'exclusiveMinimum': 0, 'maximum': 3600, 'description': 'Fail the step when it has not finished this many seconds after it started'}, rule='type')
                                        if isinstance(data__hooks_value_item__timeout, (int, float, Decimal)) and not isinstance(data__hooks_value_item__timeout, bool):
                                            if data__hooks_value_item__timeout > 3600:
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}].timeout".format(**locals()) + " must be smaller than or equal to 3600", value=data__hooks_value_item__timeout, name="" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}].timeout".format(**locals()) + "", definition={'type': 'number', 'exclusiveMinimum': 0, 'maximum': 3600, 'description': 'Fail the step when it has not finished this many seconds after it started'}, rule='maximum')
                                            if data__hooks_value_item__timeout <= 0:
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}].timeout".format(**locals()) + " must be bigger than 0", value=data__hooks_value_item__timeout, name="" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}].timeout".format(**locals()) + "", definition={'type': 'number', 'exclusiveMinimum': 0, 'maximum': 3600, 'description': 'Fail the step when it has not finished this many seconds after it started'}, rule='exclusiveMinimum')
                                    if "on_failure" in data__hooks_value_item_keys:
                                        data__hooks_value_item_keys.remove("on_failure")
                                        data__hooks_value_item__onfailure = data__hooks_value_item["on_failure"]
                                        if not (isinstance(data__hooks_value_item__onfailure, str) and data__hooks_value_item__onfailure == 'fail' or isinstance(data__hooks_value_item__onfailure, str) and data__hooks_value_item__onfailure == 'continue'):
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}].on_failure".format(**locals()) + " must be one of ['fail', 'continue']", value=data__hooks_value_item__onfailure, name="" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}].on_failure".format(**locals()) + "", definition={'enum': ['fail', 'continue'], 'default': 'fail', 'description': 'fail: stop and report Failed; continue: record the failure and go on'}, rule='enum')
                                    if "compensate" in data__hooks_value_item_keys:
                                        data__hooks_value_item_keys.remove("compensate")
                                        data__hooks_value_item__compensate = data__hooks_value_item["compensate"]
                                        if not isinstance(data__hooks_value_item__compensate, (bool)):
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}].compensate".format(**locals()) + " must be boolean", value=data__hooks_value_item__compensate, name="" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}].compensate".format(**locals()) + "", definition={'type': 'boolean', 'default': True, 'description': 'Undo what this step changed when the deployment fails before the production switch'}, rule='type')
                                    if data__hooks_value_item_keys:
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}]".format(**locals()) + " must not contain "+str(data__hooks_value_item_keys)+" properties", value=data__hooks_value_item, name="" + (name_prefix or "data") + ".hooks.{data__hooks_key}[{data__hooks_value_x}]".format(**locals()) + "", definition={'type': 'object', 'description': 'One step; steps of a lifecycle event run in order', 'properties': {'type': {'type': 'string', 'description': 'Step type (built-in or from an installed plugin)'}, 'name': {'type': 'string', 'pattern': '^[a-z0-9][a-z0-9-]{0,62}$', 'description': 'Unique within the event; default: the type'}, 'params': {'type': 'object', 'description': "The step type's parameters; strings may use ${...}"}, 'retry': {'type': 'object', 'description': 'Run the step again after a failure', 'properties': {'attempts': {'type': 'integer', 'minimum': 1, 'maximum': 20, 'default': 1}, 'backoff': {'type': 'number', 'minimum': 0, 'maximum': 600, 'default': 5.0}, 'max_backoff': {'type': 'number', 'minimum': 0, 'maximum': 900, 'default': 60.0}}, 'additionalProperties': False}, 'timeout': {'type': 'number', 'exclusiveMinimum': 0, 'maximum': 3600, 'description': 'Fail the step when it has not finished this many seconds after it started'}, 'on_failure': {'enum': ['fail', 'continue'], 'default': 'fail', 'description': 'fail: stop and report Failed; continue: record the failure and go on'}, 'compensate': {'type': 'boolean', 'default': True, 'description': 'Undo what this step changed when the deployment fails before the production switch'}}, 'required': ['type'], 'additionalProperties': False}, rule='additionalProperties')
                data__hooks_len = len(data__hooks)
                if data__hooks_len != 0:
                    data__hooks_property_names = True
                    for data__hooks_key in data__hooks:
                        try:
                            if not (isinstance(data__hooks_key, str) and data__hooks_key == 'BeforeInstall' or isinstance(data__hooks_key, str) and data__hooks_key == 'AfterInstall' or isinstance(data__hooks_key, str) and data__hooks_key == 'AfterAllowTestTraffic' or isinstance(data__hooks_key, str) and data__hooks_key == 'BeforeAllowTraffic' or isinstance(data__hooks_key, str) and data__hooks_key == 'AfterAllowTraffic' or isinstance(data__hooks_key, str) and data__hooks_key == 'RECONCILE_SERVICE' or isinstance(data__hooks_key, str) and data__hooks_key == 'TEST_TRAFFIC_SHIFT' or isinstance(data__hooks_key, str) and data__hooks_key == 'PRODUCTION_TRAFFIC_SHIFT'):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".hooks must be one of ['BeforeInstall', 'AfterInstall', 'AfterAllowTestTraffic', 'BeforeAllowTraffic', 'AfterAllowTraffic', 'RECONCILE_SERVICE', 'TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT']", value=data__hooks_key, name="" + (name_prefix or "data") + ".hooks", definition={'enum': ['BeforeInstall', 'AfterInstall', 'AfterAllowTestTraffic', 'BeforeAllowTraffic', 'AfterAllowTraffic', 'RECONCILE_SERVICE', 'TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT']}, rule='enum')
                        except (JsonSchemaValueException, JsonSchemaValuesException):
                            data__hooks_property_names = False
                    if not data__hooks_property_names:
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".hooks must be named by propertyName definition", value=data__hooks, name="" + (name_prefix or "data") + ".hooks", definition={'type': 'object', 'propertyNames': {'enum': ['BeforeInstall', 'AfterInstall', 'AfterAllowTestTraffic', 'BeforeAllowTraffic', 'AfterAllowTraffic', 'RECONCILE_SERVICE', 'TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT']}, 'additionalProperties': {'type': 'array', 'items': {'type': 'object', 'description': 'One step; steps of a lifecycle event run in order', 'properties': {'type': {'type': 'string', 'description': 'Step type (built-in or from an installed plugin)'}, 'name': {'type': 'string', 'pattern': '^[a-z0-9][a-z0-9-]{0,62}$', 'description': 'Unique within the event; default: the type'}, 'params': {'type': 'object', 'description': "The step type's parameters; strings may use ${...}"}, 'retry': {'type': 'object', 'description': 'Run the step again after a failure', 'properties': {'attempts': {'type': 'integer', 'minimum': 1, 'maximum': 20, 'default': 1}, 'backoff': {'type': 'number', 'minimum': 0, 'maximum': 600, 'default': 5.0}, 'max_backoff': {'type': 'number', 'minimum': 0, 'maximum': 900, 'default': 60.0}}, 'additionalProperties': False}, 'timeout': {'type': 'number', 'exclusiveMinimum': 0, 'maximum': 3600, 'description': 'Fail the step when it has not finished this many seconds after it started'}, 'on_failure': {'enum': ['fail', 'continue'], 'default': 'fail', 'description': 'fail: stop and report Failed; continue: record the failure and go on'}, 'compensate': {'type': 'boolean', 'default': True, 'description': 'Undo what this step changed when the deployment fails before the production switch'}}, 'required': ['type'], 'additionalProperties': False}}}, rule='propertyNames')
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties", value=data, name="" + (name_prefix or "data") + "", definition={'$schema': 'http://json-schema.org/draft-07/schema#', '$id': 'urn:codedeploy-hooks:plan:v1', 'title': 'CodeDeploy hook plan', 'type': 'object', 'properties': {'service': {'type': 'string', 'pattern': '^[a-z0-9][a-z0-9-]{0,62}$', 'description': 'Short service id'}, 'application': {'type': 'string', 'pattern': '^[^#/]+$', 'minLength': 1, 'maxLength': 100, 'description': 'CodeDeploy application'}, 'deployment_group': {'type': 'string', 'pattern': '^[^#/]+$', 'minLength': 1, 'maxLength': 100}, 'platform': {'enum': ['ECS', 'Lambda'], 'description': "The deployment group's compute platform"}, 'driver': {'enum': ['codedeploy', 'ecs', 'release'], 'default': 'codedeploy', 'description': "Who runs the deployments: CodeDeploy (lifecycle hooks of an application and deployment group), ECS's built-in blue/green (lifecycle hooks of an ECS service), or `hookctl release promote` (release: a front-end-only service, no deployment service)"}, 'ecs_service': {'type': 'object', 'description': 'The ECS service whose built-in blue/green deployments run this plan (driver: ecs)', 'properties': {'cluster': {'type': 'string', 'pattern': '^[A-Za-z0-9_-]{1,255}$', 'description': 'Cluster name'}, 'service': {'type': 'string', 'pattern': '^[A-Za-z0-9_-]{1,255}$', 'description': 'Service name'}}, 'required': ['cluster', 'service'], 'additionalProperties': False}, 'description': {'type': 'string'}, 'stacks': {'type': 'object', 'properties': {'labels': {'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9_-]{1,32}$'}, 'minItems': 2, 'maxItems': 2, 'default': ['a', 'b']}, 'initial_live': {'type': 'string', 'description': 'Live label when the service is first registered'}, 'ssm_parameter': {'type': 'string', 'pattern': '^/', 'description': 'SSM String parameter the live label is mirrored to (may use ${var.*})'}}, 'additionalProperties': False}, 'guards': {'type': 'object', 'description': "How destructive steps recognise a resource's service and stack (the live-stack guard itself cannot be turned off)", 'properties': {'service_tag': {'type': 'string', 'minLength': 1, 'maxLength': 128, 'default': 'service'}, 'stack_tag': {'type': 'string', 'minLength': 1, 'maxLength': 128, 'default': 'stack'}, 'ownership': {'type': 'boolean', 'default': True, 'description': "Require the service tag to name this plan's service"}}, 'additionalProperties': False}, 'variables': {'type': 'object', 'additionalProperties': {'type': ['string', 'number', 'boolean']}, 'propertyNames': {'pattern': '^[A-Za-z_][A-Za-z0-9_]*$'}}, 'settings': {'type': 'object', 'properties': {'hook_timeout': {'type': 'number', 'minimum': 60, 'maximum': 3300.0, 'default': 3300.0, 'description': 'Report Failed when a hook has not finished after this many seconds (CodeDeploy itself gives up after 3600)'}, 'lock_ttl': {'type': 'number', 'minimum': 300, 'maximum': 172800, 'default': 21600.0, 'description': "A deployment's lock expires this long after its last hook if never released"}, 'before_allow_traffic': {'enum': ['first', 'every'], 'default': 'first', 'description': 'ECS linear/canary (driver: ecs): run BeforeAllowTraffic before the first production traffic step only, or before every one'}}, 'additionalProperties': False}, 'hooks': {'type': 'object', 'propertyNames': {'enum': ['BeforeInstall', 'AfterInstall', 'AfterAllowTestTraffic', 'BeforeAllowTraffic', 'AfterAllowTraffic', 'RECONCILE_SERVICE', 'TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT']}, 'additionalProperties': {'type': 'array', 'items': {'type': 'object', 'description': 'One step; steps of a lifecycle event run in order', 'properties': {'type': {'type': 'string', 'description': 'Step type (built-in or from an installed plugin)'}, 'name': {'type': 'string', 'pattern': '^[a-z0-9][a-z0-9-]{0,62}$', 'description': 'Unique within the event; default: the type'}, 'params': {'type': 'object', 'description': "The step type's parameters; strings may use ${...}"}, 'retry': {'type': 'object', 'description': 'Run the step again after a failure', 'properties': {'attempts': {'type': 'integer', 'minimum': 1, 'maximum': 20, 'default': 1}, 'backoff': {'type': 'number', 'minimum': 0, 'maximum': 600, 'default': 5.0}, 'max_backoff': {'type': 'number', 'minimum': 0, 'maximum': 900, 'default': 60.0}}, 'additionalProperties': False}, 'timeout': {'type': 'number', 'exclusiveMinimum': 0, 'maximum': 3600, 'description': 'Fail the step when it has not finished this many seconds after it started'}, 'on_failure': {'enum': ['fail', 'continue'], 'default': 'fail', 'description': 'fail: stop and report Failed; continue: record the failure and go on'}, 'compensate': {'type': 'boolean', 'default': True, 'description': 'Undo what this step changed when the deployment fails before the production switch'}}, 'required': ['type'], 'additionalProperties': False}}}}, 'required': ['service', 'hooks'], 'allOf': [{'if': {'properties': {'driver': {'const': 'ecs'}}, 'required': ['driver']}, 'then': {'required': ['ecs_service'], 'properties': {'platform': {'const': 'ECS'}, 'application': False, 'deployment_group': False}}}, {'if': {'properties': {'driver': {'const': 'release'}}, 'required': ['driver']}, 'then': {'properties': {'platform': False, 'application': False, 'deployment_group': False, 'ecs_service': False}}}, {'if': {'properties': {'driver': {'const': 'codedeploy'}}}, 'then': {'required': ['application', 'deployment_group', 'platform'], 'properties': {'ecs_service': False}}}], 'additionalProperties': False}, rule='additionalProperties')
    return data

validate = validate_urn_codedeploy_hooks_plan_v1
SCHEMA_DIGEST = '921fb2a186630a395201a0d15bb0613efaab2dc5892cedc258064398ef97ad51'
