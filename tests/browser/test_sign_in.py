def test_it_signs_a_caseworker_in_and_shows_the_dashboard(page, sign_in, caseworker, screenshot):
    sign_in(caseworker)
    assert page.get_by_role("heading", name="Dashboard").is_visible()
    screenshot("dashboard")
