"""Answers the storefront's REST routes (API Gateway's Lambda proxy integration): what was
asked, by whom, and the order it names. Every answer allows any origin, as the API's CORS
preflight does."""

import json


def handler(event, context):
    claims = ((event.get("requestContext") or {}).get("authorizer") or {}).get("claims") or {}
    body = event.get("body")
    answer = {
        "route": event.get("resource"),
        "method": event.get("httpMethod"),
        "path": event.get("path"),
        "order": (event.get("pathParameters") or {}).get("id"),
        "query": event.get("queryStringParameters") or {},
        "received": json.loads(body) if body else None,
        "caller": claims.get("email") or claims.get("cognito:username"),
    }
    return {
        "statusCode": 201 if event.get("httpMethod") == "POST" else 200,
        "headers": {
            "Content-Type": "application/json",
            "Access-Control-Allow-Origin": "*",
        },
        "body": json.dumps(answer),
    }
