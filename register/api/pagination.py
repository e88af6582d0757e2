from rest_framework.pagination import PageNumberPagination

from register.ui import PAGE_SIZES


class RegisterPagination(PageNumberPagination):
    """Pages of 50; a partner system may ask for up to the largest page the pages offer."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = max(PAGE_SIZES)
