from tests.support.api_clients import api_as  # noqa: F401
