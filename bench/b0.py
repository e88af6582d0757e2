"""B0: a bare Django view with no middleware that runs one SQL query and returns the result.

The queries are the main query of each measured page, captured from the real view by the
benchmark (bench.measure) and handed over in the file named by BENCH_B0_QUERIES. The insert
view writes one bare signal row: the baseline for filing a signal through the API.
"""

import json
import os
import uuid
from functools import cache

from django.core.wsgi import get_wsgi_application
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponseNotFound
from django.urls import path


@cache
def _queries() -> dict:
    with open(os.environ["BENCH_B0_QUERIES"]) as handle:
        return json.load(handle)


def run_query(request, name: str):
    try:
        sql, params = _queries()[name]
    except KeyError:
        raise Http404 from None
    params = [uuid.uuid4().hex[:16] if p == "{unique}" else p for p in params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params or None)
        rows = cursor.fetchall() if cursor.description else [[cursor.rowcount]]
    return HttpResponse(json.dumps(rows, default=str), content_type="application/json")


def not_found(request, exception):
    # The site's 404 page needs the site's URLs (home, language switch); the baseline has none.
    return HttpResponseNotFound()


urlpatterns = [path("b0/<str:name>/", run_query)]
handler404 = not_found
application = get_wsgi_application()
