"""Importing HowTheyVote.eu's export: what it writes, that it writes it once, and that a
bad file writes nothing and says where it is wrong."""

from __future__ import annotations

import datetime
import gzip
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from advocacy.actors import actor_update
from advocacy.models import Actor, ActorAlias, MemberVote, PoliticalGroup, Position, RollCallVote
from advocacy.votes_import import (
    VotesImportError,
    export_files_in_folder,
    export_files_in_zip,
    export_files_uploaded,
    votes_import,
)
from casework.models import Role
from tests.factories import ActorFactory, DocumentFactory, OrganisationFactory, member


def _import(folder: Path):
    return votes_import(files=export_files_in_folder(folder))


def test_it_imports_every_member_and_the_votes_on_recorded_documents(
    export_folder, resolution_2021, ruritania_resolution
):
    result = _import(export_folder)
    assert result.members == 8
    assert Actor.objects.filter(kind=Actor.Kind.MEP).count() == 8
    brandtner = Actor.objects.get(ep_member_id=900001)
    assert brandtner.name == "Ilse Brandtner"
    assert brandtner.country == "Germany"
    # Myanmar has no document here: left out, with its member votes.
    assert set(RollCallVote.objects.values_list("howtheyvote_id", flat=True)) == {
        150000,
        150001,
        150003,
    }
    assert result.votes_skipped == 1
    main = RollCallVote.objects.get(howtheyvote_id=150001)
    assert main.document == resolution_2021
    assert main.linked_by == RollCallVote.LinkedBy.PROCEDURE
    assert main.is_main and (main.count_for, main.count_against) == (3, 3)
    ruritania = RollCallVote.objects.get(howtheyvote_id=150003)
    assert ruritania.document == ruritania_resolution
    assert ruritania.linked_by == RollCallVote.LinkedBy.TITLE_AND_DATE
    assert MemberVote.objects.filter(vote=main).count() == 8
    assert MemberVote.objects.get(vote=main, actor__ep_member_id=900004).position == "abstention"


def test_it_records_group_memberships_as_dated_positions(export_folder, resolution_2021):
    _import(export_folder)
    ozolins = Actor.objects.get(ep_member_id=900004)
    groups = list(
        ozolins.positions.filter(kind=Position.Kind.POLITICAL_GROUP)
        .order_by("started_on")
        .values_list("body_code", "ended_on")
    )
    assert [code for code, _ in groups] == ["SD", "RENEW"]
    assert groups[0][1].isoformat() == "2021-12-31"
    assert PoliticalGroup.objects.get(code="SD").short_label == "S&D"


def test_importing_the_same_export_twice_changes_nothing(export_folder, resolution_2021):
    _import(export_folder)
    counts = (
        Actor.objects.count(),
        Actor.history.count(),
        Position.objects.count(),
        RollCallVote.objects.count(),
        MemberVote.objects.count(),
    )
    positions = list(MemberVote.objects.order_by("pk").values_list("pk", "position"))
    _import(export_folder)
    assert counts == (
        Actor.objects.count(),
        Actor.history.count(),
        Position.objects.count(),
        RollCallVote.objects.count(),
        MemberVote.objects.count(),
    )
    assert positions == list(MemberVote.objects.order_by("pk").values_list("pk", "position"))


def test_a_changed_position_in_a_later_export_updates_the_row(export_folder, resolution_2021):
    _import(export_folder)
    path = export_folder / "member_votes.csv"
    path.write_text(path.read_text().replace("150001,900004,ABSTENTION", "150001,900004,FOR"))
    _import(export_folder)
    assert (
        MemberVote.objects.get(vote__howtheyvote_id=150001, actor__ep_member_id=900004).position
        == "for"
    )


def test_it_finds_an_mep_recorded_by_hand_by_another_spelling_of_the_name(
    export_folder, resolution_2021
):
    recorded = ActorFactory(name="Janis Ozolins", family_name="Ozolins", country_code="LVA")
    result = _import(export_folder)
    recorded.refresh_from_db()
    assert recorded.ep_member_id == 900004
    assert recorded.name == "Janis Ozolins"  # what staff wrote stays
    assert ActorAlias.objects.filter(actor=recorded, name="Jānis Ozoliņš").exists()
    assert result.actors_matched_by_name == 1
    assert Actor.objects.count() == 8


def test_it_reads_the_gzipped_files_of_the_stable_links(export_folder, resolution_2021):
    for name in ("members.csv", "member_votes.csv"):
        plain = export_folder / name
        (export_folder / f"{name}.gz").write_bytes(gzip.compress(plain.read_bytes()))
        plain.unlink()
    _import(export_folder)
    assert MemberVote.objects.count() == 16


def test_it_reads_an_uploaded_export_zip_with_its_files_in_a_folder(export_folder, resolution_2021):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in export_folder.iterdir():
            archive.write(path, f"export/{path.name}")
    votes_import(files=export_files_in_zip(buffer.getvalue()))
    assert RollCallVote.objects.filter(document=resolution_2021).count() == 2


def test_it_rejects_a_bad_position_naming_file_row_and_column_and_writes_nothing(
    export_folder, resolution_2021
):
    path = export_folder / "member_votes.csv"
    lines = path.read_text().splitlines()
    lines[5] = lines[5].replace("AGAINST", "MAYBE").replace("FOR", "MAYBE")
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(VotesImportError) as error:
        _import(export_folder)
    assert "member_votes.csv, row 6, column position" in str(error.value)
    assert "MAYBE" in str(error.value)
    assert not Actor.objects.exists() and not RollCallVote.objects.exists()


def test_it_rejects_a_file_without_the_exports_column_names(export_folder, resolution_2021):
    path = export_folder / "votes.csv"
    path.write_text(path.read_text().replace("procedure_reference", "procedure", 1))
    with pytest.raises(VotesImportError, match=r"votes\.csv has no column procedure_reference"):
        _import(export_folder)
    assert not Actor.objects.exists()


def test_it_rejects_a_member_vote_of_an_unknown_member(export_folder, resolution_2021):
    path = export_folder / "member_votes.csv"
    path.write_text(path.read_text() + "150001,123,FOR,DEU,EPP\n")
    with pytest.raises(VotesImportError, match=r"row 34, column member_id: no member 123"):
        _import(export_folder)


def test_it_says_which_required_file_is_missing(export_folder):
    (export_folder / "members.csv").unlink()
    with pytest.raises(VotesImportError, match=r"members\.csv"):
        _import(export_folder)


def test_the_command_imports_a_folder_and_refuses_a_bad_one(
    export_folder, resolution_2021, tmp_path
):
    out = io.StringIO()
    call_command("import_votes", str(export_folder), stdout=out)
    assert "Imported 8 members" in out.getvalue()
    assert resolution_2021.title in out.getvalue()
    with pytest.raises(CommandError, match="not a folder"):
        call_command("import_votes", str(tmp_path / "nowhere"))


def test_it_refuses_a_members_position_listed_twice_naming_both_rows(
    export_folder, resolution_2021
):
    path = export_folder / "member_votes.csv"
    path.write_text(path.read_text() + "150001,900001,FOR,DEU,GREEN_EFA\n")
    with pytest.raises(VotesImportError) as error:
        _import(export_folder)
    assert "member_votes.csv, row 34, column member_id" in str(error.value)
    assert "vote 150001 is already on row" in str(error.value)
    assert not Actor.objects.exists() and not MemberVote.objects.exists()


def test_it_refuses_a_group_membership_listed_twice(export_folder, resolution_2021):
    path = export_folder / "group_memberships.csv"
    path.write_text(path.read_text() + "900001,GREEN_EFA,9,2019-07-02,\n")
    with pytest.raises(VotesImportError, match=r"column group_code: .* already on row 2"):
        _import(export_folder)
    assert not Actor.objects.exists()


def test_it_counts_blank_lines_in_the_row_it_names(export_folder, resolution_2021):
    path = export_folder / "member_votes.csv"
    lines = path.read_text().splitlines()
    lines.insert(2, "")
    lines[5] = lines[5].replace("AGAINST", "MAYBE").replace("FOR", "MAYBE")
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(VotesImportError, match=r"member_votes\.csv, row 6, column position"):
        _import(export_folder)


def test_it_refuses_an_id_too_large_to_store_naming_the_row(export_folder, resolution_2021):
    path = export_folder / "members.csv"
    path.write_text(path.read_text() + "99999999999999999999,Anna,Berg,DEU,,,,\n")
    with pytest.raises(VotesImportError, match=r"members\.csv, row 10, column id: .*larger"):
        _import(export_folder)
    assert not Actor.objects.exists()


def test_it_reads_files_a_spreadsheet_saved_with_semicolons(export_folder, resolution_2021):
    path = export_folder / "members.csv"
    path.write_text("\ufeff" + path.read_text().replace(",", ";"), encoding="utf-8")
    _import(export_folder)
    assert Actor.objects.get(ep_member_id=900001).name == "Ilse Brandtner"


def _zip_of(export_folder: Path, **extra: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in export_folder.iterdir():
            archive.write(path, f"export/{path.name}")
        for name, data in extra.items():
            archive.writestr(name.replace("__", "/"), data)
    return buffer.getvalue()


def test_it_refuses_an_encrypted_table_in_the_zip_naming_it(export_folder, resolution_2021):
    data = bytearray(_zip_of(export_folder))
    # The "encrypted" flag of the first table, in its local header and the directory.
    data[data.find(b"PK\x03\x04") + 6] |= 1
    data[data.find(b"PK\x01\x02") + 8] |= 1
    with pytest.raises(VotesImportError, match=r"export/\w+\.csv in the archive is encrypted"):
        votes_import(files=export_files_in_zip(bytes(data)))
    assert not Actor.objects.exists()


def test_it_refuses_a_zip_holding_a_table_twice(export_folder, resolution_2021):
    data = _zip_of(export_folder, **{"old__members.csv": b"id\n"})
    with pytest.raises(VotesImportError, match=r"members\.csv twice"):
        export_files_in_zip(data)


def test_it_refuses_an_uploaded_gz_that_expands_beyond_the_limit(
    export_folder, resolution_2021, settings
):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 1_048_576
    members = (export_folder / "members.csv").read_bytes() + b"\n" * 2_000_000
    uploads = [
        SimpleUploadedFile("members.csv.gz", gzip.compress(members)),
        *(
            SimpleUploadedFile(name, (export_folder / name).read_bytes())
            for name in ("votes.csv", "member_votes.csv")
        ),
    ]
    with pytest.raises(VotesImportError, match=r"members\.csv\.gz would expand beyond 1 MB"):
        votes_import(files=export_files_uploaded(uploads))
    assert not Actor.objects.exists()


@pytest.mark.parametrize(
    ("name", "line", "where"),
    [
        ("countries.csv", "DEUTSCH,DE,Germany", r"countries\.csv, row 8, column code"),
        ("groups.csv", f"EPP2,{'x' * 301},EPP,EPP", r"groups\.csv, row 8, column official_label"),
        (
            "members.csv",
            "900009,Anna,Berg,GERMANY,,,,",
            r"members\.csv, row 10, column country_code",
        ),
    ],
)
def test_it_refuses_a_value_longer_than_its_column_naming_row_and_column(
    export_folder, resolution_2021, name, line, where
):
    path = export_folder / name
    path.write_text(path.read_text() + line + "\n")
    with pytest.raises(VotesImportError, match=where + ": .*longer than"):
        _import(export_folder)
    assert not Actor.objects.exists()


def test_it_refuses_a_group_code_listed_twice(export_folder, resolution_2021):
    path = export_folder / "groups.csv"
    path.write_text(path.read_text() + "EPP,Another group,Another,AN\n")
    with pytest.raises(
        VotesImportError, match=r"groups\.csv, row 8, column code: EPP is already on row 2"
    ):
        _import(export_folder)
    assert not PoliticalGroup.objects.exists()


def test_it_ties_a_vote_to_a_document_by_whole_words_of_its_title(export_folder, db):
    # Only a resolution on Ruritanialand is recorded; the vote of that day is on Ruritania
    # (as Niger and Nigeria: one title is the start of the other).
    other = DocumentFactory(
        title="European Parliament resolution on the situation of human rights defenders "
        "in Ruritanialand",
        issued_on=datetime.date(2021, 3, 11),
    )
    _import(export_folder)
    assert not RollCallVote.objects.filter(document=other).exists()


def test_it_refuses_a_table_uploaded_twice(export_folder, resolution_2021):
    members = (export_folder / "members.csv").read_bytes()
    uploads = [
        SimpleUploadedFile("members.csv", members),
        SimpleUploadedFile("members.csv.gz", gzip.compress(members)),
    ]
    with pytest.raises(VotesImportError, match=r"members\.csv is uploaded twice"):
        export_files_uploaded(uploads)


def test_it_counts_a_cell_over_several_lines_as_one_row(export_folder, resolution_2021):
    path = export_folder / "votes.csv"
    lines = path.read_text().splitlines()
    lines[1] = lines[1].replace("§ 5 - Am 1", '"§ 5 -\nAm 1"')
    lines[3] = lines[3].replace(",True,", ",Maybe,")
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(VotesImportError, match=r"votes\.csv, row 4, column is_main: “Maybe”"):
        _import(export_folder)


def test_a_new_import_keeps_a_name_staff_corrected_and_keeps_the_exports_as_another(
    export_folder, resolution_2021
):
    _import(export_folder)
    ozolins = Actor.objects.get(ep_member_id=900004)
    officer = member(organisation=OrganisationFactory(), role=Role.CASEWORKER)
    actor_update(actor=ozolins, by=officer, name="Jānis Ozoliņš-Kalniņš", family_name="Ozoliņš")
    _import(export_folder)
    ozolins.refresh_from_db()
    assert (ozolins.name, ozolins.family_name) == ("Jānis Ozoliņš-Kalniņš", "Ozoliņš")
    assert ActorAlias.objects.filter(actor=ozolins, name="Jānis Ozoliņš").exists()


def test_a_later_export_still_renames_a_member_staff_did_not_rename(export_folder, resolution_2021):
    _import(export_folder)
    ozolins = Actor.objects.get(ep_member_id=900004)
    officer = member(organisation=OrganisationFactory(), role=Role.CASEWORKER)
    actor_update(actor=ozolins, by=officer, email="janis@example.org")
    path = export_folder / "members.csv"
    path.write_text(path.read_text().replace("Jānis,Ozoliņš", "Jānis,Ozoliņš-Bērziņš"))
    _import(export_folder)
    ozolins.refresh_from_db()
    assert ozolins.name == "Jānis Ozoliņš-Bērziņš"
