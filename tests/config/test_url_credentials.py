"""User names and passwords inside URL settings: refused in Oracle's address, found (to be
masked) in the database URLs."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from config.settings import Settings, load_settings, url_password

PASSWORD = "Secr3t-in-the-url"


@pytest.fixture(autouse=True)
def _no_outside_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("RPA_ORACLE__BASE_URL", "RPA_LEDGER_URL", "RPA_SECRETS_DIR", "RPA_ORACLE"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    "url",
    [
        f"https://svc:{PASSWORD}@myoracle.example/",
        f"https://SVC.RPA:{PASSWORD}@ehxx.fa.em2.oraclecloud.com:443/fscmUI",
        f"http://svc%40council:{PASSWORD}@127.0.0.1:8765",
        "https://svc.rpa@myoracle.example",  # a user name alone is refused too
    ],
)
def test_a_user_name_or_password_in_the_oracle_url_is_refused_without_repeating_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    """The error names the setting and where the credentials go; the URL is never echoed."""
    monkeypatch.setenv("RPA_ORACLE__BASE_URL", url)
    with pytest.raises(ValidationError) as caught:
        load_settings(home=tmp_path)
    [error] = caught.value.errors()
    assert error["loc"] == ("oracle", "base_url")
    assert "oracle.base_url must not contain a user name or password" in error["msg"]
    assert "RPA_ORACLE__USERNAME and RPA_ORACLE__PASSWORD" in error["msg"]
    assert PASSWORD not in str(caught.value) and "svc" not in str(caught.value).lower()


def test_the_refusal_applies_to_every_source_of_the_setting(tmp_path: Path) -> None:
    """Given directly (as the settings file or a command line would), the URL is refused too."""
    with pytest.raises(ValidationError, match=r"oracle\.base_url must not contain"):
        Settings(home=tmp_path, oracle={"base_url": f"https://svc:{PASSWORD}@myoracle.example"})


def test_an_at_sign_after_the_host_is_not_a_user_name(tmp_path: Path) -> None:
    """Only the part before the host counts: a path or query holding '@' is a plain address."""
    settings = Settings(
        home=tmp_path, oracle={"base_url": "https://myoracle.example/fscmUI/faces?mail=a@b.uk/"}
    )
    assert settings.oracle.base_url == "https://myoracle.example/fscmUI/faces?mail=a@b.uk"


def test_the_database_urls_may_hold_a_password_which_is_found_decoded(tmp_path: Path) -> None:
    """ledger_url and the job store's URL keep their passwords; the suite finds them (as the
    database driver reads them) so that the commands can mask them everywhere."""
    settings = Settings(
        home=tmp_path,
        ledger_url="postgresql+psycopg://rpa:p%40ss%2Fword@db.example/rpa",
        scheduler={"job_store_url": "postgresql://jobs:jobs-pw@db.example/jobs"},
    )
    assert settings.ledger_url == "postgresql+psycopg://rpa:p%40ss%2Fword@db.example/rpa"
    assert settings.database_url_passwords() == ["p@ss/word", "jobs-pw"]
    assert Settings(home=tmp_path).database_url_passwords() == []  # SQLite: no password
    assert url_password("postgresql://rpa@db.example/rpa") is None
    assert url_password("not a url") is None
