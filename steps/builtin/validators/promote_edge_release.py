# Generated from codedeploy_hooks.steps.builtin.promote_edge_release.PromoteEdgeRelease.params_schema by `hookctl schema --write`: do not edit.
# mypy: ignore-errors
VERSION = "2.22.3"
from decimal import Decimal
import re
from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException


REGEX_PATTERNS = {
    '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$': re.compile('^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\\Z'),
    '^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$': re.compile('^[A-Za-z0-9][A-Za-z0-9_-]{0,31}\\Z'),
    '^(/[A-Za-z0-9_.-]+){1,15}$': re.compile('^(/[A-Za-z0-9_.-]+){1,15}\\Z'),
    '^[a-z]{2}(-[a-z]+)+-[0-9]$': re.compile('^[a-z]{2}(-[a-z]+)+-[0-9]\\Z'),
    '^[A-Z0-9]{1,32}$': re.compile('^[A-Z0-9]{1,32}\\Z'),
    '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$': re.compile('^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\\Z'),
    '^([A-Za-z0-9._-]+/)*[A-Za-z0-9._-]*\\{release\\}[A-Za-z0-9._-]*/([A-Za-z0-9._-]+/)*$': re.compile('^([A-Za-z0-9._-]+/)*[A-Za-z0-9._-]*\\{release\\}[A-Za-z0-9._-]*/([A-Za-z0-9._-]+/)*\\Z'),
    '^[A-Za-z0-9._-]{1,64}$': re.compile('^[A-Za-z0-9._-]{1,64}\\Z'),
    '^/[\\x21-\\x7e]{0,4095}$': re.compile('^/[\\x21-\\x7e]{0,4095}\\Z')
}

NoneType = type(None)

def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'release': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$', 'description': 'The release to make active'}, 'stack': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$', 'description': 'The API stack the release talks to (routable set), e.g. ${target}; none for a front-end-only site'}, 'active_parameter': {'type': 'string', 'pattern': '^(/[A-Za-z0-9_.-]+){1,15}$', 'description': 'SSM String parameter holding the active release id'}, 'routable_parameter': {'type': 'string', 'pattern': '^(/[A-Za-z0-9_.-]+){1,15}$', 'description': 'SSM String parameter holding the routable releases'}, 'region': {'type': 'string', 'pattern': '^[a-z]{2}(-[a-z]+)+-[0-9]$', 'description': "Region of both parameters (the edge configuration's releases.parameters.region); default: the hook's region"}, 'distribution_id': {'type': 'string', 'pattern': '^[A-Z0-9]{1,32}$', 'description': 'The CloudFront distribution to invalidate'}, 'bucket': {'type': 'string', 'pattern': '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$', 'description': "The bucket holding the releases' front ends"}, 'prefix': {'type': 'string', 'pattern': '^([A-Za-z0-9._-]+/)*[A-Za-z0-9._-]*\\{release\\}[A-Za-z0-9._-]*/([A-Za-z0-9._-]+/)*$', 'default': 'releases/{release}/', 'description': "Key prefix of a release's front end; {release} is replaced by the release id"}, 'index_document': {'type': 'string', 'pattern': '^[A-Za-z0-9._-]{1,64}$', 'default': 'index.html', 'description': 'Must exist under the prefix before the release is promoted'}, 'paths': {'type': 'array', 'items': {'type': 'string', 'pattern': '^/[\\x21-\\x7e]{0,4095}$'}, 'minItems': 1, 'maxItems': 100, 'uniqueItems': True, 'description': "Paths to invalidate ({release} is replaced); default: the release's app document, /<prefix><index_document> (the cache holds the URI as the router rewrote it)"}, 'keep': {'type': 'integer', 'minimum': 2, 'maximum': 100, 'default': 5, 'description': 'How many releases stay routable; older ones are retired (never the active or the previous release)'}, 'wait_for_invalidation': {'type': 'boolean', 'default': True, 'description': 'Return again until the invalidation is Completed'}, 'interval': {'type': 'integer', 'minimum': 1, 'maximum': 300, 'default': 10, 'description': 'Seconds between GetInvalidation polls'}}, 'required': ['release', 'active_parameter', 'routable_parameter', 'distribution_id', 'bucket'], 'additionalProperties': False}, rule='type')
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['release', 'active_parameter', 'routable_parameter', 'distribution_id', 'bucket']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'release': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$', 'description': 'The release to make active'}, 'stack': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$', 'description': 'The API stack the release talks to (routable set), e.g. ${target}; none for a front-end-only site'}, 'active_parameter': {'type': 'string', 'pattern': '^(/[A-Za-z0-9_.-]+){1,15}$', 'description': 'SSM String parameter holding the active release id'}, 'routable_parameter': {'type': 'string', 'pattern': '^(/[A-Za-z0-9_.-]+){1,15}$', 'description': 'SSM String parameter holding the routable releases'}, 'region': {'type': 'string', 'pattern': '^[a-z]{2}(-[a-z]+)+-[0-9]$', 'description': "Region of both parameters (the edge configuration's releases.parameters.region); default: the hook's region"}, 'distribution_id': {'type': 'string', 'pattern': '^[A-Z0-9]{1,32}$', 'description': 'The CloudFront distribution to invalidate'}, 'bucket': {'type': 'string', 'pattern': '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$', 'description': "The bucket holding the releases' front ends"}, 'prefix': {'type': 'string', 'pattern': '^([A-Za-z0-9._-]+/)*[A-Za-z0-9._-]*\\{release\\}[A-Za-z0-9._-]*/([A-Za-z0-9._-]+/)*$', 'default': 'releases/{release}/', 'description': "Key prefix of a release's front end; {release} is replaced by the release id"}, 'index_document': {'type': 'string', 'pattern': '^[A-Za-z0-9._-]{1,64}$', 'default': 'index.html', 'description': 'Must exist under the prefix before the release is promoted'}, 'paths': {'type': 'array', 'items': {'type': 'string', 'pattern': '^/[\\x21-\\x7e]{0,4095}$'}, 'minItems': 1, 'maxItems': 100, 'uniqueItems': True, 'description': "Paths to invalidate ({release} is replaced); default: the release's app document, /<prefix><index_document> (the cache holds the URI as the router rewrote it)"}, 'keep': {'type': 'integer', 'minimum': 2, 'maximum': 100, 'default': 5, 'description': 'How many releases stay routable; older ones are retired (never the active or the previous release)'}, 'wait_for_invalidation': {'type': 'boolean', 'default': True, 'description': 'Return again until the invalidation is Completed'}, 'interval': {'type': 'integer', 'minimum': 1, 'maximum': 300, 'default': 10, 'description': 'Seconds between GetInvalidation polls'}}, 'required': ['release', 'active_parameter', 'routable_parameter', 'distribution_id', 'bucket'], 'additionalProperties': False}, rule='required')
        data_keys = set(data.keys())
        if "release" in data_keys:
            data_keys.remove("release")
            data__release = data["release"]
            if not isinstance(data__release, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".release must be string", value=data__release, name="" + (name_prefix or "data") + ".release", definition={'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$', 'description': 'The release to make active'}, rule='type')
            if isinstance(data__release, str):
                if not REGEX_PATTERNS['^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'].search(data__release):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".release must match pattern ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", value=data__release, name="" + (name_prefix or "data") + ".release", definition={'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$', 'description': 'The release to make active'}, rule='pattern')
        if "stack" in data_keys:
            data_keys.remove("stack")
            data__stack = data["stack"]
            if not isinstance(data__stack, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".stack must be string", value=data__stack, name="" + (name_prefix or "data") + ".stack", definition={'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$', 'description': 'The API stack the release talks to (routable set), e.g. ${target}; none for a front-end-only site'}, rule='type')
            if isinstance(data__stack, str):
                if not REGEX_PATTERNS['^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$'].search(data__stack):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".stack must match pattern ^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$", value=data__stack, name="" + (name_prefix or "data") + ".stack", definition={'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$', 'description': 'The API stack the release talks to (routable set), e.g. ${target}; none for a front-end-only site'}, rule='pattern')
        if "active_parameter" in data_keys:
            data_keys.remove("active_parameter")
            data__activeparameter = data["active_parameter"]
            if not isinstance(data__activeparameter, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".active_parameter must be string", value=data__activeparameter, name="" + (name_prefix or "data") + ".active_parameter", definition={'type': 'string', 'pattern': '^(/[A-Za-z0-9_.-]+){1,15}$', 'description': 'SSM String parameter holding the active release id'}, rule='type')
            if isinstance(data__activeparameter, str):
                if not REGEX_PATTERNS['^(/[A-Za-z0-9_.-]+){1,15}$'].search(data__activeparameter):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".active_parameter must match pattern ^(/[A-Za-z0-9_.-]+){1,15}$", value=data__activeparameter, name="" + (name_prefix or "data") + ".active_parameter", definition={'type': 'string', 'pattern': '^(/[A-Za-z0-9_.-]+){1,15}$', 'description': 'SSM String parameter holding the active release id'}, rule='pattern')
        if "routable_parameter" in data_keys:
            data_keys.remove("routable_parameter")
            data__routableparameter = data["routable_parameter"]
            if not isinstance(data__routableparameter, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".routable_parameter must be string", value=data__routableparameter, name="" + (name_prefix or "data") + ".routable_parameter", definition={'type': 'string', 'pattern': '^(/[A-Za-z0-9_.-]+){1,15}$', 'description': 'SSM String parameter holding the routable releases'}, rule='type')
            if isinstance(data__routableparameter, str):
                if not REGEX_PATTERNS['^(/[A-Za-z0-9_.-]+){1,15}$'].search(data__routableparameter):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".routable_parameter must match pattern ^(/[A-Za-z0-9_.-]+){1,15}$", value=data__routableparameter, name="" + (name_prefix or "data") + ".routable_parameter", definition={'type': 'string', 'pattern': '^(/[A-Za-z0-9_.-]+){1,15}$', 'description': 'SSM String parameter holding the routable releases'}, rule='pattern')
        if "region" in data_keys:
            data_keys.remove("region")
            data__region = data["region"]
            if not isinstance(data__region, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".region must be string", value=data__region, name="" + (name_prefix or "data") + ".region", definition={'type': 'string', 'pattern': '^[a-z]{2}(-[a-z]+)+-[0-9]$', 'description': "Region of both parameters (the edge configuration's releases.parameters.region); default: the hook's region"}, rule='type')
            if isinstance(data__region, str):
                if not REGEX_PATTERNS['^[a-z]{2}(-[a-z]+)+-[0-9]$'].search(data__region):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".region must match pattern ^[a-z]{2}(-[a-z]+)+-[0-9]$", value=data__region, name="" + (name_prefix or "data") + ".region", definition={'type': 'string', 'pattern': '^[a-z]{2}(-[a-z]+)+-[0-9]$', 'description': "Region of both parameters (the edge configuration's releases.parameters.region); default: the hook's region"}, rule='pattern')
        if "distribution_id" in data_keys:
            data_keys.remove("distribution_id")
            data__distributionid = data["distribution_id"]
            if not isinstance(data__distributionid, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".distribution_id must be string", value=data__distributionid, name="" + (name_prefix or "data") + ".distribution_id", definition={'type': 'string', 'pattern': '^[A-Z0-9]{1,32}$', 'description': 'The CloudFront distribution to invalidate'}, rule='type')
            if isinstance(data__distributionid, str):
                if not REGEX_PATTERNS['^[A-Z0-9]{1,32}$'].search(data__distributionid):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".distribution_id must match pattern ^[A-Z0-9]{1,32}$", value=data__distributionid, name="" + (name_prefix or "data") + ".distribution_id", definition={'type': 'string', 'pattern': '^[A-Z0-9]{1,32}$', 'description': 'The CloudFront distribution to invalidate'}, rule='pattern')
        if "bucket" in data_keys:
            data_keys.remove("bucket")
            data__bucket = data["bucket"]
            if not isinstance(data__bucket, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".bucket must be string", value=data__bucket, name="" + (name_prefix or "data") + ".bucket", definition={'type': 'string', 'pattern': '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$', 'description': "The bucket holding the releases' front ends"}, rule='type')
            if isinstance(data__bucket, str):
                if not REGEX_PATTERNS['^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$'].search(data__bucket):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".bucket must match pattern ^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", value=data__bucket, name="" + (name_prefix or "data") + ".bucket", definition={'type': 'string', 'pattern': '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$', 'description': "The bucket holding the releases' front ends"}, rule='pattern')
        if "prefix" in data_keys:
            data_keys.remove("prefix")
            data__prefix = data["prefix"]
            if not isinstance(data__prefix, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".prefix must be string", value=data__prefix, name="" + (name_prefix or "data") + ".prefix", definition={'type': 'string', 'pattern': '^([A-Za-z0-9._-]+/)*[A-Za-z0-9._-]*\\{release\\}[A-Za-z0-9._-]*/([A-Za-z0-9._-]+/)*$', 'default': 'releases/{release}/', 'description': "Key prefix of a release's front end; {release} is replaced by the release id"}, rule='type')
            if isinstance(data__prefix, str):
                if not REGEX_PATTERNS['^([A-Za-z0-9._-]+/)*[A-Za-z0-9._-]*\\{release\\}[A-Za-z0-9._-]*/([A-Za-z0-9._-]+/)*$'].search(data__prefix):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".prefix must match pattern ^([A-Za-z0-9._-]+/)*[A-Za-z0-9._-]*\\{release\\}[A-Za-z0-9._-]*/([A-Za-z0-9._-]+/)*$", value=data__prefix, name="" + (name_prefix or "data") + ".prefix", definition={'type': 'string', 'pattern': '^([A-Za-z0-9._-]+/)*[A-Za-z0-9._-]*\\{release\\}[A-Za-z0-9._-]*/([A-Za-z0-9._-]+/)*$', 'default': 'releases/{release}/', 'description': "Key prefix of a release's front end; {release} is replaced by the release id"}, rule='pattern')
        else: data["prefix"] = 'releases/{release}/'
        if "index_document" in data_keys:
            data_keys.remove("index_document")
            data__indexdocument = data["index_document"]
            if not isinstance(data__indexdocument, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".index_document must be string", value=data__indexdocument, name="" + (name_prefix or "data") + ".index_document", definition={'type': 'string', 'pattern': '^[A-Za-z0-9._-]{1,64}$', 'default': 'index.html', 'description': 'Must exist under the prefix before the release is promoted'}, rule='type')
            if isinstance(data__indexdocument, str):
                if not REGEX_PATTERNS['^[A-Za-z0-9._-]{1,64}$'].search(data__indexdocument):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".index_document must match pattern ^[A-Za-z0-9._-]{1,64}$", value=data__indexdocument, name="" + (name_prefix or "data") + ".index_document", definition={'type': 'string', 'pattern': '^[A-Za-z0-9._-]{1,64}$', 'default': 'index.html', 'description': 'Must exist under the prefix before the release is promoted'}, rule='pattern')
        else: data["index_document"] = 'index.html'
        if "paths" in data_keys:
            data_keys.remove("paths")
            data__paths = data["paths"]
            if not isinstance(data__paths, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".paths must be array", value=data__paths, name="" + (name_prefix or "data") + ".paths", definition={'type': 'array', 'items': {'type': 'string', 'pattern': '^/[\\x21-\\x7e]{0,4095}$'}, 'minItems': 1, 'maxItems': 100, 'uniqueItems': True, 'description': "Paths to invalidate ({release} is replaced); default: the release's app document, /<prefix><index_document> (the cache holds the URI as the router rewrote it)"}, rule='type')
            data__paths_is_list = isinstance(data__paths, (list, tuple))
            if data__paths_is_list:
                data__paths_len = len(data__paths)
                if data__paths_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".paths must contain at least 1 items", value=data__paths, name="" + (name_prefix or "data") + ".paths", definition={'type': 'array', 'items': {'type': 'string', 'pattern': '^/[\\x21-\\x7e]{0,4095}$'}, 'minItems': 1, 'maxItems': 100, 'uniqueItems': True, 'description': "Paths to invalidate ({release} is replaced); default: the release's app document, /<prefix><index_document> (the cache holds the URI as the router rewrote it)"}, rule='minItems')
                if data__paths_len > 100:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".paths must contain less than or equal to 100 items", value=data__paths, name="" + (name_prefix or "data") + ".paths", definition={'type': 'array', 'items': {'type': 'string', 'pattern': '^/[\\x21-\\x7e]{0,4095}$'}, 'minItems': 1, 'maxItems': 100, 'uniqueItems': True, 'description': "Paths to invalidate ({release} is replaced); default: the release's app document, /<prefix><index_document> (the cache holds the URI as the router rewrote it)"}, rule='maxItems')
                def fn(var): return frozenset(dict((k, fn(v)) for k, v in var.items()).items()) if hasattr(var, "items") else tuple(fn(v) for v in var) if isinstance(var, (dict, list)) else (bool, var) if isinstance(var, bool) else var
                if data__paths_len > len(set(fn(data__paths_x) for data__paths_x in data__paths)):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".paths must contain unique items", value=data__paths, name="" + (name_prefix or "data") + ".paths", definition={'type': 'array', 'items': {'type': 'string', 'pattern': '^/[\\x21-\\x7e]{0,4095}$'}, 'minItems': 1, 'maxItems': 100, 'uniqueItems': True, 'description': "Paths to invalidate ({release} is replaced); default: the release's app document, /<prefix><index_document> (the cache holds the URI as the router rewrote it)"}, rule='uniqueItems')
                for data__paths_x, data__paths_item in enumerate(data__paths):
                    if not isinstance(data__paths_item, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".paths[{data__paths_x}]".format(**locals()) + " must be string", value=data__paths_item, name="" + (name_prefix or "data") + ".paths[{data__paths_x}]".format(**locals()) + "", definition={'type': 'string', 'pattern': '^/[\\x21-\\x7e]{0,4095}$'}, rule='type')
                    if isinstance(data__paths_item, str):
                        if not REGEX_PATTERNS['^/[\\x21-\\x7e]{0,4095}$'].search(data__paths_item):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".paths[{data__paths_x}]".format(**locals()) + " must match pattern ^/[\\x21-\\x7e]{0,4095}$", value=data__paths_item, name="" + (name_prefix or "data") + ".paths[{data__paths_x}]".format(**locals()) + "", definition={'type': 'string', 'pattern': '^/[\\x21-\\x7e]{0,4095}$'}, rule='pattern')
        if "keep" in data_keys:
            data_keys.remove("keep")
            data__keep = data["keep"]
            if not isinstance(data__keep, (int)) and not (isinstance(data__keep, float) and data__keep.is_integer()) or isinstance(data__keep, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".keep must be integer", value=data__keep, name="" + (name_prefix or "data") + ".keep", definition={'type': 'integer', 'minimum': 2, 'maximum': 100, 'default': 5, 'description': 'How many releases stay routable; older ones are retired (never the active or the previous release)'}, rule='type')
            if isinstance(data__keep, (int, float, Decimal)) and not isinstance(data__keep, bool):
                if data__keep < 2:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".keep must be bigger than or equal to 2", value=data__keep, name="" + (name_prefix or "data") + ".keep", definition={'type': 'integer', 'minimum': 2, 'maximum': 100, 'default': 5, 'description': 'How many releases stay routable; older ones are retired (never the active or the previous release)'}, rule='minimum')
                if data__keep > 100:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".keep must be smaller than or equal to 100", value=data__keep, name="" + (name_prefix or "data") + ".keep", definition={'type': 'integer', 'minimum': 2, 'maximum': 100, 'default': 5, 'description': 'How many releases stay routable; older ones are retired (never the active or the previous release)'}, rule='maximum')
        else: data["keep"] = 5
        if "wait_for_invalidation" in data_keys:
            data_keys.remove("wait_for_invalidation")
            data__waitforinvalidation = data["wait_for_invalidation"]
            if not isinstance(data__waitforinvalidation, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".wait_for_invalidation must be boolean", value=data__waitforinvalidation, name="" + (name_prefix or "data") + ".wait_for_invalidation", definition={'type': 'boolean', 'default': True, 'description': 'Return again until the invalidation is Completed'}, rule='type')
        else: data["wait_for_invalidation"] = True
        if "interval" in data_keys:
            data_keys.remove("interval")
            data__interval = data["interval"]
            if not isinstance(data__interval, (int)) and not (isinstance(data__interval, float) and data__interval.is_integer()) or isinstance(data__interval, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".interval must be integer", value=data__interval, name="" + (name_prefix or "data") + ".interval", definition={'type': 'integer', 'minimum': 1, 'maximum': 300, 'default': 10, 'description': 'Seconds between GetInvalidation polls'}, rule='type')
            if isinstance(data__interval, (int, float, Decimal)) and not isinstance(data__interval, bool):
                if data__interval < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".interval must be bigger than or equal to 1", value=data__interval, name="" + (name_prefix or "data") + ".interval", definition={'type': 'integer', 'minimum': 1, 'maximum': 300, 'default': 10, 'description': 'Seconds between GetInvalidation polls'}, rule='minimum')
                if data__interval > 300:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".interval must be smaller than or equal to 300", value=data__interval, name="" + (name_prefix or "data") + ".interval", definition={'type': 'integer', 'minimum': 1, 'maximum': 300, 'default': 10, 'description': 'Seconds between GetInvalidation polls'}, rule='maximum')
        else: data["interval"] = 10
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'release': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$', 'description': 'The release to make active'}, 'stack': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$', 'description': 'The API stack the release talks to (routable set), e.g. ${target}; none for a front-end-only site'}, 'active_parameter': {'type': 'string', 'pattern': '^(/[A-Za-z0-9_.-]+){1,15}$', 'description': 'SSM String parameter holding the active release id'}, 'routable_parameter': {'type': 'string', 'pattern': '^(/[A-Za-z0-9_.-]+){1,15}$', 'description': 'SSM String parameter holding the routable releases'}, 'region': {'type': 'string', 'pattern': '^[a-z]{2}(-[a-z]+)+-[0-9]$', 'description': "Region of both parameters (the edge configuration's releases.parameters.region); default: the hook's region"}, 'distribution_id': {'type': 'string', 'pattern': '^[A-Z0-9]{1,32}$', 'description': 'The CloudFront distribution to invalidate'}, 'bucket': {'type': 'string', 'pattern': '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$', 'description': "The bucket holding the releases' front ends"}, 'prefix': {'type': 'string', 'pattern': '^([A-Za-z0-9._-]+/)*[A-Za-z0-9._-]*\\{release\\}[A-Za-z0-9._-]*/([A-Za-z0-9._-]+/)*$', 'default': 'releases/{release}/', 'description': "Key prefix of a release's front end; {release} is replaced by the release id"}, 'index_document': {'type': 'string', 'pattern': '^[A-Za-z0-9._-]{1,64}$', 'default': 'index.html', 'description': 'Must exist under the prefix before the release is promoted'}, 'paths': {'type': 'array', 'items': {'type': 'string', 'pattern': '^/[\\x21-\\x7e]{0,4095}$'}, 'minItems': 1, 'maxItems': 100, 'uniqueItems': True, 'description': "Paths to invalidate ({release} is replaced); default: the release's app document, /<prefix><index_document> (the cache holds the URI as the router rewrote it)"}, 'keep': {'type': 'integer', 'minimum': 2, 'maximum': 100, 'default': 5, 'description': 'How many releases stay routable; older ones are retired (never the active or the previous release)'}, 'wait_for_invalidation': {'type': 'boolean', 'default': True, 'description': 'Return again until the invalidation is Completed'}, 'interval': {'type': 'integer', 'minimum': 1, 'maximum': 300, 'default': 10, 'description': 'Seconds between GetInvalidation polls'}}, 'required': ['release', 'active_parameter', 'routable_parameter', 'distribution_id', 'bucket'], 'additionalProperties': False}, rule='additionalProperties')
    return data

validate = validate
SCHEMA_DIGEST = 'aa4e2677bfc2a8876ce3ed9fc916a36c15ddb4a1936d4324bc09f5ff2cdffc66'
