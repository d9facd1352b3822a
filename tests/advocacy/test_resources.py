import tablib

from advocacy.models import IssuingBody
from advocacy.resources import IssuingBodyResource
from tests.factories import IssuingBodyFactory


def test_it_exports_issuing_bodies_and_imports_them_back(db):
    IssuingBodyFactory(name="European Parliament", short_name="EP", kind="parliament")
    exported = IssuingBodyResource().export()
    assert exported.headers == ["name", "short_name", "kind"]
    dataset = tablib.Dataset(headers=exported.headers)
    dataset.append(["European Parliament", "EUP", "parliament"])
    dataset.append(["UN Working Group on Arbitrary Detention", "WGAD", "un"])
    result = IssuingBodyResource().import_data(dataset, dry_run=False)
    assert result.totals["update"] == 1 and result.totals["new"] == 1
    assert IssuingBody.objects.get(name="European Parliament").short_name == "EUP"
    assert IssuingBody.objects.filter(short_name="WGAD").exists()
