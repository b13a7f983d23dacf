"""Writers' bearer tokens: each bound to one organisation, some also administrators.

Only a SHA-256 digest of each token is kept (in ``settings.tokens_path``, mode 0600); the token
itself is shown once, when it is created. Commands that change the file hold a lock on a file
beside it (``tokens.json.lock``) from reading it to replacing it.
"""

import fcntl
import hashlib
import hmac
import json
import os
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from kgservice.errors import BadRequest, Forbidden, NotFound, StoreUnavailable, Unauthorized
from kgservice.namespaces import graph_iri
from kgservice.reserved import reserved_ids
from kgservice.settings import Settings


@dataclass(frozen=True)
class Principal:
    """Who is writing: an organisation, perhaps with administrator rights."""

    org_iri: str
    org_id: str
    admin: bool = False


@dataclass(frozen=True)
class TokenRecord:
    id: str
    sha256: str
    org: str
    admin: bool
    created: str


class BearerRequired(Unauthorized):
    """No usable bearer token; the response tells the client which scheme to use."""

    headers = {"WWW-Authenticate": 'Bearer realm="kgservice"'}


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def org_id_of(org_iri: str, base_iri: str) -> str:
    """The organisation id of ``{base}org/{id}``; anything else is refused."""
    prefix = f"{base_iri}org/"
    org_id = org_iri.removeprefix(prefix)
    if not org_iri.startswith(prefix) or not org_id or "/" in org_id:
        raise BadRequest(f"not an organisation IRI under {prefix}: {org_iri}")
    return org_id


def claimable_org_id(org_iri: str, settings: Settings) -> str:
    """The id of an organisation a token may be made for: one that names no service graph or
    shared bundled graph, which its token would otherwise write (``reserved``)."""
    org_id = org_id_of(org_iri, settings.base_iri)
    if org_id in reserved_ids(settings):
        raise BadRequest(
            f"รหัสหน่วยงาน {org_id!r} เป็นชื่อกราฟของระบบ (the organisation id {org_id!r} names "
            "one of the service's graphs; choose another id)",
            org=org_iri,
        )
    return org_id


class TokenFile:
    """The token records of one deployment, read from and written to one JSON file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def records(self) -> list[TokenRecord]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:  # no token made yet
            return []
        except OSError as exc:  # e.g. beside a data directory under a file
            raise self._unusable(exc) from None
        return [TokenRecord(**r) for r in json.loads(text)["tokens"]]

    def create(self, org_iri: str, *, admin: bool) -> tuple[TokenRecord, str]:
        token = _new_token()
        with self._locked():
            records = self.records()
            record = TokenRecord(
                id=_new_id({r.id for r in records}),
                sha256=digest(token),
                org=org_iri,
                admin=admin,
                created=datetime.now(UTC).isoformat(timespec="seconds"),
            )
            self._write([*records, record])
        return record, token

    def revoke(self, token_or_id: str) -> TokenRecord:
        """Remove the token whose id or value is ``token_or_id``."""
        with self._locked():
            records = self.records()
            gone = [
                r for r in records if r.id == token_or_id or _same(r.sha256, digest(token_or_id))
            ]
            if not gone:
                raise NotFound("no such token")
            self._write([r for r in records if r not in gone])
        return gone[0]

    def find(self, token: str) -> TokenRecord | None:
        presented = digest(token)
        found = None
        for record in self.records():
            if _same(record.sha256, presented):
                found = record
        return found

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Held from reading the records to replacing the file, so that concurrent commands
        neither drop each other's new tokens nor write back one just revoked. Readers need no
        lock: the file is replaced whole."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            lock = open(self.path.with_name(self.path.name + ".lock"), "a")
        except OSError as exc:  # it lives beside the data directory, by default
            raise self._unusable(exc) from None
        with lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            yield

    def _unusable(self, exc: OSError) -> StoreUnavailable:
        return StoreUnavailable(f"ใช้ไฟล์โทเค็น {self.path} ไม่ได้ (cannot use it): {exc}")

    def _write(self, records: list[TokenRecord]) -> None:
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tokens-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump({"tokens": [asdict(r) for r in records]}, out, indent=2)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _new_id(taken: set[str]) -> str:
    """A short id for revoking by, unique in the file (32 random bits may repeat)."""
    while (token_id := secrets.token_hex(4)) in taken:
        pass
    return token_id


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("ascii"), b.encode("ascii"))


def authenticate(authorization: str | None, settings: Settings) -> Principal:
    """The principal a ``Authorization: Bearer ...`` header value stands for."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise BearerRequired("ต้องมีโทเค็น (Authorization: Bearer ...) / a bearer token is required")
    record = TokenFile(settings.tokens_path).find(token.strip())
    if record is None:
        raise BearerRequired("โทเค็นไม่ถูกต้องหรือถูกเพิกถอน / invalid or revoked token")
    return Principal(record.org, org_id_of(record.org, settings.base_iri), record.admin)


def may_write(principal: Principal, graph: str, settings: Settings) -> bool:
    """An administrator writes any graph; an organisation its own, unless its id names a service
    graph (a token made before such ids were refused)."""
    if principal.admin:
        return True
    own = graph_iri(settings.base_iri, principal.org_id)
    return graph == own and principal.org_id not in reserved_ids(settings)


def check_may_write(principal: Principal, graph: str, settings: Settings) -> None:
    if not may_write(principal, graph, settings):
        raise Forbidden(
            f"{principal.org_iri} เขียนได้เฉพาะกราฟของตนเอง / may write only its own graph",
            graph=graph,
            allowed=graph_iri(settings.base_iri, principal.org_id),
        )


def _new_token() -> str:
    """A random token that does not start with "-", which a command line would take for an
    option (``kgservice token revoke TOKEN``)."""
    while (token := secrets.token_urlsafe(32)).startswith("-"):
        pass
    return token
