import json
import stat
import subprocess
from pathlib import Path

import pytest
from plan_store import token_command

from kgservice.auth import BearerRequired, Principal, TokenFile, authenticate, may_write
from kgservice.errors import NotFound, Unauthorized
from kgservice.settings import Settings

BASE = "https://w3id.org/thaiplan/id/"
ORG = f"{BASE}org/lao-pao-40"


def settings_for(tmp_path: Path) -> Settings:
    return Settings(memory=True, load_bundled_data=False, tokens_file=tmp_path / "tokens.json")


def kgservice(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return token_command(tmp_path / "tokens.json", *args)


def test_token_file_keeps_only_a_hash_readable_by_its_owner(tmp_path: Path) -> None:
    tokens = TokenFile(tmp_path / "tokens.json")
    _, token = tokens.create(ORG, admin=False)
    text = tokens.path.read_text()
    assert token not in text
    assert json.loads(text)["tokens"][0]["org"] == ORG
    assert stat.S_IMODE(tokens.path.stat().st_mode) == 0o600


def test_a_token_stands_for_its_organisation(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    _, token = TokenFile(settings.tokens_path).create(ORG, admin=False)
    assert authenticate(f"Bearer {token}", settings) == Principal(ORG, "lao-pao-40", admin=False)


@pytest.mark.parametrize("header", [None, "", "Bearer", "Basic dXNlcjpwYXNz", "Bearer wrong"])
def test_missing_or_unknown_tokens_are_unauthorised(tmp_path: Path, header: str | None) -> None:
    settings = settings_for(tmp_path)
    TokenFile(settings.tokens_path).create(ORG, admin=False)
    with pytest.raises(BearerRequired) as caught:
        authenticate(header, settings)
    assert caught.value.headers["WWW-Authenticate"].startswith("Bearer")


def test_an_organisation_writes_only_its_own_graph(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    org = Principal(ORG, "lao-pao-40")
    assert may_write(org, f"{BASE}graph/lao-pao-40", settings)
    assert not may_write(org, f"{BASE}graph/lao-pao-41", settings)
    assert not may_write(org, f"{BASE}graph/areas", settings)
    assert may_write(Principal(ORG, "lao-pao-40", admin=True), f"{BASE}graph/areas", settings)


def test_revoking_an_unknown_token_says_so(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        TokenFile(tmp_path / "tokens.json").revoke("nothing")


def test_token_revoke_by_id_leaves_other_tokens(tmp_path: Path) -> None:
    tokens = TokenFile(tmp_path / "tokens.json")
    first, first_token = tokens.create(ORG, admin=True)
    _, second_token = tokens.create(f"{BASE}org/lao-pao-41", admin=False)
    assert kgservice(tmp_path, "revoke", first.id).returncode == 0
    settings = settings_for(tmp_path)
    with pytest.raises(Unauthorized):
        authenticate(f"Bearer {first_token}", settings)
    assert authenticate(f"Bearer {second_token}", settings).org_id == "lao-pao-41"


def test_token_create_refuses_an_iri_that_is_not_an_organisation(tmp_path: Path) -> None:
    result = kgservice(tmp_path, "create", "--org", "https://example.org/someone")
    assert result.returncode != 0
    assert "org/" in result.stderr
    assert not (tmp_path / "tokens.json").exists()


def test_no_token_starts_with_a_dash_that_the_command_line_would_take_for_an_option(
    tmp_path: Path,
) -> None:
    """One random token in 64 would start with "-" (``kgservice token revoke -abc`` fails)."""
    tokens = TokenFile(tmp_path / "tokens.json")
    made = [tokens.create(f"{BASE}org/lao-{i}", admin=False)[1] for i in range(400)]
    assert not [token for token in made if token.startswith("-")]
