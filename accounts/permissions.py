"""Permission policies of the accounts' models in the admin."""

from wagtail.permission_policies import ModelPermissionPolicy


class NoAddPermissionPolicy(ModelPermissionPolicy):
    """The model's permissions, but nobody creates one from the admin.

    Account profiles come with the sign-up.
    """

    def user_has_permission(self, user, action):
        if action == "add":
            return False
        return super().user_has_permission(user, action)
