"""What every operation of the API may answer besides its success, declared in the schema.

Partner systems generate clients from /api/schema/: an answer the schema does not declare
is an exception in their code. The edge answers (a control character refused, a body too
large or too deep, no or the wrong credentials, a record one may not see) can come from any
operation, so they are added to all of them here rather than repeated on every view.
"""

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": "Either `detail` with one message (the request as a whole was refused: "
                   "a control character, JSON that is invalid or nested too deep), or, per "
                   "field, a list of messages; a list of objects of fields points into a "
                   "list of objects, by position. `non_field_errors` holds what is wrong "
                   "with the whole object.",
    "properties": {
        "detail": {"type": "string"},
        "non_field_errors": {"type": "array", "items": {"type": "string"}},
    },
    "additionalProperties": {},
}
ANSWERS = {
    "400": (FIELD_ERRORS, "The request was refused; nothing was changed."),
    "401": (DETAIL, "No credentials, or credentials that are not valid."),
    "403": (DETAIL, "Not allowed for this account's role, or the session still needs its "
                    "one-time code."),
    "404": (DETAIL, "Not found, or not visible to this account."),
    "429": (DETAIL, "Too many requests; try again later."),
}
BODY_ANSWERS = {
    "413": (DETAIL, "The request body is too large."),
    "415": (DETAIL, "The request body is not JSON."),
}
WITH_BODY = {"post", "put", "patch"}


def declare_error_answers(result, generator, request, public):
    """drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]).
    An answer a view declares itself keeps its description; it gains the error body."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("ErrorDetail", DETAIL)
    schemas.setdefault("FieldErrors", FIELD_ERRORS)
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            answers = {**ANSWERS, **(BODY_ANSWERS if method in WITH_BODY else {})}
            for code, (schema, description) in answers.items():
                name = "FieldErrors" if schema is FIELD_ERRORS else "ErrorDetail"
                answer = operation["responses"].setdefault(code, {"description": description})
                answer.setdefault("content", _json(name))
            for code, answer in operation["responses"].items():
                if code.startswith("4"):  # one a view declared, such as 422, without a body
                    answer.setdefault("content", _json("FieldErrors"))
    return result


def _json(component: str) -> dict:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}}
