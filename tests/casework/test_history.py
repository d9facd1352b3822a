from casework.history import case_change_history
from tests.factories import CaseFactory


def _saved(case, **changes):
    for name, value in changes.items():
        setattr(case, name, value)
    case.save()
    return case


def test_it_leaves_out_a_case_save_that_changed_only_sensitive_fields_for_a_partner(db):
    case = _saved(CaseFactory(), health_notes="Diabetes, no insulin in the colony")
    entries = case_change_history(case=case, show_sensitive=False)
    assert [entry.kind for entry in entries] == ["Created"]


def test_it_shows_a_case_save_that_changed_only_sensitive_fields_to_host_staff(db):
    case = _saved(CaseFactory(), sources="Lawyer, by phone")
    latest = case_change_history(case=case, show_sensitive=True)[0]
    assert [(change.label, change.new) for change in latest.changes] == [
        ("sources", "Lawyer, by phone")
    ]


def test_it_shows_a_partner_the_visible_part_of_a_save_that_changed_sensitive_fields_too(db):
    case = _saved(CaseFactory(), sources="Lawyer, by phone", sentence="7 years")
    latest = case_change_history(case=case, show_sensitive=False)[0]
    assert [(change.label, change.new) for change in latest.changes] == [("sentence", "7 years")]
