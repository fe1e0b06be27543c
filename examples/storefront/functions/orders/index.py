"""Answers the storefront's REST routes (API Gateway's Lambda proxy integration): what was
asked, by whom, and the order it names; every answer allows any origin, as the API's CORS
preflight does. Also fulfils the chat bot's `OrderTea` intent (a Lex V2 code hook)."""

import json


def handler(event, context):
    if "sessionState" in event:
        return fulfil(event)
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


def fulfil(event):
    """Closes a confirmed `OrderTea` with a message naming the order."""
    intent = event["sessionState"]["intent"]
    slots = {
        name: ((slot or {}).get("value") or {}).get("interpretedValue")
        for name, slot in (intent.get("slots") or {}).items()
    }
    intent["state"] = "Fulfilled"
    return {
        "sessionState": {"dialogAction": {"type": "Close"}, "intent": intent},
        "messages": [
            {
                "contentType": "PlainText",
                "content": f"Ordered {slots.get('Boxes')} boxes of {slots.get('Tea')} tea.",
            }
        ],
    }
