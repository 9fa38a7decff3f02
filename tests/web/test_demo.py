from pathlib import Path

import pyotp
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from safespaces.accounts.models import TotpDevice, User
from safespaces.accounts.roles import Role, roles_of
from safespaces.geo.models import City
from safespaces.web.demo import DEMO_STAFF, load_demo


@pytest.fixture
def data_dir(tmp_path: Path):  # type: ignore[no-untyped-def]
    with override_settings(SAFESPACES_DATA_DIR=tmp_path):
        yield tmp_path


@pytest.mark.django_db
def test_it_loads_cairo_and_one_enrolled_staff_member_per_role(data_dir: Path) -> None:
    city, logins = load_demo()
    assert city.name == "Cairo" and 29.9 < city.latitude < 30.2
    assert {Role(login.role) for login in logins} == set(Role)
    for login in logins:
        user = User.objects.get(username=login.username)
        assert roles_of(user) == [Role(login.role)]
        assert user.check_password(login.password)
        device = TotpDevice.objects.get(user=user)
        assert device.secret == login.totp_secret
        assert pyotp.TOTP(device.secret).verify(pyotp.TOTP(login.totp_secret).now())


@pytest.mark.django_db
def test_it_can_be_loaded_again_and_prints_the_same_logins(data_dir: Path) -> None:
    _city, first = load_demo()
    _city, second = load_demo()
    assert first == second
    assert City.objects.count() == 1
    assert User.objects.count() == len(DEMO_STAFF)
    assert (data_dir / "demo-logins.json").stat().st_mode & 0o777 == 0o600


@pytest.mark.django_db
def test_the_command_prints_logins_and_totp_secrets(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("demo")
    printed = capsys.readouterr().out
    _city, logins = load_demo()
    for login in logins:
        assert login.username in printed
        assert login.password in printed
        assert login.totp_secret in printed


@pytest.mark.django_db
def test_it_refuses_to_load_in_production(data_dir: Path) -> None:
    with (
        override_settings(SAFESPACES_PRODUCTION=True),
        pytest.raises(CommandError, match="SAFESPACES_PRODUCTION"),
    ):
        call_command("demo")
    assert not User.objects.exists()
