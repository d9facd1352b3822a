import io
import zipfile

import pytest

from common.archives import ZipExpansionRefused, zip_expansion_check


def _archive(**members: bytes) -> zipfile.ZipFile:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return zipfile.ZipFile(io.BytesIO(output.getvalue()))


def test_it_names_the_member_that_expands_too_many_times():
    archive = _archive(small=b"x" * 1000, big=b"\0" * 5_000_000)
    with pytest.raises(ZipExpansionRefused) as refused:
        zip_expansion_check(archive, max_ratio=200, max_total=10**9)
    assert refused.value.part == "big" and refused.value.ratio > 200


def test_it_refuses_members_that_expand_too_far_together():
    archive = _archive(one=b"\0" * 600_000, two=b"\0" * 600_000)
    with pytest.raises(ZipExpansionRefused) as refused:
        zip_expansion_check(archive, max_ratio=200, max_total=1_000_000)
    assert (refused.value.part, refused.value.total) == (None, 1_200_000)


def test_it_lets_small_well_compressed_parts_and_a_modest_total_through():
    archive = _archive(styles=b"<w:style/>" * 50_000)  # 500 KB that compresses well
    zip_expansion_check(archive, max_ratio=200, max_total=1_000_000)
