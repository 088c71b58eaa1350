import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def in_english():
    """Messages are checked by their English words; the pages themselves follow the request's language."""
    with translation.override("en"):
        yield
