from django.test import RequestFactory

from accountability.sections import case_section, document_section
from casework.page_sections import page_sections_render


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_the_case_section_lists_the_roles_for_a_coordinator(coordinator, judge_role):
    html = case_section(_request(coordinator), judge_role.case)
    assert "Bakhyt Nurlanov" in html
    assert "Sentencing judge" in html


def test_the_sections_render_nothing_for_a_user_who_sees_no_responsible_person(
    caseworker, judge_role, verdict
):
    assert case_section(_request(caseworker), judge_role.case) == ""
    assert document_section(_request(caseworker), verdict) == ""


def test_the_app_registers_its_sections_with_casework(coordinator, judge_role, verdict):
    rendered = page_sections_render(page="document", request=_request(coordinator), record=verdict)
    assert any("responsible-named" in html for html in rendered)
    assert (
        page_sections_render(page="no such page", request=_request(coordinator), record=None) == []
    )
