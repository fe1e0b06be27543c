"""Starts the MiniStack emulator (pinned 1.5.33) with ten fixes.

1. Nested-stack updates: unchanged resources reach provisioners._update_resource without
   old_attrs, so a Fn::GetAtt on them (an AppSync ApiId, a DynamoDB Arn) fails and the
   update ends UPDATE_ROLLBACK_FAILED. The top-level update path passes the attributes;
   this fills them in the same way for the nested path.
2. AppSync Lambda data sources: the data plane accepts only an object as the function's
   result, or JSON text it decodes. A list (a `listPosts` resolver) or a number or boolean
   becomes the GraphQL error "Unexpected response type", and a string (an `AWSDate`, or an
   `AWSJSON` value, which is JSON text itself) is decoded or refused ("Invalid response
   format"). Every result but an object is handed over as JSON text instead, which the
   data plane decodes back into exactly the value the function returned.

3. AppSync identity: a resolver's `identity` (the caller's `sub`, `username`, claims) is
   filled only when the user pool is the API's default auth mode, so an API with an API key
   first and the user pool as an additional provider hands its Lambdas no caller. The
   additional provider's pool is copied to where the data plane looks, before a request is
   executed (authorization still goes by the declared modes).

4. CloudFront origin fetches: S3 checks a bucket policy's `aws:SecureTransport` against the
   request being served, but without MiniStack's AUTH mode no request's transport is
   recorded, so it counts as plain HTTP and a site bucket's "deny insecure transport"
   statement refuses CloudFront's own reads. CloudFront reaches an S3 origin with the
   viewer's protocol; the viewer request's protocol is recorded before it is served.

5. AppSync DynamoDB data sources: the executor ignores a request's condition, update
   expression, filter, key condition, index, limit and nextToken (a Scan or Query returns
   every item), stores hash-only items where DynamoDB's own API does not find them, and
   mistypes booleans and maps. Requests are run through MiniStack's DynamoDB operations as
   AppSync runs them on DynamoDB's API; a failed condition reaches the response function
   as `ctx.error` of type `DynamoDB:ConditionalCheckFailedException`.

6. AppSync schemas from S3: `AWS::AppSync::GraphQLSchema` reads only an inline
   `Definition`; with `DefinitionS3Location` (Amplify's way) the API gets no schema and
   queries go to a fallback that does not validate them. The definition is read from the
   emulator's own bucket.

7. AppSync resolver code from S3: `AWS::AppSync::Resolver` reads only an inline `Code`;
   with `CodeS3Location` the resolver has no code. The code is read from the emulator's
   own bucket, as for schemas.

8. Booleans passed to a nested stack: CloudFormation hands a JSON `true` / `false` in a
   nested stack's `Parameters` to the child as "true" / "false"; MiniStack hands Python's
   "True" / "False", which fail the child's `AllowedValues: [true, false]` (the Amplify
   CLI's root stack passes `DynamoDBEnableServerSideEncryption: false` to every API).

9. `cfn-response` for inline Node.js code: Lambda gives code written in a template's
   `Code.ZipFile` the `cfn-response` module, with which a custom resource's function
   answers CloudFormation (the Amplify CLI's root stack updates the auth roles' trust
   policies that way); MiniStack's zip of the inline code lacks it, the function fails to
   load and the stack waits for an answer that never comes. `cfn_response.js`, beside
   this file, is added to the zip as `node_modules/cfn-response`.

10. Password policies from template parameters: CloudFormation converts a user pool's
    `MinimumLength` and `Require*` to the property's number and boolean types; MiniStack
    keeps what the template resolved to, so a policy written with `Ref`s to string
    parameters (the Amplify CLI's auth stack) makes every sign-up fail ("'<' not supported
    between instances of 'int' and 'str'") or ignore a "false". The policy is read with
    those types when a password is checked.

And one setting: Lambda processes inherit this process's environment, and their AWS SDKs
must call this emulator, not AWS: AWS_ENDPOINT_URL is set to it unless given.

Remove each fix once MiniStack fixes the bug. `cargo amplify local start` writes this file
next to the emulator it installs; the test suite runs it from the repository.

Usage: GATEWAY_PORT=4599 BIND_HOST=127.0.0.1 python ministack_launcher.py
"""

import json
import os
import sys

import ministack.services.cloudformation as cloudformation
import ministack.services.lambda_svc as lambda_svc
from ministack.services.cloudformation import provisioners

_update_resource = provisioners._update_resource


def _update_resource_with_attrs(resource_type, physical_id, old_props, new_props, stack_name,
                                logical_id=None, old_attrs=None):
    if old_attrs is None and logical_id is not None:
        try:
            old_attrs = cloudformation._stacks[stack_name]["_resources"][logical_id]["Attributes"]
        except (KeyError, TypeError):
            pass
    return _update_resource(resource_type, physical_id, old_props, new_props, stack_name,
                            logical_id=logical_id, old_attrs=old_attrs)


provisioners._update_resource = _update_resource_with_attrs


_execute = lambda_svc._execute_function_with_config_scope


def _execute_with_list_bodies_as_json(*args, **kwargs):
    result = _execute(*args, **kwargs)
    # Only for AppSync's Lambda resolver; Invoke and the other callers see the original.
    called_by_appsync = sys._getframe(1).f_code.co_name == "_resolve_lambda"
    if called_by_appsync and isinstance(result, dict) and not result.get("error"):
        body = result.get("body")
        if body is not None and not isinstance(body, (dict, bytes)):
            result = dict(result, body=json.dumps(body))
    return result


lambda_svc._execute_function_with_config_scope = _execute_with_list_bodies_as_json

import ministack.services.appsync as appsync  # noqa: E402

_execute_graphql = appsync._execute_graphql


def _execute_with_additional_user_pool(api_id, *args, **kwargs):
    api = appsync._apis.get(api_id)
    if isinstance(api, dict) and not api.get("userPoolConfig"):
        for extra in api.get("additionalAuthenticationProviders") or []:
            if isinstance(extra, dict) and extra.get("authenticationType") == "AMAZON_COGNITO_USER_POOLS":
                api["userPoolConfig"] = dict(extra.get("userPoolConfig") or {}, defaultAction="ALLOW")
                break
    return _execute_graphql(api_id, *args, **kwargs)


appsync._execute_graphql = _execute_with_additional_user_pool

import base64  # noqa: E402

import ministack.services.dynamodb as dynamodb  # noqa: E402

_TYPE_TAGS = {"S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"}


def _typed(value):
    """An AttributeValue: typed values pass; plain ones (MiniStack's own JS helpers emit
    them) are typed as AppSync's `util.dynamodb.toDynamoDB` would."""
    if isinstance(value, dict) and len(value) == 1 and next(iter(value)) in _TYPE_TAGS:
        return value
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, (int, float)):
        return {"N": str(value)}
    if isinstance(value, list):
        return {"L": [_typed(v) for v in value]}
    if isinstance(value, dict):
        return {"M": {k: _typed(v) for k, v in value.items()}}
    return {"S": str(value)}


def _typed_map(values):
    return {k: _typed(v) for k, v in (values or {}).items()}


def _plain(value):
    (tag, inner), = value.items()
    if tag == "N":
        try:
            return int(inner)
        except ValueError:
            return float(inner)
    if tag == "NULL":
        return None
    if tag == "M":
        return {k: _plain(v) for k, v in inner.items()}
    if tag == "L":
        return [_plain(v) for v in inner]
    if tag == "NS":
        return [_plain({"N": v}) for v in inner]
    return inner


def _plain_item(item):
    return {k: _plain(v) for k, v in item.items()} if item else None


def _expression(data, key, expression):
    if not isinstance(expression, dict) or not expression.get("expression"):
        return
    data[key] = expression["expression"]
    if expression.get("expressionNames"):
        data.setdefault("ExpressionAttributeNames", {}).update(expression["expressionNames"])
    if expression.get("expressionValues"):
        data.setdefault("ExpressionAttributeValues", {}).update(_typed_map(expression["expressionValues"]))


def _dynamodb(operation, data):
    status, _headers, body = operation(data)
    answer = json.loads(body or b"{}")
    if status >= 400:
        kind = answer.get("__type", "").rsplit("#", 1)[-1]
        raise appsync._AppSyncResolverError(answer.get("message") or answer.get("Message") or kind,
                                           "DynamoDB:" + kind)
    return answer


def _ds_dynamodb_as_appsync_runs_it(api_id, data_source, request, ctx):
    table = data_source.get("dynamodbConfig", {}).get("tableName", "")
    request = request if isinstance(request, dict) else {}
    op = request.get("operation", "GetItem")
    data = {"TableName": table}
    if request.get("key"):
        data["Key"] = _typed_map(request["key"])
    _expression(data, "ConditionExpression", request.get("condition"))
    if op == "GetItem":
        if request.get("consistentRead"):
            data["ConsistentRead"] = True
        return _plain_item(_dynamodb(dynamodb._get_item, data).get("Item"))
    if op == "PutItem":
        data["Item"] = {**_typed_map(request.get("attributeValues")), **data.pop("Key", {})}
        _dynamodb(dynamodb._put_item, data)
        return _plain_item(data["Item"])
    if op == "UpdateItem":
        _expression(data, "UpdateExpression", request.get("update"))
        data["ReturnValues"] = "ALL_NEW"
        return _plain_item(_dynamodb(dynamodb._update_item, data).get("Attributes"))
    if op == "DeleteItem":
        data["ReturnValues"] = "ALL_OLD"
        return _plain_item(_dynamodb(dynamodb._delete_item, data).get("Attributes"))
    if op in ("Scan", "Query"):
        _expression(data, "FilterExpression", request.get("filter"))
        if op == "Query":
            _expression(data, "KeyConditionExpression", request.get("query"))
        if request.get("index"):
            data["IndexName"] = request["index"]
        if request.get("limit"):
            data["Limit"] = int(request["limit"])
        if request.get("scanIndexForward") is False:
            data["ScanIndexForward"] = False
        if request.get("nextToken"):
            data["ExclusiveStartKey"] = json.loads(base64.b64decode(request["nextToken"]))
        answer = _dynamodb(dynamodb._query if op == "Query" else dynamodb._scan, data)
        last = answer.get("LastEvaluatedKey")
        return {
            "items": [_plain_item(i) for i in answer.get("Items", [])],
            "scannedCount": answer.get("ScannedCount", 0),
            "nextToken": base64.b64encode(json.dumps(last).encode()).decode() if last else None,
        }
    raise appsync._AppSyncResolverError(f"DynamoDB operation {op} is not supported", "NotImplemented")


appsync._ds_dynamodb_in_region = _ds_dynamodb_as_appsync_runs_it

import ministack.services.s3 as s3  # noqa: E402

_schema_create = provisioners._RESOURCE_HANDLERS["AWS::AppSync::GraphQLSchema"]["create"]


def _schema_create_from_s3(logical_id, props, stack_name):
    location = props.get("DefinitionS3Location")
    if not props.get("Definition") and isinstance(location, str) and location.startswith("s3://"):
        bucket, _, key = location[len("s3://"):].partition("/")
        data = s3._get_object_data(bucket, key)
        if data is not None:
            props = dict(props, Definition=data.decode())
    return _schema_create(logical_id, props, stack_name)


provisioners._RESOURCE_HANDLERS["AWS::AppSync::GraphQLSchema"]["create"] = _schema_create_from_s3

_resolver_create = provisioners._RESOURCE_HANDLERS["AWS::AppSync::Resolver"]["create"]


def _resolver_create_from_s3(logical_id, props, stack_name):
    location = props.get("CodeS3Location")
    if not props.get("Code") and isinstance(location, str) and location.startswith("s3://"):
        bucket, _, key = location[len("s3://"):].partition("/")
        data = s3._get_object_data(bucket, key)
        if data is not None:
            props = dict(props, Code=data.decode())
        props.pop("CodeS3Location", None)
    return _resolver_create(logical_id, props, stack_name)


provisioners._RESOURCE_HANDLERS["AWS::AppSync::Resolver"]["create"] = _resolver_create_from_s3

_nested_stack_deploy = provisioners._cfn_nested_stack_deploy


def _as_cloudformation_text(value):
    return str(value).lower() if isinstance(value, bool) else value


def _nested_stack_deploy_with_json_booleans(logical_id, props, parent_stack_name, **kwargs):
    parameters = props.get("Parameters")
    if isinstance(parameters, dict):
        props = dict(props, Parameters={k: _as_cloudformation_text(v) for k, v in parameters.items()})
    return _nested_stack_deploy(logical_id, props, parent_stack_name, **kwargs)


provisioners._cfn_nested_stack_deploy = _nested_stack_deploy_with_json_booleans

_zip_inline = provisioners._zip_inline
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "cfn_response.js")) as f:
    _CFN_RESPONSE_JS = f.read()


def _zip_inline_with_cfn_response(source, handler, runtime="python3.12"):
    archive = _zip_inline(source, handler, runtime)
    if archive is None or not (runtime or "").startswith("nodejs"):
        return archive
    import io
    import zipfile
    buffer = io.BytesIO(archive)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("node_modules/cfn-response/index.js", _CFN_RESPONSE_JS)
    return buffer.getvalue()


provisioners._zip_inline = _zip_inline_with_cfn_response

import ministack.services.cognito as cognito  # noqa: E402

_password_policy_errors = cognito._password_policy_errors


def _typed_policy(policy):
    typed = dict(policy)
    if isinstance(typed.get("MinimumLength"), str) and typed["MinimumLength"].isdigit():
        typed["MinimumLength"] = int(typed["MinimumLength"])
    for key, value in policy.items():
        if key.startswith("Require") and isinstance(value, str):
            typed[key] = value.strip().lower() == "true"
    return typed


def _password_policy_errors_typed(pool, password):
    policies = pool.get("Policies") or {}
    policy = policies.get("PasswordPolicy")
    if isinstance(policy, dict):
        pool = dict(pool, Policies=dict(policies, PasswordPolicy=_typed_policy(policy)))
    return _password_policy_errors(pool, password)


cognito._password_policy_errors = _password_policy_errors_typed

import ministack.services.cloudfront as cloudfront  # noqa: E402
from ministack.core import iam_evaluator  # noqa: E402

_handle_viewer_request = cloudfront.handle_viewer_request


async def _viewer_request_with_its_protocol(dist, method, path, raw_uri, raw_query_string,
                                            headers, body, query_params, client_ip="127.0.0.1"):
    proto = (headers.get("x-forwarded-proto") or "http").split(",")[0].strip().lower()
    iam_evaluator.pin_request_origin(client_ip, proto == "https")
    return await _handle_viewer_request(dist, method, path, raw_uri, raw_query_string,
                                        headers, body, query_params, client_ip=client_ip)


cloudfront.handle_viewer_request = _viewer_request_with_its_protocol

os.environ.setdefault("AWS_ENDPOINT_URL", "http://127.0.0.1:" + os.environ.get("GATEWAY_PORT", "4566"))

from ministack.app import main  # noqa: E402  (after the patches, on purpose)

sys.argv = ["ministack"]
main()
