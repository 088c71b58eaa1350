def test_the_cast_assembles(cast):
    assert cast.alice.roles == {"street_handler"}
    assert cast.sysadmin.roles == frozenset()
    assert cast.cindy.is_citizen
