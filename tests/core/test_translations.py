from atout.core import i18n


def test_english_catalogue_is_complete():
    assert i18n.catalogues(), "no catalogue found"
    assert i18n.problems() == []
