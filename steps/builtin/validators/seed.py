# Generated from codedeploy_hooks.steps.builtin.seed.Seed.params_schema by `hookctl schema --write`: do not edit.
# mypy: ignore-errors
VERSION = "2.22.3"
from decimal import Decimal
import re
from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException


REGEX_PATTERNS = {
    '^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?$': re.compile('^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?\\Z'),
    '^[\\x21-\\x7e]{1,128}$': re.compile('^[\\x21-\\x7e]{1,128}\\Z'),
    '^(?!aws\\.)[\\x21-\\x7e]{1,256}$': re.compile('^(?!aws\\.)[\\x21-\\x7e]{1,256}\\Z')
}

NoneType = type(None)

def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'channel': {'enum': ['sns', 'sqs', 'eventbridge', 'lambda'], 'description': 'How to reach the upstream system: sns (publish), sqs (send a message), eventbridge (put an event) or lambda (asynchronous invoke)'}, 'payload': {'type': ['object', 'string'], 'description': "The request: an object is sent as JSON, a string as is (sns, sqs); eventbridge (the event's detail) and lambda (the event) take an object"}, 'topic_arn': {'type': 'string', 'pattern': '^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?$', 'description': 'sns: topic ARN; a .fifo topic gets a message group and deduplication id'}, 'subject': {'type': 'string', 'minLength': 1, 'maxLength': 100, 'description': 'sns: message subject'}, 'queue': {'type': 'string', 'minLength': 1, 'description': 'sqs: queue URL (https://...) or name; a .fifo queue gets a message group and deduplication id'}, 'message_attributes': {'type': 'object', 'maxProperties': 10, 'additionalProperties': {'type': ['string', 'number']}, 'description': 'sns, sqs: message attributes, name -> value (strings as String, numbers as Number)'}, 'message_group_id': {'type': 'string', 'pattern': '^[\\x21-\\x7e]{1,128}$', 'description': 'sns, sqs (FIFO only): message group; default: the service id'}, 'deduplication_id': {'type': 'string', 'pattern': '^[\\x21-\\x7e]{1,128}$', 'description': 'sns, sqs (FIFO only): deduplication id; default: <deployment id>-<hash of the payload>, so a re-sent request within 5 minutes is dropped by AWS'}, 'event_bus': {'type': 'string', 'minLength': 1, 'maxLength': 1600, 'description': "eventbridge: event bus name or ARN; default: the account's default bus"}, 'source': {'type': 'string', 'pattern': '^(?!aws\\.)[\\x21-\\x7e]{1,256}$', 'description': "eventbridge: the event's source (aws.* is reserved for AWS)"}, 'detail_type': {'type': 'string', 'minLength': 1, 'maxLength': 128, 'description': "eventbridge: the event's detail-type"}, 'function': {'type': 'string', 'minLength': 1, 'maxLength': 170, 'description': 'lambda: function name, ARN or name:alias, invoked asynchronously (InvocationType Event)'}}, 'required': ['channel', 'payload'], 'additionalProperties': False, 'allOf': [{'if': {'properties': {'channel': {'const': 'sns'}}, 'required': ['channel']}, 'then': {'required': ['topic_arn'], 'propertyNames': {'enum': ['channel', 'payload', 'topic_arn', 'subject', 'message_attributes', 'message_group_id', 'deduplication_id']}}}, {'if': {'properties': {'channel': {'const': 'sqs'}}, 'required': ['channel']}, 'then': {'required': ['queue'], 'propertyNames': {'enum': ['channel', 'payload', 'queue', 'message_attributes', 'message_group_id', 'deduplication_id']}}}, {'if': {'properties': {'channel': {'const': 'eventbridge'}}, 'required': ['channel']}, 'then': {'required': ['source', 'detail_type'], 'propertyNames': {'enum': ['channel', 'payload', 'event_bus', 'source', 'detail_type']}, 'properties': {'payload': {'type': 'object'}}}}, {'if': {'properties': {'channel': {'const': 'lambda'}}, 'required': ['channel']}, 'then': {'required': ['function'], 'propertyNames': {'enum': ['channel', 'payload', 'function']}, 'properties': {'payload': {'type': 'object'}}}}]}, rule='type')
    try:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['channel']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'properties': {'channel': {'const': 'sns'}}, 'required': ['channel']}, rule='required')
            data_keys = set(data.keys())
            if "channel" in data_keys:
                data_keys.remove("channel")
                data__channel = data["channel"]
                if not (isinstance(data__channel, str) and data__channel == 'sns'):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".channel must be same as const definition: sns", value=data__channel, name="" + (name_prefix or "data") + ".channel", definition={'const': 'sns'}, rule='const')
    except (JsonSchemaValueException, JsonSchemaValuesException):
        pass
    else:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['topic_arn']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'required': ['topic_arn'], 'propertyNames': {'enum': ['channel', 'payload', 'topic_arn', 'subject', 'message_attributes', 'message_group_id', 'deduplication_id']}}, rule='required')
            data_len = len(data)
            if data_len != 0:
                data_property_names = True
                for data_key in data:
                    try:
                        if not (isinstance(data_key, str) and data_key == 'channel' or isinstance(data_key, str) and data_key == 'payload' or isinstance(data_key, str) and data_key == 'topic_arn' or isinstance(data_key, str) and data_key == 'subject' or isinstance(data_key, str) and data_key == 'message_attributes' or isinstance(data_key, str) and data_key == 'message_group_id' or isinstance(data_key, str) and data_key == 'deduplication_id'):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + " must be one of ['channel', 'payload', 'topic_arn', 'subject', 'message_attributes', 'message_group_id', 'deduplication_id']", value=data_key, name="" + (name_prefix or "data") + "", definition={'enum': ['channel', 'payload', 'topic_arn', 'subject', 'message_attributes', 'message_group_id', 'deduplication_id']}, rule='enum')
                    except (JsonSchemaValueException, JsonSchemaValuesException):
                        data_property_names = False
                if not data_property_names:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + " must be named by propertyName definition", value=data, name="" + (name_prefix or "data") + "", definition={'required': ['topic_arn'], 'propertyNames': {'enum': ['channel', 'payload', 'topic_arn', 'subject', 'message_attributes', 'message_group_id', 'deduplication_id']}}, rule='propertyNames')
    try:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['channel']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'properties': {'channel': {'const': 'sqs'}}, 'required': ['channel']}, rule='required')
            data_keys = set(data.keys())
            if "channel" in data_keys:
                data_keys.remove("channel")
                data__channel = data["channel"]
                if not (isinstance(data__channel, str) and data__channel == 'sqs'):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".channel must be same as const definition: sqs", value=data__channel, name="" + (name_prefix or "data") + ".channel", definition={'const': 'sqs'}, rule='const')
    except (JsonSchemaValueException, JsonSchemaValuesException):
        pass
    else:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['queue']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'required': ['queue'], 'propertyNames': {'enum': ['channel', 'payload', 'queue', 'message_attributes', 'message_group_id', 'deduplication_id']}}, rule='required')
            data_len = len(data)
            if data_len != 0:
                data_property_names = True
                for data_key in data:
                    try:
                        if not (isinstance(data_key, str) and data_key == 'channel' or isinstance(data_key, str) and data_key == 'payload' or isinstance(data_key, str) and data_key == 'queue' or isinstance(data_key, str) and data_key == 'message_attributes' or isinstance(data_key, str) and data_key == 'message_group_id' or isinstance(data_key, str) and data_key == 'deduplication_id'):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + " must be one of ['channel', 'payload', 'queue', 'message_attributes', 'message_group_id', 'deduplication_id']", value=data_key, name="" + (name_prefix or "data") + "", definition={'enum': ['channel', 'payload', 'queue', 'message_attributes', 'message_group_id', 'deduplication_id']}, rule='enum')
                    except (JsonSchemaValueException, JsonSchemaValuesException):
                        data_property_names = False
                if not data_property_names:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + " must be named by propertyName definition", value=data, name="" + (name_prefix or "data") + "", definition={'required': ['queue'], 'propertyNames': {'enum': ['channel', 'payload', 'queue', 'message_attributes', 'message_group_id', 'deduplication_id']}}, rule='propertyNames')
    try:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['channel']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'properties': {'channel': {'const': 'eventbridge'}}, 'required': ['channel']}, rule='required')
            data_keys = set(data.keys())
            if "channel" in data_keys:
                data_keys.remove("channel")
                data__channel = data["channel"]
                if not (isinstance(data__channel, str) and data__channel == 'eventbridge'):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".channel must be same as const definition: eventbridge", value=data__channel, name="" + (name_prefix or "data") + ".channel", definition={'const': 'eventbridge'}, rule='const')
    except (JsonSchemaValueException, JsonSchemaValuesException):
        pass
    else:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['source', 'detail_type']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'required': ['source', 'detail_type'], 'propertyNames': {'enum': ['channel', 'payload', 'event_bus', 'source', 'detail_type']}, 'properties': {'payload': {'type': 'object'}}}, rule='required')
            data_keys = set(data.keys())
            if "payload" in data_keys:
                data_keys.remove("payload")
                data__payload = data["payload"]
                if not isinstance(data__payload, (dict)):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".payload must be object", value=data__payload, name="" + (name_prefix or "data") + ".payload", definition={'type': 'object'}, rule='type')
            data_len = len(data)
            if data_len != 0:
                data_property_names = True
                for data_key in data:
                    try:
                        if not (isinstance(data_key, str) and data_key == 'channel' or isinstance(data_key, str) and data_key == 'payload' or isinstance(data_key, str) and data_key == 'event_bus' or isinstance(data_key, str) and data_key == 'source' or isinstance(data_key, str) and data_key == 'detail_type'):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + " must be one of ['channel', 'payload', 'event_bus', 'source', 'detail_type']", value=data_key, name="" + (name_prefix or "data") + "", definition={'enum': ['channel', 'payload', 'event_bus', 'source', 'detail_type']}, rule='enum')
                    except (JsonSchemaValueException, JsonSchemaValuesException):
                        data_property_names = False
                if not data_property_names:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + " must be named by propertyName definition", value=data, name="" + (name_prefix or "data") + "", definition={'required': ['source', 'detail_type'], 'propertyNames': {'enum': ['channel', 'payload', 'event_bus', 'source', 'detail_type']}, 'properties': {'payload': {'type': 'object'}}}, rule='propertyNames')
    try:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['channel']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'properties': {'channel': {'const': 'lambda'}}, 'required': ['channel']}, rule='required')
            data_keys = set(data.keys())
            if "channel" in data_keys:
                data_keys.remove("channel")
                data__channel = data["channel"]
                if not (isinstance(data__channel, str) and data__channel == 'lambda'):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".channel must be same as const definition: lambda", value=data__channel, name="" + (name_prefix or "data") + ".channel", definition={'const': 'lambda'}, rule='const')
    except (JsonSchemaValueException, JsonSchemaValuesException):
        pass
    else:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['function']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'required': ['function'], 'propertyNames': {'enum': ['channel', 'payload', 'function']}, 'properties': {'payload': {'type': 'object'}}}, rule='required')
            data_keys = set(data.keys())
            if "payload" in data_keys:
                data_keys.remove("payload")
                data__payload = data["payload"]
                if not isinstance(data__payload, (dict)):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".payload must be object", value=data__payload, name="" + (name_prefix or "data") + ".payload", definition={'type': 'object'}, rule='type')
            data_len = len(data)
            if data_len != 0:
                data_property_names = True
                for data_key in data:
                    try:
                        if not (isinstance(data_key, str) and data_key == 'channel' or isinstance(data_key, str) and data_key == 'payload' or isinstance(data_key, str) and data_key == 'function'):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + " must be one of ['channel', 'payload', 'function']", value=data_key, name="" + (name_prefix or "data") + "", definition={'enum': ['channel', 'payload', 'function']}, rule='enum')
                    except (JsonSchemaValueException, JsonSchemaValuesException):
                        data_property_names = False
                if not data_property_names:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + " must be named by propertyName definition", value=data, name="" + (name_prefix or "data") + "", definition={'required': ['function'], 'propertyNames': {'enum': ['channel', 'payload', 'function']}, 'properties': {'payload': {'type': 'object'}}}, rule='propertyNames')
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['channel', 'payload']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'channel': {'enum': ['sns', 'sqs', 'eventbridge', 'lambda'], 'description': 'How to reach the upstream system: sns (publish), sqs (send a message), eventbridge (put an event) or lambda (asynchronous invoke)'}, 'payload': {'type': ['object', 'string'], 'description': "The request: an object is sent as JSON, a string as is (sns, sqs); eventbridge (the event's detail) and lambda (the event) take an object"}, 'topic_arn': {'type': 'string', 'pattern': '^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?$', 'description': 'sns: topic ARN; a .fifo topic gets a message group and deduplication id'}, 'subject': {'type': 'string', 'minLength': 1, 'maxLength': 100, 'description': 'sns: message subject'}, 'queue': {'type': 'string', 'minLength': 1, 'description': 'sqs: queue URL (https://...) or name; a .fifo queue gets a message group and deduplication id'}, 'message_attributes': {'type': 'object', 'maxProperties': 10, 'additionalProperties': {'type': ['string', 'number']}, 'description': 'sns, sqs: message attributes, name -> value (strings as String, numbers as Number)'}, 'message_group_id': {'type': 'string', 'pattern': '^[\\x21-\\x7e]{1,128}$', 'description': 'sns, sqs (FIFO only): message group; default: the service id'}, 'deduplication_id': {'type': 'string', 'pattern': '^[\\x21-\\x7e]{1,128}$', 'description': 'sns, sqs (FIFO only): deduplication id; default: <deployment id>-<hash of the payload>, so a re-sent request within 5 minutes is dropped by AWS'}, 'event_bus': {'type': 'string', 'minLength': 1, 'maxLength': 1600, 'description': "eventbridge: event bus name or ARN; default: the account's default bus"}, 'source': {'type': 'string', 'pattern': '^(?!aws\\.)[\\x21-\\x7e]{1,256}$', 'description': "eventbridge: the event's source (aws.* is reserved for AWS)"}, 'detail_type': {'type': 'string', 'minLength': 1, 'maxLength': 128, 'description': "eventbridge: the event's detail-type"}, 'function': {'type': 'string', 'minLength': 1, 'maxLength': 170, 'description': 'lambda: function name, ARN or name:alias, invoked asynchronously (InvocationType Event)'}}, 'required': ['channel', 'payload'], 'additionalProperties': False, 'allOf': [{'if': {'properties': {'channel': {'const': 'sns'}}, 'required': ['channel']}, 'then': {'required': ['topic_arn'], 'propertyNames': {'enum': ['channel', 'payload', 'topic_arn', 'subject', 'message_attributes', 'message_group_id', 'deduplication_id']}}}, {'if': {'properties': {'channel': {'const': 'sqs'}}, 'required': ['channel']}, 'then': {'required': ['queue'], 'propertyNames': {'enum': ['channel', 'payload', 'queue', 'message_attributes', 'message_group_id', 'deduplication_id']}}}, {'if': {'properties': {'channel': {'const': 'eventbridge'}}, 'required': ['channel']}, 'then': {'required': ['source', 'detail_type'], 'propertyNames': {'enum': ['channel', 'payload', 'event_bus', 'source', 'detail_type']}, 'properties': {'payload': {'type': 'object'}}}}, {'if': {'properties': {'channel': {'const': 'lambda'}}, 'required': ['channel']}, 'then': {'required': ['function'], 'propertyNames': {'enum': ['channel', 'payload', 'function']}, 'properties': {'payload': {'type': 'object'}}}}]}, rule='required')
        data_keys = set(data.keys())
        if "channel" in data_keys:
            data_keys.remove("channel")
            data__channel = data["channel"]
            if not (isinstance(data__channel, str) and data__channel == 'sns' or isinstance(data__channel, str) and data__channel == 'sqs' or isinstance(data__channel, str) and data__channel == 'eventbridge' or isinstance(data__channel, str) and data__channel == 'lambda'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".channel must be one of ['sns', 'sqs', 'eventbridge', 'lambda']", value=data__channel, name="" + (name_prefix or "data") + ".channel", definition={'enum': ['sns', 'sqs', 'eventbridge', 'lambda'], 'description': 'How to reach the upstream system: sns (publish), sqs (send a message), eventbridge (put an event) or lambda (asynchronous invoke)'}, rule='enum')
        if "payload" in data_keys:
            data_keys.remove("payload")
            data__payload = data["payload"]
            if not isinstance(data__payload, (dict, str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".payload must be object or string", value=data__payload, name="" + (name_prefix or "data") + ".payload", definition={'type': ['object', 'string'], 'description': "The request: an object is sent as JSON, a string as is (sns, sqs); eventbridge (the event's detail) and lambda (the event) take an object"}, rule='type')
        if "topic_arn" in data_keys:
            data_keys.remove("topic_arn")
            data__topicarn = data["topic_arn"]
            if not isinstance(data__topicarn, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".topic_arn must be string", value=data__topicarn, name="" + (name_prefix or "data") + ".topic_arn", definition={'type': 'string', 'pattern': '^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?$', 'description': 'sns: topic ARN; a .fifo topic gets a message group and deduplication id'}, rule='type')
            if isinstance(data__topicarn, str):
                if not REGEX_PATTERNS['^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?$'].search(data__topicarn):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".topic_arn must match pattern ^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?$", value=data__topicarn, name="" + (name_prefix or "data") + ".topic_arn", definition={'type': 'string', 'pattern': '^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?$', 'description': 'sns: topic ARN; a .fifo topic gets a message group and deduplication id'}, rule='pattern')
        if "subject" in data_keys:
            data_keys.remove("subject")
            data__subject = data["subject"]
            if not isinstance(data__subject, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".subject must be string", value=data__subject, name="" + (name_prefix or "data") + ".subject", definition={'type': 'string', 'minLength': 1, 'maxLength': 100, 'description': 'sns: message subject'}, rule='type')
            if isinstance(data__subject, str):
                data__subject_len = len(data__subject)
                if data__subject_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".subject must be longer than or equal to 1 characters", value=data__subject, name="" + (name_prefix or "data") + ".subject", definition={'type': 'string', 'minLength': 1, 'maxLength': 100, 'description': 'sns: message subject'}, rule='minLength')
                if data__subject_len > 100:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".subject must be shorter than or equal to 100 characters", value=data__subject, name="" + (name_prefix or "data") + ".subject", definition={'type': 'string', 'minLength': 1, 'maxLength': 100, 'description': 'sns: message subject'}, rule='maxLength')
        if "queue" in data_keys:
            data_keys.remove("queue")
            data__queue = data["queue"]
            if not isinstance(data__queue, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".queue must be string", value=data__queue, name="" + (name_prefix or "data") + ".queue", definition={'type': 'string', 'minLength': 1, 'description': 'sqs: queue URL (https://...) or name; a .fifo queue gets a message group and deduplication id'}, rule='type')
            if isinstance(data__queue, str):
                data__queue_len = len(data__queue)
                if data__queue_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".queue must be longer than or equal to 1 characters", value=data__queue, name="" + (name_prefix or "data") + ".queue", definition={'type': 'string', 'minLength': 1, 'description': 'sqs: queue URL (https://...) or name; a .fifo queue gets a message group and deduplication id'}, rule='minLength')
        if "message_attributes" in data_keys:
            data_keys.remove("message_attributes")
            data__messageattributes = data["message_attributes"]
            if not isinstance(data__messageattributes, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".message_attributes must be object", value=data__messageattributes, name="" + (name_prefix or "data") + ".message_attributes", definition={'type': 'object', 'maxProperties': 10, 'additionalProperties': {'type': ['string', 'number']}, 'description': 'sns, sqs: message attributes, name -> value (strings as String, numbers as Number)'}, rule='type')
            data__messageattributes_is_dict = isinstance(data__messageattributes, dict)
            if data__messageattributes_is_dict:
                data__messageattributes_len = len(data__messageattributes)
                if data__messageattributes_len > 10:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".message_attributes must contain less than or equal to 10 properties", value=data__messageattributes, name="" + (name_prefix or "data") + ".message_attributes", definition={'type': 'object', 'maxProperties': 10, 'additionalProperties': {'type': ['string', 'number']}, 'description': 'sns, sqs: message attributes, name -> value (strings as String, numbers as Number)'}, rule='maxProperties')
                data__messageattributes_keys = set(data__messageattributes.keys())
                for data__messageattributes_key in data__messageattributes_keys:
                    if data__messageattributes_key not in []:
                        data__messageattributes_value = data__messageattributes.get(data__messageattributes_key)
                        if not isinstance(data__messageattributes_value, (str, int, float, Decimal)) or isinstance(data__messageattributes_value, bool):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".message_attributes.{data__messageattributes_key}".format(**locals()) + " must be string or number", value=data__messageattributes_value, name="" + (name_prefix or "data") + ".message_attributes.{data__messageattributes_key}".format(**locals()) + "", definition={'type': ['string', 'number']}, rule='type')
        if "message_group_id" in data_keys:
            data_keys.remove("message_group_id")
            data__messagegroupid = data["message_group_id"]
            if not isinstance(data__messagegroupid, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".message_group_id must be string", value=data__messagegroupid, name="" + (name_prefix or "data") + ".message_group_id", definition={'type': 'string', 'pattern': '^[\\x21-\\x7e]{1,128}$', 'description': 'sns, sqs (FIFO only): message group; default: the service id'}, rule='type')
            if isinstance(data__messagegroupid, str):
                if not REGEX_PATTERNS['^[\\x21-\\x7e]{1,128}$'].search(data__messagegroupid):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".message_group_id must match pattern ^[\\x21-\\x7e]{1,128}$", value=data__messagegroupid, name="" + (name_prefix or "data") + ".message_group_id", definition={'type': 'string', 'pattern': '^[\\x21-\\x7e]{1,128}$', 'description': 'sns, sqs (FIFO only): message group; default: the service id'}, rule='pattern')
        if "deduplication_id" in data_keys:
            data_keys.remove("deduplication_id")
            data__deduplicationid = data["deduplication_id"]
            if not isinstance(data__deduplicationid, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".deduplication_id must be string", value=data__deduplicationid, name="" + (name_prefix or "data") + ".deduplication_id", definition={'type': 'string', 'pattern': '^[\\x21-\\x7e]{1,128}$', 'description': 'sns, sqs (FIFO only): deduplication id; default: <deployment id>-<hash of the payload>, so a re-sent request within 5 minutes is dropped by AWS'}, rule='type')
            if isinstance(data__deduplicationid, str):
                if not REGEX_PATTERNS['^[\\x21-\\x7e]{1,128}$'].search(data__deduplicationid):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".deduplication_id must match pattern ^[\\x21-\\x7e]{1,128}$", value=data__deduplicationid, name="" + (name_prefix or "data") + ".deduplication_id", definition={'type': 'string', 'pattern': '^[\\x21-\\x7e]{1,128}$', 'description': 'sns, sqs (FIFO only): deduplication id; default: <deployment id>-<hash of the payload>, so a re-sent request within 5 minutes is dropped by AWS'}, rule='pattern')
        if "event_bus" in data_keys:
            data_keys.remove("event_bus")
            data__eventbus = data["event_bus"]
            if not isinstance(data__eventbus, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".event_bus must be string", value=data__eventbus, name="" + (name_prefix or "data") + ".event_bus", definition={'type': 'string', 'minLength': 1, 'maxLength': 1600, 'description': "eventbridge: event bus name or ARN; default: the account's default bus"}, rule='type')
            if isinstance(data__eventbus, str):
                data__eventbus_len = len(data__eventbus)
                if data__eventbus_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".event_bus must be longer than or equal to 1 characters", value=data__eventbus, name="" + (name_prefix or "data") + ".event_bus", definition={'type': 'string', 'minLength': 1, 'maxLength': 1600, 'description': "eventbridge: event bus name or ARN; default: the account's default bus"}, rule='minLength')
                if data__eventbus_len > 1600:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".event_bus must be shorter than or equal to 1600 characters", value=data__eventbus, name="" + (name_prefix or "data") + ".event_bus", definition={'type': 'string', 'minLength': 1, 'maxLength': 1600, 'description': "eventbridge: event bus name or ARN; default: the account's default bus"}, rule='maxLength')
        if "source" in data_keys:
            data_keys.remove("source")
            data__source = data["source"]
            if not isinstance(data__source, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".source must be string", value=data__source, name="" + (name_prefix or "data") + ".source", definition={'type': 'string', 'pattern': '^(?!aws\\.)[\\x21-\\x7e]{1,256}$', 'description': "eventbridge: the event's source (aws.* is reserved for AWS)"}, rule='type')
            if isinstance(data__source, str):
                if not REGEX_PATTERNS['^(?!aws\\.)[\\x21-\\x7e]{1,256}$'].search(data__source):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".source must match pattern ^(?!aws\\.)[\\x21-\\x7e]{1,256}$", value=data__source, name="" + (name_prefix or "data") + ".source", definition={'type': 'string', 'pattern': '^(?!aws\\.)[\\x21-\\x7e]{1,256}$', 'description': "eventbridge: the event's source (aws.* is reserved for AWS)"}, rule='pattern')
        if "detail_type" in data_keys:
            data_keys.remove("detail_type")
            data__detailtype = data["detail_type"]
            if not isinstance(data__detailtype, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".detail_type must be string", value=data__detailtype, name="" + (name_prefix or "data") + ".detail_type", definition={'type': 'string', 'minLength': 1, 'maxLength': 128, 'description': "eventbridge: the event's detail-type"}, rule='type')
            if isinstance(data__detailtype, str):
                data__detailtype_len = len(data__detailtype)
                if data__detailtype_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".detail_type must be longer than or equal to 1 characters", value=data__detailtype, name="" + (name_prefix or "data") + ".detail_type", definition={'type': 'string', 'minLength': 1, 'maxLength': 128, 'description': "eventbridge: the event's detail-type"}, rule='minLength')
                if data__detailtype_len > 128:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".detail_type must be shorter than or equal to 128 characters", value=data__detailtype, name="" + (name_prefix or "data") + ".detail_type", definition={'type': 'string', 'minLength': 1, 'maxLength': 128, 'description': "eventbridge: the event's detail-type"}, rule='maxLength')
        if "function" in data_keys:
            data_keys.remove("function")
            data__function = data["function"]
            if not isinstance(data__function, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".function must be string", value=data__function, name="" + (name_prefix or "data") + ".function", definition={'type': 'string', 'minLength': 1, 'maxLength': 170, 'description': 'lambda: function name, ARN or name:alias, invoked asynchronously (InvocationType Event)'}, rule='type')
            if isinstance(data__function, str):
                data__function_len = len(data__function)
                if data__function_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".function must be longer than or equal to 1 characters", value=data__function, name="" + (name_prefix or "data") + ".function", definition={'type': 'string', 'minLength': 1, 'maxLength': 170, 'description': 'lambda: function name, ARN or name:alias, invoked asynchronously (InvocationType Event)'}, rule='minLength')
                if data__function_len > 170:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".function must be shorter than or equal to 170 characters", value=data__function, name="" + (name_prefix or "data") + ".function", definition={'type': 'string', 'minLength': 1, 'maxLength': 170, 'description': 'lambda: function name, ARN or name:alias, invoked asynchronously (InvocationType Event)'}, rule='maxLength')
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'channel': {'enum': ['sns', 'sqs', 'eventbridge', 'lambda'], 'description': 'How to reach the upstream system: sns (publish), sqs (send a message), eventbridge (put an event) or lambda (asynchronous invoke)'}, 'payload': {'type': ['object', 'string'], 'description': "The request: an object is sent as JSON, a string as is (sns, sqs); eventbridge (the event's detail) and lambda (the event) take an object"}, 'topic_arn': {'type': 'string', 'pattern': '^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?$', 'description': 'sns: topic ARN; a .fifo topic gets a message group and deduplication id'}, 'subject': {'type': 'string', 'minLength': 1, 'maxLength': 100, 'description': 'sns: message subject'}, 'queue': {'type': 'string', 'minLength': 1, 'description': 'sqs: queue URL (https://...) or name; a .fifo queue gets a message group and deduplication id'}, 'message_attributes': {'type': 'object', 'maxProperties': 10, 'additionalProperties': {'type': ['string', 'number']}, 'description': 'sns, sqs: message attributes, name -> value (strings as String, numbers as Number)'}, 'message_group_id': {'type': 'string', 'pattern': '^[\\x21-\\x7e]{1,128}$', 'description': 'sns, sqs (FIFO only): message group; default: the service id'}, 'deduplication_id': {'type': 'string', 'pattern': '^[\\x21-\\x7e]{1,128}$', 'description': 'sns, sqs (FIFO only): deduplication id; default: <deployment id>-<hash of the payload>, so a re-sent request within 5 minutes is dropped by AWS'}, 'event_bus': {'type': 'string', 'minLength': 1, 'maxLength': 1600, 'description': "eventbridge: event bus name or ARN; default: the account's default bus"}, 'source': {'type': 'string', 'pattern': '^(?!aws\\.)[\\x21-\\x7e]{1,256}$', 'description': "eventbridge: the event's source (aws.* is reserved for AWS)"}, 'detail_type': {'type': 'string', 'minLength': 1, 'maxLength': 128, 'description': "eventbridge: the event's detail-type"}, 'function': {'type': 'string', 'minLength': 1, 'maxLength': 170, 'description': 'lambda: function name, ARN or name:alias, invoked asynchronously (InvocationType Event)'}}, 'required': ['channel', 'payload'], 'additionalProperties': False, 'allOf': [{'if': {'properties': {'channel': {'const': 'sns'}}, 'required': ['channel']}, 'then': {'required': ['topic_arn'], 'propertyNames': {'enum': ['channel', 'payload', 'topic_arn', 'subject', 'message_attributes', 'message_group_id', 'deduplication_id']}}}, {'if': {'properties': {'channel': {'const': 'sqs'}}, 'required': ['channel']}, 'then': {'required': ['queue'], 'propertyNames': {'enum': ['channel', 'payload', 'queue', 'message_attributes', 'message_group_id', 'deduplication_id']}}}, {'if': {'properties': {'channel': {'const': 'eventbridge'}}, 'required': ['channel']}, 'then': {'required': ['source', 'detail_type'], 'propertyNames': {'enum': ['channel', 'payload', 'event_bus', 'source', 'detail_type']}, 'properties': {'payload': {'type': 'object'}}}}, {'if': {'properties': {'channel': {'const': 'lambda'}}, 'required': ['channel']}, 'then': {'required': ['function'], 'propertyNames': {'enum': ['channel', 'payload', 'function']}, 'properties': {'payload': {'type': 'object'}}}}]}, rule='additionalProperties')
    return data

validate = validate
SCHEMA_DIGEST = 'b2508e671d8b593e3eb5f420e33a5716e4e1229a7efb7dcb792006b19920e297'
