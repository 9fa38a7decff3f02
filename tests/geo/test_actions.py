import h3
import pytest

from safespaces.geo.actions import add_or_update_city
from safespaces.geo.cells import CITY_RESOLUTION


@pytest.mark.django_db
def test_it_stores_the_city_cell_of_its_centre() -> None:
    city = add_or_update_city("Cairo", "eg", 30.0444, 31.2357, "Africa/Cairo")
    assert city.country_code == "EG"
    assert h3.int_to_str(city.cell) == h3.latlng_to_cell(30.0444, 31.2357, CITY_RESOLUTION)


@pytest.mark.django_db
def test_it_updates_a_city_of_the_same_name() -> None:
    add_or_update_city("Cairo", "EG", 30.0, 31.0, "Africa/Cairo")
    moved = add_or_update_city("Cairo", "EG", 30.0444, 31.2357, "Africa/Cairo")
    assert moved.latitude == 30.0444
    assert type(moved).objects.count() == 1


@pytest.mark.django_db
def test_it_refuses_a_point_off_the_globe() -> None:
    with pytest.raises(ValueError, match="Latitude must be between -90 and 90"):
        add_or_update_city("Nowhere", "EG", 91.0, 31.0, "Africa/Cairo")
