"""Page permissions that withhold "publish" where a rule of the platform says no.

Wagtail's page permissions are inherited down the tree; some areas add a rule on
top (a team's area, the reports). Subclasses give the rule as ``may_publish``.
"""

from wagtail.models import PagePermissionTester
from wagtail.permission_policies.pages import PagePermissionPolicy


class PublishRuleTester(PagePermissionTester):
    """Drops the publish permission where ``may_publish(user, page)`` is false."""

    @staticmethod
    def may_publish(user, page):
        return True

    def __init__(self, user, page):
        super().__init__(user, page)
        if (
            user.is_active
            and not user.is_superuser
            and "publish" in self.permissions
            and not self.may_publish(user, page)
        ):
            self.permissions.discard("publish")


class PublishRulePolicy(PagePermissionPolicy):
    """The same rule for code that asks the permission policy directly."""

    @staticmethod
    def may_publish(user, page):
        return True

    def user_has_any_permission_for_instance(self, user, actions, instance):
        actions = set(actions)
        if "publish" in actions and not self.may_publish(user, instance):
            actions.discard("publish")
            if not actions:
                return False
        return super().user_has_any_permission_for_instance(user, actions, instance)
