"""The API's JSON parser: a body is bounded in size and nesting before it is decoded, and a
string that cannot be stored (NUL) is refused with a 400 instead of a database error."""

import json

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser


class BodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "body_too_large"


def depth_and_nul(value) -> tuple[int, bool]:
    """How deep the decoded body nests, and whether a key or string holds NUL. Walked without
    recursion, so the walk itself cannot overflow the stack."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return deepest, True
        elif isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if isinstance(item, dict):
                pending.extend((key, depth) for key in item)
                item = item.values()
            pending.extend((child, depth + 1) for child in item)
    return deepest, False


class BoundedJSONParser(JSONParser):
    """JSON with limits: at most API_JSON_MAX_BYTES, nested at most API_JSON_MAX_DEPTH deep.

    Python's decoder recurses per level: a body nested thousands deep ends in a RecursionError,
    which DRF's own parser lets through as a 500; here it is a 400 like any too deep body.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.API_JSON_MAX_BYTES
        body = stream.read(limit + 1) if stream is not None else b""
        if len(body) > limit:
            raise BodyTooLarge(_("The request body is larger than %(limit)d bytes.")
                               % {"limit": limit})
        try:
            data = json.loads(body.decode(self._encoding(parser_context)),
                              parse_constant=_refuse_constant)
        except RecursionError:
            data = _TOO_DEEP
        except ValueError:
            # The decoder's message can quote the body; say only what is wrong.
            raise ParseError(_("The request body is not valid JSON.")) from None
        max_depth = settings.API_JSON_MAX_DEPTH
        depth, nul = (max_depth + 1, False) if data is _TOO_DEEP else depth_and_nul(data)
        if depth > max_depth:
            raise ParseError(_("The JSON is nested more than %(depth)d levels deep.")
                             % {"depth": max_depth})
        if nul:
            raise ParseError(_("A text value contains a NUL character, which cannot be "
                               "stored."))
        return data

    @staticmethod
    def _encoding(parser_context) -> str:
        return (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)


_TOO_DEEP = object()


def _refuse_constant(name):
    """NaN and Infinity are not JSON (as DRF's strict mode has it)."""
    raise ValueError(f"{name} is not a JSON value")
