"""Two-factor sign-in as a person does it: password, then a code from the app."""

from __future__ import annotations

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.security import user_ensure_totp_device


def _code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_it_signs_a_coordinator_in_with_a_password_and_a_totp_code(
    page, sign_in, coordinator, screenshot
):
    device, _url = user_ensure_totp_device(user=coordinator)
    sign_in(coordinator, second_factor=False)
    assert "/accounts/two-factor/verify/" in page.url
    assert page.get_by_role("heading", name="Two-factor check").is_visible()
    screenshot("two-factor-verify")
    page.get_by_label("Code").fill(_code(device))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url(lambda url: "/accounts/" not in url)
    assert page.get_by_role("heading", name="Dashboard").is_visible()


def test_it_walks_a_new_coordinator_through_set_up_and_backup_codes(
    page, sign_in, coordinator, screenshot
):
    sign_in(coordinator, second_factor=False)
    assert "/accounts/two-factor/set-up/" in page.url
    qr_code = page.get_by_role("img", name="QR code")
    assert qr_code.is_visible()
    assert qr_code.evaluate("image => image.naturalWidth") > 0  # rendered, not blocked by the CSP
    screenshot("two-factor-set-up")
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    page.get_by_label("Code from the app").fill(_code(device))
    page.get_by_role("button", name="Confirm and continue").click()
    assert page.get_by_role("heading", name="Your backup codes").is_visible()
    assert page.locator(".backup-codes li").count() == 10
    screenshot("two-factor-backup-codes")
    page.get_by_role("link", name="I have saved them").click()
    assert page.get_by_role("heading", name="Dashboard").is_visible()


def test_it_lets_the_sign_in_fixture_finish_the_second_factor(page, sign_in, admin_user):
    sign_in(admin_user)
    assert page.get_by_role("heading", name="Dashboard").is_visible()
    page.goto("/admin/")
    assert page.get_by_role("heading", name="Site administration").is_visible()
