"""Two-factor sign-in as a person does it: password, then a code from the app."""

from __future__ import annotations

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from casework.security import user_ensure_totp_device


def _code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_it_signs_a_coordinator_in_with_a_password_and_a_totp_code(
    page, sign_in, coordinator, screenshot
):
    device, _url = user_ensure_totp_device(user=coordinator)
    sign_in(coordinator, second_factor=False)
    page.wait_for_url("**/accounts/two-factor/verify/**")
    expect(page.get_by_role("heading", name="Two-factor check")).to_be_visible()
    screenshot("two-factor-verify")
    page.get_by_label("Code").fill(_code(device))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url(lambda url: "/accounts/" not in url)
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()


def test_it_walks_a_new_coordinator_through_set_up_and_backup_codes(
    page, sign_in, coordinator, screenshot
):
    sign_in(coordinator, second_factor=False)
    page.wait_for_url("**/accounts/two-factor/set-up/**")
    qr_code = page.get_by_role("img", name="QR code")
    expect(qr_code).to_be_visible()
    assert qr_code.evaluate("image => image.naturalWidth") > 0  # rendered, not blocked by the CSP
    screenshot("two-factor-set-up")
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    page.get_by_label("Code from the app").fill(_code(device))
    page.get_by_role("button", name="Confirm and continue").click()
    expect(page.get_by_role("heading", name="Your backup codes")).to_be_visible()
    expect(page.locator(".backup-codes li")).to_have_count(10)
    screenshot("two-factor-backup-codes")
    page.get_by_role("link", name="I have saved them").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()


def test_it_lets_the_sign_in_fixture_finish_the_second_factor(page, sign_in, admin_user):
    sign_in(admin_user)
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    page.goto("/admin/")
    expect(page.get_by_role("heading", name="Records and settings")).to_be_visible()


def test_the_browser_denies_camera_microphone_and_location_to_the_pages(page, sign_in, caseworker):
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    sign_in(caseworker)
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    allowed = page.evaluate("document.featurePolicy.allowedFeatures()")
    for feature in ("camera", "microphone", "geolocation", "display-capture", "usb", "payment"):
        assert feature not in allowed, feature
    # Every feature named is one Chromium knows: no "Unrecognized feature" complaint.
    assert not [
        text for text in messages if "Permissions-Policy" in text or "Unrecognized feature" in text
    ]
