from playwright.sync_api import expect


def test_it_signs_a_caseworker_in_and_shows_the_dashboard(page, sign_in, caseworker, screenshot):
    sign_in(caseworker)
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    screenshot("dashboard")
