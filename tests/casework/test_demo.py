import io

from django.core.management import call_command

from casework.demo import demo_users_ensure
from casework.models import Case, Membership, Role
from tests.factories import CaseFactory, HostOrganisationFactory


def test_it_creates_one_user_per_role_and_keeps_passwords_on_a_second_run(db):
    first = demo_users_ensure()
    assert {user.role for user in first} == {
        Role.ADMIN,
        Role.COORDINATOR,
        Role.CASEWORKER,
        Role.PARTNER,
    }
    assert all(user.password for user in first)
    second = demo_users_ensure()
    assert [user.password for user in second] == [None] * 4
    assert Membership.objects.count() == 4


def test_it_gives_coordinators_and_admins_a_second_factor(db):
    users = {user.username: user for user in demo_users_ensure()}
    assert users["coordinator"].totp_url.startswith("otpauth://totp/")
    assert users["admin"].totp_url.startswith("otpauth://totp/")
    assert users["caseworker"].totp_url == ""


def test_it_assigns_the_host_cases_nobody_owns_to_the_demo_caseworker(db):
    host = HostOrganisationFactory(slug="demo-ngo", name="Advocase Demo NGO")
    unassigned = CaseFactory(owning_organisation=host, assigned_caseworker=None)
    demo_users_ensure(password="a-demo-password-of-length")
    unassigned.refresh_from_db()
    assert unassigned.assigned_caseworker.username == "caseworker"
    assert unassigned.history.first().history_user.username == "caseworker"
    assert Case.objects.filter(assigned_caseworker__isnull=True).count() == 0


def test_the_partner_user_belongs_to_the_bureau_under_its_full_name(db):
    users = {user.username: user for user in demo_users_ensure()}

    assert users["partner"].organisation == (
        "Kazakhstan International Bureau for Human Rights and Rule of Law"
    )
    assert Membership.objects.get(user__username="partner").organisation.slug == "kibhr"


def test_generated_demo_passwords_pass_the_password_validators(db):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password

    for demo in demo_users_ensure():
        user = get_user_model().objects.get(username=demo.username)
        validate_password(demo.password, user=user)
        assert user.check_password(demo.password)


def test_the_command_prints_the_address_the_site_is_served_on(db, settings):
    settings.SITE_URL = "http://127.0.0.1:8190"
    out = io.StringIO()
    call_command("create_demo_users", stdout=out)
    assert "Demo users (sign in at http://127.0.0.1:8190/):" in out.getvalue()
