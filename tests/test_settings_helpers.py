from pathlib import Path

import pytest

from safespaces.config import (
    SettingError,
    env_bool,
    env_float,
    env_int,
    env_secret,
    secret_from_data_dir,
)


def test_it_reads_typed_values() -> None:
    env = {"SAFESPACES_ON": "yes", "SAFESPACES_N": "12"}
    assert env_bool("ON", False, environ=env) is True
    assert env_int("N", 3, environ=env) == 12
    assert env_int("MISSING", 3, environ=env) == 3


def test_it_names_the_setting_in_errors() -> None:
    with pytest.raises(SettingError, match="SAFESPACES_N must be a whole number"):
        env_int("N", 3, environ={"SAFESPACES_N": "twelve"})
    with pytest.raises(SettingError, match="SAFESPACES_ON must be true or false"):
        env_bool("ON", False, environ={"SAFESPACES_ON": "maybe"})
    with pytest.raises(SettingError, match="SAFESPACES_X must be a finite number"):
        env_float("X", 1.0, environ={"SAFESPACES_X": "nan"})
    with pytest.raises(SettingError, match="at least 1"):
        env_int("N", 3, minimum=1, environ={"SAFESPACES_N": "0"})


def test_it_reads_secrets_from_files(tmp_path: Path) -> None:
    secret_file = tmp_path / "secret"
    secret_file.write_text("s3cr3t\n")
    env = {"SAFESPACES_KEY_FILE": str(secret_file)}
    assert env_secret("KEY", environ=env) == "s3cr3t"
    with pytest.raises(SettingError, match="SAFESPACES_KEY_FILE"):
        env_secret("KEY", environ={"SAFESPACES_KEY_FILE": str(tmp_path / "absent")})
    with pytest.raises(SettingError, match="not both"):
        env_secret("KEY", environ={**env, "SAFESPACES_KEY": "x"})


def test_it_generates_secrets_once_with_private_mode(tmp_path: Path) -> None:
    first = secret_from_data_dir(tmp_path, "k", make=True)
    assert first and secret_from_data_dir(tmp_path, "k", make=True) == first
    assert (tmp_path / "k").stat().st_mode & 0o777 == 0o600
    assert secret_from_data_dir(tmp_path, "other", make=False) is None
