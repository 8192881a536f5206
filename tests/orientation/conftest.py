import pytest

from atout.orientation.selectors import data_changed


@pytest.fixture(autouse=True)
def _fresh_index():
    data_changed()  # tests build different métiers with the same counts
    yield
