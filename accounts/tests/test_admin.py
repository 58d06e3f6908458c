"""Admin for units (a tree that cannot be cut) and users (unit + roles as groups)."""
import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from accounts.models import Role, Unit, User

pytestmark = pytest.mark.django_db


def test_unit_list_is_a_tree_and_searchable(admin_web, units):
    response = admin_web.get(reverse("admin:accounts_unit_changelist"))
    assert response.status_code == 200
    html = response.content.decode()
    # Ordered by path: the province, then each city before its counties and stations.
    assert html.index("示范省电力公司") < html.index("东州供电公司") < html.index("东州一县供电公司")
    found = admin_web.get(reverse("admin:accounts_unit_changelist"), {"q": "GS-A1-1"})
    assert list(found.context["cl"].result_list) == [units["GS-A1-1"]]


def test_unit_subtree_filter(admin_web, units):
    response = admin_web.get(reverse("admin:accounts_unit_changelist"), {"subtree": units["XG-A1"].pk})
    assert {u.code for u in response.context["cl"].result_list} == {"XG-A1", "GS-A1-1", "GS-A1-2"}


@pytest.mark.parametrize("new_parent", ["DS-A", "XG-A1", "GS-A1-1"])
def test_unit_cannot_move_below_itself(admin_web, units, new_parent):
    city = units["DS-A"]
    url = reverse("admin:accounts_unit_change", args=[city.pk])
    response = admin_web.post(url, {
        "code": city.code, "name": city.name, "kind": city.kind, "parent": units[new_parent].pk,
        "region_type": city.region_type, "customer_count": 0})
    assert response.status_code == 200
    # Not offered as a choice, and refused if posted anyway.
    assert "parent" in response.context["adminform"].form.errors
    city.refresh_from_db()
    assert city.parent == units["SGS"]


def test_unit_form_refuses_own_subtree_as_parent(units):
    from accounts.admin import UnitForm

    city = units["DS-A"]
    form = UnitForm(instance=city)
    assert not form.fields["parent"].queryset.filter(path__startswith=city.path).exists()
    form.cleaned_data = {"parent": units["GS-A1-1"]}
    with pytest.raises(Exception, match="上级单位不能是本单位或其下级单位"):
        form.clean_parent()


def test_unit_move_keeps_the_subtree_consistent(admin_web, units):
    county = units["XG-A1"]
    response = admin_web.post(reverse("admin:accounts_unit_change", args=[county.pk]), {
        "code": county.code, "name": county.name, "kind": county.kind, "parent": units["DS-B"].pk,
        "region_type": county.region_type, "customer_count": 0})
    assert response.status_code == 302
    county.refresh_from_db()
    assert units["DS-B"].contains(county)
    assert set(county.subtree().values_list("code", flat=True)) == {"XG-A1", "GS-A1-1", "GS-A1-2"}
    assert not Unit.objects.get(code="DS-A").subtree().filter(code="GS-A1-1").exists()


def test_unit_moved_up_a_level_takes_its_subtree_along(units):
    county, root = units["XG-A1"], units["DS-A"].parent
    county.parent = root  # a county directly under the province: its stations rise a level too
    county.save()
    depths = dict(county.subtree().values_list("code", "depth"))
    assert depths == {"XG-A1": root.depth + 1, "GS-A1-1": root.depth + 2, "GS-A1-2": root.depth + 2}
    assert all(path.count(".") - 1 == depth for path, depth in Unit.objects.values_list("path", "depth"))


def test_unit_delete_with_users_is_refused(admin_web, units):
    station = units["GS-A1-1"]
    response = admin_web.post(reverse("admin:accounts_unit_delete", args=[station.pk]), {"post": "yes"})
    assert Unit.objects.filter(pk=station.pk).exists()
    assert response.status_code in (200, 403)


def test_user_admin_sets_unit_and_roles(admin_web, units):
    response = admin_web.post(reverse("admin:accounts_user_add"), {
        "username": "handler2", "first_name": "新承办", "unit": units["GS-A1-2"].pk,
        "groups": [Group.objects.get(name=Role.HANDLER).pk], "email": "h2@demo.local",
        "password1": "Gd-7q!vRz#2026", "password2": "Gd-7q!vRz#2026", "usable_password": "true"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(username="handler2")
    assert user.unit == units["GS-A1-2"]
    assert user.has_role(Role.HANDLER)
    assert user.has_perm("complaints.handle_ticket")

    listing = admin_web.get(reverse("admin:accounts_user_changelist"), {"q": "handler2"})
    assert "承办人员" in listing.content.decode()


def test_user_admin_deactivate_action(admin_web, users):
    target = users["station_b"]
    admin_web.post(reverse("admin:accounts_user_changelist"),
                       {"action": "deactivate", "_selected_action": [target.pk, users["admin"].pk]})
    target.refresh_from_db()
    assert not target.is_active
    assert User.objects.get(username="admin").is_active  # never yourself
    assert target.history.first().history_user.username == "admin"


def test_user_history_cannot_be_reverted_from_the_admin(admin_web, users):
    target = users["station_b"]
    target.first_name = "改名"
    target.save()
    old = target.history.order_by("history_date").first()
    url = reverse("admin:accounts_user_simple_history", args=[target.pk, old.history_id])
    assert admin_web.get(url).status_code == 200
    assert admin_web.post(url, {"username": "station_b", "first_name": "赵承办"}).status_code == 403
    target.refresh_from_db()
    assert target.first_name == "改名"


def test_admin_groups_and_token_and_axes_are_registered():
    from axes.models import AccessAttempt

    from accounts.models import ApiToken

    for model in (Group, ApiToken, AccessAttempt, Unit, User):
        assert admin.site.is_registered(model), model


def test_admin_is_closed_to_non_staff(users):
    client = Client()
    client.force_login(users["supervisor"])
    response = client.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 302 and reverse("admin:login") in response.url


def test_app_and_model_names_are_chinese(admin_web):
    html = admin_web.get(reverse("admin:index")).content.decode()
    names = ("组织与用户", "单位", "用户", "系统设置", "业务参数", "工单", "投诉分类", "服务区域", "敏感信息查看记录")
    for name in names:
        assert name in html, name
