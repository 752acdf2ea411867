"""OpenAPI schema post-processing: every operation documents the error answers it can give.

drf-spectacular documents only the success answer of each operation. Every refusal of the API has one body
(`core.api.error_body`), so this hook adds an `Error` component and, to each operation, the 4xx answers it
can really give: 400 when it takes parameters or a body, 401 (a bad or missing token), 403, 404 when it has
path parameters or pages (DRF answers 404 to a page or cursor that does not exist), 409 for writes (state
machines and optimistic locking) and 429 (throttling).
A view declares any other 4xx it gives (`@extend_schema(responses={404: OpenApiResponse(...)})`); this
hook gives it the error body.
The API fuzz test (tests/test_api_fuzz.py) holds the API to this: an undocumented status or a body that is
not the error body fails it.
"""

ERROR_SCHEMA = {
    "type": "object",
    "description": "The body of every 4xx answer.",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
            "required": ["code", "message", "fields"],
        }
    },
    "required": ["error"],
}

DESCRIPTIONS = {
    "400": "The request is invalid; `fields` names the bad fields.",
    "401": "Not signed in, or the token is invalid.",
    "403": "The signed-in user may not do this.",
    "404": "No such object (or page).",
    "409": "The object's state does not allow this, or it changed since it was read.",
    "429": "Too many requests; try again later.",
}

METHODS = ("get", "put", "post", "patch", "delete")


def add_error_responses(result, generator, request, public):
    """POSTPROCESSING_HOOKS entry: the `Error` component and each operation's error answers."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in METHODS:
                continue
            params = operation.get("parameters", [])
            codes = ["401", "403", "429"]
            if params or "requestBody" in operation:
                codes.append("400")
            if any(p.get("in") == "path" or p.get("name") in ("page", "cursor") for p in params):
                codes.append("404")
            if method != "get":
                codes.append("409")
            responses = operation.setdefault("responses", {})
            for code, response in responses.items():
                if code.startswith("4") and "content" not in response:  # declared by a view: the one body
                    response["content"] = {"application/json": {"schema": ref}}
            for code in sorted(codes):
                responses.setdefault(
                    code,
                    {"description": DESCRIPTIONS[code], "content": {"application/json": {"schema": ref}}},
                )
    return result
