from playwright.sync_api import expect


def test_it_signs_a_caseworker_in_and_shows_the_dashboard(page, sign_in, caseworker, screenshot):
    sign_in(caseworker)
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    screenshot("dashboard")


def test_a_wrong_second_factor_code_is_an_announced_error_on_a_phone(
    page, coordinator, password, screenshot
):
    from casework.security import user_ensure_totp_device

    user_ensure_totp_device(user=coordinator)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(coordinator.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/accounts/two-factor/verify/")
    # Nothing to navigate to before the code: every page would lead back here.
    expect(page.get_by_role("navigation", name="Main")).to_have_count(0)
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Verify").click()
    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(page.get_by_label("Code")).to_have_attribute("aria-invalid", "true")
    screenshot("two-factor-wrong-code-phone")
