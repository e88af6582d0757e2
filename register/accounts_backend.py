"""Who is signed in, read once per request with what every page needs of them."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class AccountBackend(ModelBackend):
    """Django's model backend, reading the user's organisation in the same query as the user:
    every audited page names the organisation in its event, which cost one query more on
    every page (issue 21)."""

    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = model._default_manager.select_related("organisation").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
