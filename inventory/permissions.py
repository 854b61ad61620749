"""Per-entry rights, which Wagtail snippets lack out of the box.

Inventory editors (and superusers) may act on every entry. A team's facilitators
may act only on their own team's entries. The Secretariat sees every entry but
changes none. Everyone is still bound by their model permissions.
"""

from wagtail.permission_policies import ModelPermissionPolicy

from action_lines.permissions import facilitated_teams
from home.roles import INVENTORY_EDITORS, sees_every_team


def sees_everything(user, actions):
    """Whether ``actions`` by ``user`` reach every entry (inventory editors' do)."""
    return sees_every_team(user, actions, editors=INVENTORY_EDITORS)


class TeamScopedPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, narrowed to the user's teams through ``team_field``."""

    team_field = "team"

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def _unscoped(self, user, actions):
        """Return True if one of ``actions`` the user holds reaches every instance.

        Checked action by action: the Secretariat's "view" reaches every entry even
        when a view also accepts "change", which the Secretariat does not hold.
        """
        return any(sees_everything(user, [action]) for action in actions)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        actions = [a for a in actions if self.user_has_permission(user, a)]
        if not actions:
            return False
        if self._unscoped(user, actions):
            return True
        team_id = getattr(instance, f"{self.team_field}_id")
        return team_id is not None and (
            facilitated_teams(user).filter(pk=team_id).exists()
        )

    def instances_user_has_any_permission_for(self, user, actions):
        instances = super().instances_user_has_any_permission_for(user, actions)
        actions = [a for a in actions if self.user_has_permission(user, a)]
        if self._unscoped(user, actions):
            return instances
        return instances.filter(**{f"{self.team_field}__in": facilitated_teams(user)})
