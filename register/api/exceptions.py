"""The API's exception handler: DRF's, plus a last defence for values the database refuses."""

import logging

from django.db import DataError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback

logger = logging.getLogger(__name__)


def api_exception_handler(exc, context):
    """A value the database cannot hold (a NUL, a number out of range) is the caller's error,
    not the register's: a 400 with a clear message. The edge checks (the middleware and the
    JSON parser) should catch these first; reaching here is logged so the gap gets closed.
    The message never repeats the value."""
    if isinstance(exc, DataError):
        view = context.get("view")
        logger.warning("API request refused by the database in %s",
                       type(view).__name__ if view is not None else "unknown view")
        set_rollback()
        return Response({"detail": _("The request holds a value the register cannot store.")},
                        status=status.HTTP_400_BAD_REQUEST)
    return exception_handler(exc, context)
