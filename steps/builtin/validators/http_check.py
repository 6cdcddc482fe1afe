# Generated from codedeploy_hooks.steps.builtin.http_check.HttpCheck.params_schema by `hookctl schema --write`: do not edit.
# mypy: ignore-errors
VERSION = "2.22.3"
from decimal import Decimal
import re
from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException


REGEX_PATTERNS = {
    '^https?://': re.compile('^https?://')
}

NoneType = type(None)

def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'url': {'type': 'string', 'pattern': '^https?://', 'description': 'Endpoint to call, e.g. ${var.api}:8443/${target}/health'}, 'method': {'enum': ['GET', 'HEAD'], 'default': 'GET', 'description': 'HTTP method (safe ones only)'}, 'headers': {'type': 'object', 'additionalProperties': {'type': 'string'}, 'description': 'Request headers, name -> value'}, 'timeout': {'type': 'number', 'exclusiveMinimum': 0, 'maximum': 60, 'default': 5, 'description': 'Seconds per request (connect and read)'}, 'expect': {'type': 'object', 'description': 'What the answer must be; every part given must hold', 'properties': {'status': {'oneOf': [{'type': 'integer', 'minimum': 100, 'maximum': 599}, {'type': 'array', 'items': {'type': 'integer'}, 'minItems': 1}], 'default': 200, 'description': 'Status code, or a list of acceptable ones'}, 'body_contains': {'type': 'string', 'description': 'A substring the body must contain'}, 'json': {'type': 'object', 'description': 'dotted path -> expected value'}, 'max_latency_ms': {'type': 'number', 'exclusiveMinimum': 0, 'description': 'Slowest acceptable answer, in milliseconds'}}, 'additionalProperties': False}, 'until': {'type': 'number', 'minimum': 0, 'maximum': 3600, 'default': 0, 'description': 'Keep trying for this many seconds before failing'}, 'interval': {'type': 'number', 'minimum': 0.1, 'maximum': 600, 'default': 5, 'description': 'Seconds between tries while until allows'}}, 'required': ['url'], 'additionalProperties': False}, rule='type')
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['url']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'url': {'type': 'string', 'pattern': '^https?://', 'description': 'Endpoint to call, e.g. ${var.api}:8443/${target}/health'}, 'method': {'enum': ['GET', 'HEAD'], 'default': 'GET', 'description': 'HTTP method (safe ones only)'}, 'headers': {'type': 'object', 'additionalProperties': {'type': 'string'}, 'description': 'Request headers, name -> value'}, 'timeout': {'type': 'number', 'exclusiveMinimum': 0, 'maximum': 60, 'default': 5, 'description': 'Seconds per request (connect and read)'}, 'expect': {'type': 'object', 'description': 'What the answer must be; every part given must hold', 'properties': {'status': {'oneOf': [{'type': 'integer', 'minimum': 100, 'maximum': 599}, {'type': 'array', 'items': {'type': 'integer'}, 'minItems': 1}], 'default': 200, 'description': 'Status code, or a list of acceptable ones'}, 'body_contains': {'type': 'string', 'description': 'A substring the body must contain'}, 'json': {'type': 'object', 'description': 'dotted path -> expected value'}, 'max_latency_ms': {'type': 'number', 'exclusiveMinimum': 0, 'description': 'Slowest acceptable answer, in milliseconds'}}, 'additionalProperties': False}, 'until': {'type': 'number', 'minimum': 0, 'maximum': 3600, 'default': 0, 'description': 'Keep trying for this many seconds before failing'}, 'interval': {'type': 'number', 'minimum': 0.1, 'maximum': 600, 'default': 5, 'description': 'Seconds between tries while until allows'}}, 'required': ['url'], 'additionalProperties': False}, rule='required')
        data_keys = set(data.keys())
        if "url" in data_keys:
            data_keys.remove("url")
            data__url = data["url"]
            if not isinstance(data__url, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".url must be string", value=data__url, name="" + (name_prefix or "data") + ".url", definition={'type': 'string', 'pattern': '^https?://', 'description': 'Endpoint to call, e.g. ${var.api}:8443/${target}/health'}, rule='type')
            if isinstance(data__url, str):
                if not REGEX_PATTERNS['^https?://'].search(data__url):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".url must match pattern ^https?://", value=data__url, name="" + (name_prefix or "data") + ".url", definition={'type': 'string', 'pattern': '^https?://', 'description': 'Endpoint to call, e.g. ${var.api}:8443/${target}/health'}, rule='pattern')
        if "method" in data_keys:
            data_keys.remove("method")
            data__method = data["method"]
            if not (isinstance(data__method, str) and data__method == 'GET' or isinstance(data__method, str) and data__method == 'HEAD'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".method must be one of ['GET', 'HEAD']", value=data__method, name="" + (name_prefix or "data") + ".method", definition={'enum': ['GET', 'HEAD'], 'default': 'GET', 'description': 'HTTP method (safe ones only)'}, rule='enum')
        else: data["method"] = 'GET'
        if "headers" in data_keys:
            data_keys.remove("headers")
            data__headers = data["headers"]
            if not isinstance(data__headers, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".headers must be object", value=data__headers, name="" + (name_prefix or "data") + ".headers", definition={'type': 'object', 'additionalProperties': {'type': 'string'}, 'description': 'Request headers, name -> value'}, rule='type')
            data__headers_is_dict = isinstance(data__headers, dict)
            if data__headers_is_dict:
                data__headers_keys = set(data__headers.keys())
                for data__headers_key in data__headers_keys:
                    if data__headers_key not in []:
                        data__headers_value = data__headers.get(data__headers_key)
                        if not isinstance(data__headers_value, (str)):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".headers.{data__headers_key}".format(**locals()) + " must be string", value=data__headers_value, name="" + (name_prefix or "data") + ".headers.{data__headers_key}".format(**locals()) + "", definition={'type': 'string'}, rule='type')
        if "timeout" in data_keys:
            data_keys.remove("timeout")
            data__timeout = data["timeout"]
            if not isinstance(data__timeout, (int, float, Decimal)) or isinstance(data__timeout, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".timeout must be number", value=data__timeout, name="" + (name_prefix or "data") + ".timeout", definition={'type': 'number', 'exclusiveMinimum': 0, 'maximum': 60, 'default': 5, 'description': 'Seconds per request (connect and read)'}, rule='type')
            if isinstance(data__timeout, (int, float, Decimal)) and not isinstance(data__timeout, bool):
                if data__timeout > 60:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".timeout must be smaller than or equal to 60", value=data__timeout, name="" + (name_prefix or "data") + ".timeout", definition={'type': 'number', 'exclusiveMinimum': 0, 'maximum': 60, 'default': 5, 'description': 'Seconds per request (connect and read)'}, rule='maximum')
                if data__timeout <= 0:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".timeout must be bigger than 0", value=data__timeout, name="" + (name_prefix or "data") + ".timeout", definition={'type': 'number', 'exclusiveMinimum': 0, 'maximum': 60, 'default': 5, 'description': 'Seconds per request (connect and read)'}, rule='exclusiveMinimum')
        else: data["timeout"] = 5
        if "expect" in data_keys:
            data_keys.remove("expect")
            data__expect = data["expect"]
            if not isinstance(data__expect, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".expect must be object", value=data__expect, name="" + (name_prefix or "data") + ".expect", definition={'type': 'object', 'description': 'What the answer must be; every part given must hold', 'properties': {'status': {'oneOf': [{'type': 'integer', 'minimum': 100, 'maximum': 599}, {'type': 'array', 'items': {'type': 'integer'}, 'minItems': 1}], 'default': 200, 'description': 'Status code, or a list of acceptable ones'}, 'body_contains': {'type': 'string', 'description': 'A substring the body must contain'}, 'json': {'type': 'object', 'description': 'dotted path -> expected value'}, 'max_latency_ms': {'type': 'number', 'exclusiveMinimum': 0, 'description': 'Slowest acceptable answer, in milliseconds'}}, 'additionalProperties': False}, rule='type')
            data__expect_is_dict = isinstance(data__expect, dict)
            if data__expect_is_dict:
                data__expect_keys = set(data__expect.keys())
                if "status" in data__expect_keys:
                    data__expect_keys.remove("status")
                    data__expect__status = data__expect["status"]
                    data__expect__status_one_of_count1 = 0
                    if data__expect__status_one_of_count1 < 2:
                        try:
                            if not isinstance(data__expect__status, (int)) and not (isinstance(data__expect__status, float) and data__expect__status.is_integer()) or isinstance(data__expect__status, bool):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".expect.status must be integer", value=data__expect__status, name="" + (name_prefix or "data") + ".expect.status", definition={'type': 'integer', 'minimum': 100, 'maximum': 599}, rule='type')
                            if isinstance(data__expect__status, (int, float, Decimal)) and not isinstance(data__expect__status, bool):
                                if data__expect__status < 100:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".expect.status must be bigger than or equal to 100", value=data__expect__status, name="" + (name_prefix or "data") + ".expect.status", definition={'type': 'integer', 'minimum': 100, 'maximum': 599}, rule='minimum')
                                if data__expect__status > 599:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".expect.status must be smaller than or equal to 599", value=data__expect__status, name="" + (name_prefix or "data") + ".expect.status", definition={'type': 'integer', 'minimum': 100, 'maximum': 599}, rule='maximum')
                            data__expect__status_one_of_count1 += 1
                        except (JsonSchemaValueException, JsonSchemaValuesException): pass
                    if data__expect__status_one_of_count1 < 2:
                        try:
                            if not isinstance(data__expect__status, (list, tuple)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".expect.status must be array", value=data__expect__status, name="" + (name_prefix or "data") + ".expect.status", definition={'type': 'array', 'items': {'type': 'integer'}, 'minItems': 1}, rule='type')
                            data__expect__status_is_list = isinstance(data__expect__status, (list, tuple))
                            if data__expect__status_is_list:
                                data__expect__status_len = len(data__expect__status)
                                if data__expect__status_len < 1:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".expect.status must contain at least 1 items", value=data__expect__status, name="" + (name_prefix or "data") + ".expect.status", definition={'type': 'array', 'items': {'type': 'integer'}, 'minItems': 1}, rule='minItems')
                                for data__expect__status_x, data__expect__status_item in enumerate(data__expect__status):
                                    if not isinstance(data__expect__status_item, (int)) and not (isinstance(data__expect__status_item, float) and data__expect__status_item.is_integer()) or isinstance(data__expect__status_item, bool):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".expect.status[{data__expect__status_x}]".format(**locals()) + " must be integer", value=data__expect__status_item, name="" + (name_prefix or "data") + ".expect.status[{data__expect__status_x}]".format(**locals()) + "", definition={'type': 'integer'}, rule='type')
                            data__expect__status_one_of_count1 += 1
                        except (JsonSchemaValueException, JsonSchemaValuesException): pass
                    if data__expect__status_one_of_count1 != 1:
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".expect.status must be valid exactly by one definition" + (" (" + str(data__expect__status_one_of_count1) + " matches found)"), value=data__expect__status, name="" + (name_prefix or "data") + ".expect.status", definition={'oneOf': [{'type': 'integer', 'minimum': 100, 'maximum': 599}, {'type': 'array', 'items': {'type': 'integer'}, 'minItems': 1}], 'default': 200, 'description': 'Status code, or a list of acceptable ones'}, rule='oneOf')
                else: data__expect["status"] = 200
                if "body_contains" in data__expect_keys:
                    data__expect_keys.remove("body_contains")
                    data__expect__bodycontains = data__expect["body_contains"]
                    if not isinstance(data__expect__bodycontains, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".expect.body_contains must be string", value=data__expect__bodycontains, name="" + (name_prefix or "data") + ".expect.body_contains", definition={'type': 'string', 'description': 'A substring the body must contain'}, rule='type')
                if "json" in data__expect_keys:
                    data__expect_keys.remove("json")
                    data__expect__json = data__expect["json"]
                    if not isinstance(data__expect__json, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".expect.json must be object", value=data__expect__json, name="" + (name_prefix or "data") + ".expect.json", definition={'type': 'object', 'description': 'dotted path -> expected value'}, rule='type')
                if "max_latency_ms" in data__expect_keys:
                    data__expect_keys.remove("max_latency_ms")
                    data__expect__maxlatencyms = data__expect["max_latency_ms"]
                    if not isinstance(data__expect__maxlatencyms, (int, float, Decimal)) or isinstance(data__expect__maxlatencyms, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".expect.max_latency_ms must be number", value=data__expect__maxlatencyms, name="" + (name_prefix or "data") + ".expect.max_latency_ms", definition={'type': 'number', 'exclusiveMinimum': 0, 'description': 'Slowest acceptable answer, in milliseconds'}, rule='type')
                    if isinstance(data__expect__maxlatencyms, (int, float, Decimal)) and not isinstance(data__expect__maxlatencyms, bool):
                        if data__expect__maxlatencyms <= 0:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".expect.max_latency_ms must be bigger than 0", value=data__expect__maxlatencyms, name="" + (name_prefix or "data") + ".expect.max_latency_ms", definition={'type': 'number', 'exclusiveMinimum': 0, 'description': 'Slowest acceptable answer, in milliseconds'}, rule='exclusiveMinimum')
                if data__expect_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".expect must not contain "+str(data__expect_keys)+" properties", value=data__expect, name="" + (name_prefix or "data") + ".expect", definition={'type': 'object', 'description': 'What the answer must be; every part given must hold', 'properties': {'status': {'oneOf': [{'type': 'integer', 'minimum': 100, 'maximum': 599}, {'type': 'array', 'items': {'type': 'integer'}, 'minItems': 1}], 'default': 200, 'description': 'Status code, or a list of acceptable ones'}, 'body_contains': {'type': 'string', 'description': 'A substring the body must contain'}, 'json': {'type': 'object', 'description': 'dotted path -> expected value'}, 'max_latency_ms': {'type': 'number', 'exclusiveMinimum': 0, 'description': 'Slowest acceptable answer, in milliseconds'}}, 'additionalProperties': False}, rule='additionalProperties')
        if "until" in data_keys:
            data_keys.remove("until")
            data__until = data["until"]
            if not isinstance(data__until, (int, float, Decimal)) or isinstance(data__until, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".until must be number", value=data__until, name="" + (name_prefix or "data") + ".until", definition={'type': 'number', 'minimum': 0, 'maximum': 3600, 'default': 0, 'description': 'Keep trying for this many seconds before failing'}, rule='type')
            if isinstance(data__until, (int, float, Decimal)) and not isinstance(data__until, bool):
                if data__until < 0:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".until must be bigger than or equal to 0", value=data__until, name="" + (name_prefix or "data") + ".until", definition={'type': 'number', 'minimum': 0, 'maximum': 3600, 'default': 0, 'description': 'Keep trying for this many seconds before failing'}, rule='minimum')
                if data__until > 3600:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".until must be smaller than or equal to 3600", value=data__until, name="" + (name_prefix or "data") + ".until", definition={'type': 'number', 'minimum': 0, 'maximum': 3600, 'default': 0, 'description': 'Keep trying for this many seconds before failing'}, rule='maximum')
        else: data["until"] = 0
        if "interval" in data_keys:
            data_keys.remove("interval")
            data__interval = data["interval"]
            if not isinstance(data__interval, (int, float, Decimal)) or isinstance(data__interval, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".interval must be number", value=data__interval, name="" + (name_prefix or "data") + ".interval", definition={'type': 'number', 'minimum': 0.1, 'maximum': 600, 'default': 5, 'description': 'Seconds between tries while until allows'}, rule='type')
            if isinstance(data__interval, (int, float, Decimal)) and not isinstance(data__interval, bool):
                if data__interval < 0.1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".interval must be bigger than or equal to 0.1", value=data__interval, name="" + (name_prefix or "data") + ".interval", definition={'type': 'number', 'minimum': 0.1, 'maximum': 600, 'default': 5, 'description': 'Seconds between tries while until allows'}, rule='minimum')
                if data__interval > 600:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".interval must be smaller than or equal to 600", value=data__interval, name="" + (name_prefix or "data") + ".interval", definition={'type': 'number', 'minimum': 0.1, 'maximum': 600, 'default': 5, 'description': 'Seconds between tries while until allows'}, rule='maximum')
        else: data["interval"] = 5
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'url': {'type': 'string', 'pattern': '^https?://', 'description': 'Endpoint to call, e.g. ${var.api}:8443/${target}/health'}, 'method': {'enum': ['GET', 'HEAD'], 'default': 'GET', 'description': 'HTTP method (safe ones only)'}, 'headers': {'type': 'object', 'additionalProperties': {'type': 'string'}, 'description': 'Request headers, name -> value'}, 'timeout': {'type': 'number', 'exclusiveMinimum': 0, 'maximum': 60, 'default': 5, 'description': 'Seconds per request (connect and read)'}, 'expect': {'type': 'object', 'description': 'What the answer must be; every part given must hold', 'properties': {'status': {'oneOf': [{'type': 'integer', 'minimum': 100, 'maximum': 599}, {'type': 'array', 'items': {'type': 'integer'}, 'minItems': 1}], 'default': 200, 'description': 'Status code, or a list of acceptable ones'}, 'body_contains': {'type': 'string', 'description': 'A substring the body must contain'}, 'json': {'type': 'object', 'description': 'dotted path -> expected value'}, 'max_latency_ms': {'type': 'number', 'exclusiveMinimum': 0, 'description': 'Slowest acceptable answer, in milliseconds'}}, 'additionalProperties': False}, 'until': {'type': 'number', 'minimum': 0, 'maximum': 3600, 'default': 0, 'description': 'Keep trying for this many seconds before failing'}, 'interval': {'type': 'number', 'minimum': 0.1, 'maximum': 600, 'default': 5, 'description': 'Seconds between tries while until allows'}}, 'required': ['url'], 'additionalProperties': False}, rule='additionalProperties')
    return data

validate = validate
SCHEMA_DIGEST = '92916db4460b7f8dafd7c723c32942aad8ef0b38b230493d89bf3565211c0356'
