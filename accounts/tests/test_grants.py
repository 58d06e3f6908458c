"""Roles and permissions come from the shared cache, and an administrator's edit takes effect on the
user's very next request."""
from django.contrib.auth.models import Group, Permission

from accounts.models import Role, User


def fresh(user) -> User:
    return User.objects.get(pk=user.pk)  # a new request loads a new user object


def test_second_request_reads_no_permission_tables(users, django_assert_num_queries):
    assert fresh(users["agent"]).has_perm("complaints.intake_ticket")
    user = fresh(users["agent"])
    with django_assert_num_queries(0):
        assert user.has_perm("complaints.intake_ticket")
        assert user.has_role(Role.AGENT)
        assert not user.has_perm("complaints.dispatch_ticket")


def test_role_given_in_the_admin_applies_at_once(users):
    agent = users["agent"]
    assert not fresh(agent).has_perm("complaints.dispatch_ticket")
    assert not fresh(agent).has_role(Role.LEAD)

    agent.groups.add(Group.objects.get(name=Role.LEAD))

    assert fresh(agent).has_perm("complaints.dispatch_ticket")
    assert fresh(agent).has_role(Role.LEAD)


def test_permission_taken_from_a_role_applies_at_once(users):
    agent = users["agent"]
    assert fresh(agent).has_perm("complaints.intake_ticket")

    Group.objects.get(name=Role.AGENT).permissions.remove(
        Permission.objects.get(codename="intake_ticket", content_type__app_label="complaints"))

    assert not fresh(agent).has_perm("complaints.intake_ticket")


def test_user_permission_and_deactivation(users):
    viewer = users["viewer"]
    assert not fresh(viewer).has_perm("complaints.intake_ticket")
    viewer.user_permissions.add(Permission.objects.get(codename="intake_ticket", content_type__app_label="complaints"))
    assert fresh(viewer).has_perm("complaints.intake_ticket")

    User.objects.filter(pk=viewer.pk).update(is_active=False)
    assert not fresh(viewer).has_perm("complaints.intake_ticket")
