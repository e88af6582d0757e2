"""The API's schema and browsable docs: behind the login page for a person, by token for a
partner system."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView


def login_page_for_people(view):
    """A visitor who is not logged in and sends no API credentials is a person in a browser:
    send them to the login page and back (next=), not to a bare JSON 401. A request with an
    Authorization header goes on to the API's own authentication."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated and "HTTP_AUTHORIZATION" not in request.META:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


schema_view = login_page_for_people(SpectacularAPIView.as_view())
docs_view = login_page_for_people(SpectacularSwaggerSplitView.as_view(
    url_name="schema", template_name="api_docs.html"))
