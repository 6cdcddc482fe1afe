# Generated from codedeploy_hooks.steps.builtin.toggle_sns_subscription.ToggleSnsSubscription.params_schema by `hookctl schema --write`: do not edit.
# mypy: ignore-errors
VERSION = "2.22.3"
from decimal import Decimal
import re
from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException


REGEX_PATTERNS = {
    '^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_.-]{1,256}$': re.compile('^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_.-]{1,256}\\Z'),
    '^arn:aws[a-z-]*:(sqs|lambda):[a-z0-9-]+:[0-9]{12}:.+$': re.compile('^arn:aws[a-z-]*:(sqs|lambda):[a-z0-9-]+:[0-9]{12}:.+\\Z'),
    '^arn:aws[a-z-]*:iam::': re.compile('^arn:aws[a-z-]*:iam::')
}

NoneType = type(None)

def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'topic_arn': {'type': 'string', 'pattern': '^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_.-]{1,256}$', 'description': 'ARN of the topic'}, 'protocol': {'enum': ['sqs', 'lambda'], 'description': "Endpoint kind; only taggable endpoints, since the guard reads the endpoint's tags"}, 'endpoint': {'type': 'string', 'pattern': '^arn:aws[a-z-]*:(sqs|lambda):[a-z0-9-]+:[0-9]{12}:.+$', 'description': 'ARN of the SQS queue or Lambda function (its tags guard disabling)'}, 'enabled': {'type': 'boolean', 'description': 'true: deliver to the endpoint; false: stop (guarded)'}, 'mode': {'enum': ['subscribe', 'filter'], 'default': 'subscribe', 'description': 'subscribe: Subscribe/Unsubscribe; filter: keep the subscription, block it by policy'}, 'attributes': {'type': 'object', 'description': 'subscribe mode: attributes of a new subscription; filter mode: only FilterPolicy, the policy to restore when enabling', 'properties': {'FilterPolicy': {'oneOf': [{'type': 'object'}, {'type': 'string', 'minLength': 2}], 'description': 'A JSON policy, as an object or as its JSON text'}, 'FilterPolicyScope': {'enum': ['MessageAttributes', 'MessageBody'], 'description': 'What the filter policy applies to'}, 'RawMessageDelivery': {'oneOf': [{'type': 'boolean'}, {'enum': ['true', 'false']}], 'description': "Deliver the message body without SNS's JSON envelope"}, 'RedrivePolicy': {'oneOf': [{'type': 'object'}, {'type': 'string', 'minLength': 2}], 'description': 'Dead-letter queue for undeliverable messages'}, 'SubscriptionRoleArn': {'type': 'string', 'pattern': '^arn:aws[a-z-]*:iam::', 'description': 'Role for Firehose subscriptions'}}, 'additionalProperties': False}, 'from_step': {'type': 'string', 'description': 'filter mode, enabling: an earlier step that disabled this subscription by filter; the policy it recorded is restored'}, 'wait': {'type': 'boolean', 'default': True, 'description': 'When enabling, poll until the subscription is confirmed (PendingConfirmation false)'}, 'timeout': {'type': 'number', 'minimum': 1, 'maximum': 3300, 'default': 600, 'description': 'Seconds to wait for confirmation before failing'}, 'interval': {'type': 'number', 'minimum': 1, 'maximum': 300, 'default': 10, 'description': 'Seconds between checks for confirmation'}}, 'required': ['topic_arn', 'protocol', 'endpoint', 'enabled'], 'allOf': [{'if': {'required': ['mode'], 'properties': {'mode': {'const': 'filter'}}}, 'then': {'properties': {'attributes': {'propertyNames': {'const': 'FilterPolicy'}}}}}, {'if': {'required': ['from_step']}, 'then': {'required': ['mode'], 'properties': {'mode': {'const': 'filter'}}}}], 'additionalProperties': False}, rule='type')
    try:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['mode']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'required': ['mode'], 'properties': {'mode': {'const': 'filter'}}}, rule='required')
            data_keys = set(data.keys())
            if "mode" in data_keys:
                data_keys.remove("mode")
                data__mode = data["mode"]
                if not (isinstance(data__mode, str) and data__mode == 'filter'):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".mode must be same as const definition: filter", value=data__mode, name="" + (name_prefix or "data") + ".mode", definition={'const': 'filter'}, rule='const')
    except (JsonSchemaValueException, JsonSchemaValuesException):
        pass
    else:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data_keys = set(data.keys())
            if "attributes" in data_keys:
                data_keys.remove("attributes")
                data__attributes = data["attributes"]
                data__attributes_is_dict = isinstance(data__attributes, dict)
                if data__attributes_is_dict:
                    data__attributes_len = len(data__attributes)
                    if data__attributes_len != 0:
                        data__attributes_property_names = True
                        for data__attributes_key in data__attributes:
                            try:
                                if not (isinstance(data__attributes_key, str) and data__attributes_key == 'FilterPolicy'):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".attributes must be same as const definition: FilterPolicy", value=data__attributes_key, name="" + (name_prefix or "data") + ".attributes", definition={'const': 'FilterPolicy'}, rule='const')
                            except (JsonSchemaValueException, JsonSchemaValuesException):
                                data__attributes_property_names = False
                        if not data__attributes_property_names:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".attributes must be named by propertyName definition", value=data__attributes, name="" + (name_prefix or "data") + ".attributes", definition={'propertyNames': {'const': 'FilterPolicy'}}, rule='propertyNames')
    try:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['from_step']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'required': ['from_step']}, rule='required')
    except (JsonSchemaValueException, JsonSchemaValuesException):
        pass
    else:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['mode']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'required': ['mode'], 'properties': {'mode': {'const': 'filter'}}}, rule='required')
            data_keys = set(data.keys())
            if "mode" in data_keys:
                data_keys.remove("mode")
                data__mode = data["mode"]
                if not (isinstance(data__mode, str) and data__mode == 'filter'):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".mode must be same as const definition: filter", value=data__mode, name="" + (name_prefix or "data") + ".mode", definition={'const': 'filter'}, rule='const')
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['topic_arn', 'protocol', 'endpoint', 'enabled']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'topic_arn': {'type': 'string', 'pattern': '^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_.-]{1,256}$', 'description': 'ARN of the topic'}, 'protocol': {'enum': ['sqs', 'lambda'], 'description': "Endpoint kind; only taggable endpoints, since the guard reads the endpoint's tags"}, 'endpoint': {'type': 'string', 'pattern': '^arn:aws[a-z-]*:(sqs|lambda):[a-z0-9-]+:[0-9]{12}:.+$', 'description': 'ARN of the SQS queue or Lambda function (its tags guard disabling)'}, 'enabled': {'type': 'boolean', 'description': 'true: deliver to the endpoint; false: stop (guarded)'}, 'mode': {'enum': ['subscribe', 'filter'], 'default': 'subscribe', 'description': 'subscribe: Subscribe/Unsubscribe; filter: keep the subscription, block it by policy'}, 'attributes': {'type': 'object', 'description': 'subscribe mode: attributes of a new subscription; filter mode: only FilterPolicy, the policy to restore when enabling', 'properties': {'FilterPolicy': {'oneOf': [{'type': 'object'}, {'type': 'string', 'minLength': 2}], 'description': 'A JSON policy, as an object or as its JSON text'}, 'FilterPolicyScope': {'enum': ['MessageAttributes', 'MessageBody'], 'description': 'What the filter policy applies to'}, 'RawMessageDelivery': {'oneOf': [{'type': 'boolean'}, {'enum': ['true', 'false']}], 'description': "Deliver the message body without SNS's JSON envelope"}, 'RedrivePolicy': {'oneOf': [{'type': 'object'}, {'type': 'string', 'minLength': 2}], 'description': 'Dead-letter queue for undeliverable messages'}, 'SubscriptionRoleArn': {'type': 'string', 'pattern': '^arn:aws[a-z-]*:iam::', 'description': 'Role for Firehose subscriptions'}}, 'additionalProperties': False}, 'from_step': {'type': 'string', 'description': 'filter mode, enabling: an earlier step that disabled this subscription by filter; the policy it recorded is restored'}, 'wait': {'type': 'boolean', 'default': True, 'description': 'When enabling, poll until the subscription is confirmed (PendingConfirmation false)'}, 'timeout': {'type': 'number', 'minimum': 1, 'maximum': 3300, 'default': 600, 'description': 'Seconds to wait for confirmation before failing'}, 'interval': {'type': 'number', 'minimum': 1, 'maximum': 300, 'default': 10, 'description': 'Seconds between checks for confirmation'}}, 'required': ['topic_arn', 'protocol', 'endpoint', 'enabled'], 'allOf': [{'if': {'required': ['mode'], 'properties': {'mode': {'const': 'filter'}}}, 'then': {'properties': {'attributes': {'propertyNames': {'const': 'FilterPolicy'}}}}}, {'if': {'required': ['from_step']}, 'then': {'required': ['mode'], 'properties': {'mode': {'const': 'filter'}}}}], 'additionalProperties': False}, rule='required')
        data_keys = set(data.keys())
        if "topic_arn" in data_keys:
            data_keys.remove("topic_arn")
            data__topicarn = data["topic_arn"]
            if not isinstance(data__topicarn, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".topic_arn must be string", value=data__topicarn, name="" + (name_prefix or "data") + ".topic_arn", definition={'type': 'string', 'pattern': '^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_.-]{1,256}$', 'description': 'ARN of the topic'}, rule='type')
            if isinstance(data__topicarn, str):
                if not REGEX_PATTERNS['^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_.-]{1,256}$'].search(data__topicarn):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".topic_arn must match pattern ^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_.-]{1,256}$", value=data__topicarn, name="" + (name_prefix or "data") + ".topic_arn", definition={'type': 'string', 'pattern': '^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_.-]{1,256}$', 'description': 'ARN of the topic'}, rule='pattern')
        if "protocol" in data_keys:
            data_keys.remove("protocol")
            data__protocol = data["protocol"]
            if not (isinstance(data__protocol, str) and data__protocol == 'sqs' or isinstance(data__protocol, str) and data__protocol == 'lambda'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".protocol must be one of ['sqs', 'lambda']", value=data__protocol, name="" + (name_prefix or "data") + ".protocol", definition={'enum': ['sqs', 'lambda'], 'description': "Endpoint kind; only taggable endpoints, since the guard reads the endpoint's tags"}, rule='enum')
        if "endpoint" in data_keys:
            data_keys.remove("endpoint")
            data__endpoint = data["endpoint"]
            if not isinstance(data__endpoint, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".endpoint must be string", value=data__endpoint, name="" + (name_prefix or "data") + ".endpoint", definition={'type': 'string', 'pattern': '^arn:aws[a-z-]*:(sqs|lambda):[a-z0-9-]+:[0-9]{12}:.+$', 'description': 'ARN of the SQS queue or Lambda function (its tags guard disabling)'}, rule='type')
            if isinstance(data__endpoint, str):
                if not REGEX_PATTERNS['^arn:aws[a-z-]*:(sqs|lambda):[a-z0-9-]+:[0-9]{12}:.+$'].search(data__endpoint):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".endpoint must match pattern ^arn:aws[a-z-]*:(sqs|lambda):[a-z0-9-]+:[0-9]{12}:.+$", value=data__endpoint, name="" + (name_prefix or "data") + ".endpoint", definition={'type': 'string', 'pattern': '^arn:aws[a-z-]*:(sqs|lambda):[a-z0-9-]+:[0-9]{12}:.+$', 'description': 'ARN of the SQS queue or Lambda function (its tags guard disabling)'}, rule='pattern')
        if "enabled" in data_keys:
            data_keys.remove("enabled")
            data__enabled = data["enabled"]
            if not isinstance(data__enabled, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".enabled must be boolean", value=data__enabled, name="" + (name_prefix or "data") + ".enabled", definition={'type': 'boolean', 'description': 'true: deliver to the endpoint; false: stop (guarded)'}, rule='type')
        if "mode" in data_keys:
            data_keys.remove("mode")
            data__mode = data["mode"]
            if not (isinstance(data__mode, str) and data__mode == 'subscribe' or isinstance(data__mode, str) and data__mode == 'filter'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".mode must be one of ['subscribe', 'filter']", value=data__mode, name="" + (name_prefix or "data") + ".mode", definition={'enum': ['subscribe', 'filter'], 'default': 'subscribe', 'description': 'subscribe: Subscribe/Unsubscribe; filter: keep the subscription, block it by policy'}, rule='enum')
        else: data["mode"] = 'subscribe'
        if "attributes" in data_keys:
            data_keys.remove("attributes")
            data__attributes = data["attributes"]
            if not isinstance(data__attributes, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".attributes must be object", value=data__attributes, name="" + (name_prefix or "data") + ".attributes", definition={'type': 'object', 'description': 'subscribe mode: attributes of a new subscription; filter mode: only FilterPolicy, the policy to restore when enabling', 'properties': {'FilterPolicy': {'oneOf': [{'type': 'object'}, {'type': 'string', 'minLength': 2}], 'description': 'A JSON policy, as an object or as its JSON text'}, 'FilterPolicyScope': {'enum': ['MessageAttributes', 'MessageBody'], 'description': 'What the filter policy applies to'}, 'RawMessageDelivery': {'oneOf': [{'type': 'boolean'}, {'enum': ['true', 'false']}], 'description': "Deliver the message body without SNS's JSON envelope"}, 'RedrivePolicy': {'oneOf': [{'type': 'object'}, {'type': 'string', 'minLength': 2}], 'description': 'Dead-letter queue for undeliverable messages'}, 'SubscriptionRoleArn': {'type': 'string', 'pattern': '^arn:aws[a-z-]*:iam::', 'description': 'Role for Firehose subscriptions'}}, 'additionalProperties': False}, rule='type')
            data__attributes_is_dict = isinstance(data__attributes, dict)
            if data__attributes_is_dict:
                data__attributes_keys = set(data__attributes.keys())
                if "FilterPolicy" in data__attributes_keys:
                    data__attributes_keys.remove("FilterPolicy")
                    data__attributes__FilterPolicy = data__attributes["FilterPolicy"]
                    data__attributes__FilterPolicy_one_of_count1 = 0
                    if data__attributes__FilterPolicy_one_of_count1 < 2:
                        try:
                            if not isinstance(data__attributes__FilterPolicy, (dict)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".attributes.FilterPolicy must be object", value=data__attributes__FilterPolicy, name="" + (name_prefix or "data") + ".attributes.FilterPolicy", definition={'type': 'object'}, rule='type')
                            data__attributes__FilterPolicy_one_of_count1 += 1
                        except (JsonSchemaValueException, JsonSchemaValuesException): pass
                    if data__attributes__FilterPolicy_one_of_count1 < 2:
                        try:
                            if not isinstance(data__attributes__FilterPolicy, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".attributes.FilterPolicy must be string", value=data__attributes__FilterPolicy, name="" + (name_prefix or "data") + ".attributes.FilterPolicy", definition={'type': 'string', 'minLength': 2}, rule='type')
                            if isinstance(data__attributes__FilterPolicy, str):
                                data__attributes__FilterPolicy_len = len(data__attributes__FilterPolicy)
                                if data__attributes__FilterPolicy_len < 2:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".attributes.FilterPolicy must be longer than or equal to 2 characters", value=data__attributes__FilterPolicy, name="" + (name_prefix or "data") + ".attributes.FilterPolicy", definition={'type': 'string', 'minLength': 2}, rule='minLength')
                            data__attributes__FilterPolicy_one_of_count1 += 1
                        except (JsonSchemaValueException, JsonSchemaValuesException): pass
                    if data__attributes__FilterPolicy_one_of_count1 != 1:
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".attributes.FilterPolicy must be valid exactly by one definition" + (" (" + str(data__attributes__FilterPolicy_one_of_count1) + " matches found)"), value=data__attributes__FilterPolicy, name="" + (name_prefix or "data") + ".attributes.FilterPolicy", definition={'oneOf': [{'type': 'object'}, {'type': 'string', 'minLength': 2}], 'description': 'A JSON policy, as an object or as its JSON text'}, rule='oneOf')
                if "FilterPolicyScope" in data__attributes_keys:
                    data__attributes_keys.remove("FilterPolicyScope")
                    data__attributes__FilterPolicyScope = data__attributes["FilterPolicyScope"]
                    if not (isinstance(data__attributes__FilterPolicyScope, str) and data__attributes__FilterPolicyScope == 'MessageAttributes' or isinstance(data__attributes__FilterPolicyScope, str) and data__attributes__FilterPolicyScope == 'MessageBody'):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".attributes.FilterPolicyScope must be one of ['MessageAttributes', 'MessageBody']", value=data__attributes__FilterPolicyScope, name="" + (name_prefix or "data") + ".attributes.FilterPolicyScope", definition={'enum': ['MessageAttributes', 'MessageBody'], 'description': 'What the filter policy applies to'}, rule='enum')
                if "RawMessageDelivery" in data__attributes_keys:
                    data__attributes_keys.remove("RawMessageDelivery")
                    data__attributes__RawMessageDelivery = data__attributes["RawMessageDelivery"]
                    data__attributes__RawMessageDelivery_one_of_count2 = 0
                    if data__attributes__RawMessageDelivery_one_of_count2 < 2:
                        try:
                            if not isinstance(data__attributes__RawMessageDelivery, (bool)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".attributes.RawMessageDelivery must be boolean", value=data__attributes__RawMessageDelivery, name="" + (name_prefix or "data") + ".attributes.RawMessageDelivery", definition={'type': 'boolean'}, rule='type')
                            data__attributes__RawMessageDelivery_one_of_count2 += 1
                        except (JsonSchemaValueException, JsonSchemaValuesException): pass
                    if data__attributes__RawMessageDelivery_one_of_count2 < 2:
                        try:
                            if not (isinstance(data__attributes__RawMessageDelivery, str) and data__attributes__RawMessageDelivery == 'true' or isinstance(data__attributes__RawMessageDelivery, str) and data__attributes__RawMessageDelivery == 'false'):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".attributes.RawMessageDelivery must be one of ['true', 'false']", value=data__attributes__RawMessageDelivery, name="" + (name_prefix or "data") + ".attributes.RawMessageDelivery", definition={'enum': ['true', 'false']}, rule='enum')
                            data__attributes__RawMessageDelivery_one_of_count2 += 1
                        except (JsonSchemaValueException, JsonSchemaValuesException): pass
                    if data__attributes__RawMessageDelivery_one_of_count2 != 1:
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".attributes.RawMessageDelivery must be valid exactly by one definition" + (" (" + str(data__attributes__RawMessageDelivery_one_of_count2) + " matches found)"), value=data__attributes__RawMessageDelivery, name="" + (name_prefix or "data") + ".attributes.RawMessageDelivery", definition={'oneOf': [{'type': 'boolean'}, {'enum': ['true', 'false']}], 'description': "Deliver the message body without SNS's JSON envelope"}, rule='oneOf')
                if "RedrivePolicy" in data__attributes_keys:
                    data__attributes_keys.remove("RedrivePolicy")
                    data__attributes__RedrivePolicy = data__attributes["RedrivePolicy"]
                    data__attributes__RedrivePolicy_one_of_count3 = 0
                    if data__attributes__RedrivePolicy_one_of_count3 < 2:
                        try:
                            if not isinstance(data__attributes__RedrivePolicy, (dict)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".attributes.RedrivePolicy must be object", value=data__attributes__RedrivePolicy, name="" + (name_prefix or "data") + ".attributes.RedrivePolicy", definition={'type': 'object'}, rule='type')
                            data__attributes__RedrivePolicy_one_of_count3 += 1
                        except (JsonSchemaValueException, JsonSchemaValuesException): pass
                    if data__attributes__RedrivePolicy_one_of_count3 < 2:
                        try:
                            if not isinstance(data__attributes__RedrivePolicy, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".attributes.RedrivePolicy must be string", value=data__attributes__RedrivePolicy, name="" + (name_prefix or "data") + ".attributes.RedrivePolicy", definition={'type': 'string', 'minLength': 2}, rule='type')
                            if isinstance(data__attributes__RedrivePolicy, str):
                                data__attributes__RedrivePolicy_len = len(data__attributes__RedrivePolicy)
                                if data__attributes__RedrivePolicy_len < 2:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".attributes.RedrivePolicy must be longer than or equal to 2 characters", value=data__attributes__RedrivePolicy, name="" + (name_prefix or "data") + ".attributes.RedrivePolicy", definition={'type': 'string', 'minLength': 2}, rule='minLength')
                            data__attributes__RedrivePolicy_one_of_count3 += 1
                        except (JsonSchemaValueException, JsonSchemaValuesException): pass
                    if data__attributes__RedrivePolicy_one_of_count3 != 1:
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".attributes.RedrivePolicy must be valid exactly by one definition" + (" (" + str(data__attributes__RedrivePolicy_one_of_count3) + " matches found)"), value=data__attributes__RedrivePolicy, name="" + (name_prefix or "data") + ".attributes.RedrivePolicy", definition={'oneOf': [{'type': 'object'}, {'type': 'string', 'minLength': 2}], 'description': 'Dead-letter queue for undeliverable messages'}, rule='oneOf')
                if "SubscriptionRoleArn" in data__attributes_keys:
                    data__attributes_keys.remove("SubscriptionRoleArn")
                    data__attributes__SubscriptionRoleArn = data__attributes["SubscriptionRoleArn"]
                    if not isinstance(data__attributes__SubscriptionRoleArn, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".attributes.SubscriptionRoleArn must be string", value=data__attributes__SubscriptionRoleArn, name="" + (name_prefix or "data") + ".attributes.SubscriptionRoleArn", definition={'type': 'string', 'pattern': '^arn:aws[a-z-]*:iam::', 'description': 'Role for Firehose subscriptions'}, rule='type')
                    if isinstance(data__attributes__SubscriptionRoleArn, str):
                        if not REGEX_PATTERNS['^arn:aws[a-z-]*:iam::'].search(data__attributes__SubscriptionRoleArn):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".attributes.SubscriptionRoleArn must match pattern ^arn:aws[a-z-]*:iam::", value=data__attributes__SubscriptionRoleArn, name="" + (name_prefix or "data") + ".attributes.SubscriptionRoleArn", definition={'type': 'string', 'pattern': '^arn:aws[a-z-]*:iam::', 'description': 'Role for Firehose subscriptions'}, rule='pattern')
                if data__attributes_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".attributes must not contain "+str(data__attributes_keys)+" properties", value=data__attributes, name="" + (name_prefix or "data") + ".attributes", definition={'type': 'object', 'description': 'subscribe mode: attributes of a new subscription; filter mode: only FilterPolicy, the policy to restore when enabling', 'properties': {'FilterPolicy': {'oneOf': [{'type': 'object'}, {'type': 'string', 'minLength': 2}], 'description': 'A JSON policy, as an object or as its JSON text'}, 'FilterPolicyScope': {'enum': ['MessageAttributes', 'MessageBody'], 'description': 'What the filter policy applies to'}, 'RawMessageDelivery': {'oneOf': [{'type': 'boolean'}, {'enum': ['true', 'false']}], 'description': "Deliver the message body without SNS's JSON envelope"}, 'RedrivePolicy': {'oneOf': [{'type': 'object'}, {'type': 'string', 'minLength': 2}], 'description': 'Dead-letter queue for undeliverable messages'}, 'SubscriptionRoleArn': {'type': 'string', 'pattern': '^arn:aws[a-z-]*:iam::', 'description': 'Role for Firehose subscriptions'}}, 'additionalProperties': False}, rule='additionalProperties')
        if "from_step" in data_keys:
            data_keys.remove("from_step")
            data__fromstep = data["from_step"]
            if not isinstance(data__fromstep, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".from_step must be string", value=data__fromstep, name="" + (name_prefix or "data") + ".from_step", definition={'type': 'string', 'description': 'filter mode, enabling: an earlier step that disabled this subscription by filter; the policy it recorded is restored'}, rule='type')
        if "wait" in data_keys:
            data_keys.remove("wait")
            data__wait = data["wait"]
            if not isinstance(data__wait, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".wait must be boolean", value=data__wait, name="" + (name_prefix or "data") + ".wait", definition={'type': 'boolean', 'default': True, 'description': 'When enabling, poll until the subscription is confirmed (PendingConfirmation false)'}, rule='type')
        else: data["wait"] = True
        if "timeout" in data_keys:
            data_keys.remove("timeout")
            data__timeout = data["timeout"]
            if not isinstance(data__timeout, (int, float, Decimal)) or isinstance(data__timeout, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".timeout must be number", value=data__timeout, name="" + (name_prefix or "data") + ".timeout", definition={'type': 'number', 'minimum': 1, 'maximum': 3300, 'default': 600, 'description': 'Seconds to wait for confirmation before failing'}, rule='type')
            if isinstance(data__timeout, (int, float, Decimal)) and not isinstance(data__timeout, bool):
                if data__timeout < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".timeout must be bigger than or equal to 1", value=data__timeout, name="" + (name_prefix or "data") + ".timeout", definition={'type': 'number', 'minimum': 1, 'maximum': 3300, 'default': 600, 'description': 'Seconds to wait for confirmation before failing'}, rule='minimum')
                if data__timeout > 3300:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".timeout must be smaller than or equal to 3300", value=data__timeout, name="" + (name_prefix or "data") + ".timeout", definition={'type': 'number', 'minimum': 1, 'maximum': 3300, 'default': 600, 'description': 'Seconds to wait for confirmation before failing'}, rule='maximum')
        else: data["timeout"] = 600
        if "interval" in data_keys:
            data_keys.remove("interval")
            data__interval = data["interval"]
            if not isinstance(data__interval, (int, float, Decimal)) or isinstance(data__interval, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".interval must be number", value=data__interval, name="" + (name_prefix or "data") + ".interval", definition={'type': 'number', 'minimum': 1, 'maximum': 300, 'default': 10, 'description': 'Seconds between checks for confirmation'}, rule='type')
            if isinstance(data__interval, (int, float, Decimal)) and not isinstance(data__interval, bool):
                if data__interval < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".interval must be bigger than or equal to 1", value=data__interval, name="" + (name_prefix or "data") + ".interval", definition={'type': 'number', 'minimum': 1, 'maximum': 300, 'default': 10, 'description': 'Seconds between checks for confirmation'}, rule='minimum')
                if data__interval > 300:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".interval must be smaller than or equal to 300", value=data__interval, name="" + (name_prefix or "data") + ".interval", definition={'type': 'number', 'minimum': 1, 'maximum': 300, 'default': 10, 'description': 'Seconds between checks for confirmation'}, rule='maximum')
        else: data["interval"] = 10
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'topic_arn': {'type': 'string', 'pattern': '^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_.-]{1,256}$', 'description': 'ARN of the topic'}, 'protocol': {'enum': ['sqs', 'lambda'], 'description': "Endpoint kind; only taggable endpoints, since the guard reads the endpoint's tags"}, 'endpoint': {'type': 'string', 'pattern': '^arn:aws[a-z-]*:(sqs|lambda):[a-z0-9-]+:[0-9]{12}:.+$', 'description': 'ARN of the SQS queue or Lambda function (its tags guard disabling)'}, 'enabled': {'type': 'boolean', 'description': 'true: deliver to the endpoint; false: stop (guarded)'}, 'mode': {'enum': ['subscribe', 'filter'], 'default': 'subscribe', 'description': 'subscribe: Subscribe/Unsubscribe; filter: keep the subscription, block it by policy'}, 'attributes': {'type': 'object', 'description': 'subscribe mode: attributes of a new subscription; filter mode: only FilterPolicy, the policy to restore when enabling', 'properties': {'FilterPolicy': {'oneOf': [{'type': 'object'}, {'type': 'string', 'minLength': 2}], 'description': 'A JSON policy, as an object or as its JSON text'}, 'FilterPolicyScope': {'enum': ['MessageAttributes', 'MessageBody'], 'description': 'What the filter policy applies to'}, 'RawMessageDelivery': {'oneOf': [{'type': 'boolean'}, {'enum': ['true', 'false']}], 'description': "Deliver the message body without SNS's JSON envelope"}, 'RedrivePolicy': {'oneOf': [{'type': 'object'}, {'type': 'string', 'minLength': 2}], 'description': 'Dead-letter queue for undeliverable messages'}, 'SubscriptionRoleArn': {'type': 'string', 'pattern': '^arn:aws[a-z-]*:iam::', 'description': 'Role for Firehose subscriptions'}}, 'additionalProperties': False}, 'from_step': {'type': 'string', 'description': 'filter mode, enabling: an earlier step that disabled this subscription by filter; the policy it recorded is restored'}, 'wait': {'type': 'boolean', 'default': True, 'description': 'When enabling, poll until the subscription is confirmed (PendingConfirmation false)'}, 'timeout': {'type': 'number', 'minimum': 1, 'maximum': 3300, 'default': 600, 'description': 'Seconds to wait for confirmation before failing'}, 'interval': {'type': 'number', 'minimum': 1, 'maximum': 300, 'default': 10, 'description': 'Seconds between checks for confirmation'}}, 'required': ['topic_arn', 'protocol', 'endpoint', 'enabled'], 'allOf': [{'if': {'required': ['mode'], 'properties': {'mode': {'const': 'filter'}}}, 'then': {'properties': {'attributes': {'propertyNames': {'const': 'FilterPolicy'}}}}}, {'if': {'required': ['from_step']}, 'then': {'required': ['mode'], 'properties': {'mode': {'const': 'filter'}}}}], 'additionalProperties': False}, rule='additionalProperties')
    return data

validate = validate
SCHEMA_DIGEST = '7a267ede4c6deaa913a1d9e308fc578c8709bf8a6e973bee49885c96ee37b317'
