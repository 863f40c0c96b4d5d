"""Who may use the portal: users and roles (a YAML file), passwords and API tokens (stored hashed),
signed session cookies carrying a CSRF token, and a limit on failed sign-ins.

A library only: the app chooses routes and cookie names and decides what each role may see.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
import tempfile
import threading
import time
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Callable, Iterator

import yaml
from itsdangerous import URLSafeTimedSerializer

from ..errors import CampaignSheetsError
from ..i18n import t
from ..outputs import atomic_path

ROLES = ("team", "analyst", "admin")
SESSION_SECONDS = 8 * 3600
SIGNIN_FORM_SECONDS = 3600
MIN_PASSWORD = 8
_SCRYPT = (2**14, 8, 1)                    # n, r, p of new hashes: 16 MiB, ~50 ms
_MAXMEM = 2**27                            # enough for the largest parameters _scrypt_parts accepts
_TOKEN = re.compile(r"sha256\$[0-9a-f]{64}")


class UsersFileError(CampaignSheetsError):
    """`portal.users_bad`, whose {reason} (a `portal.users.*` text) is shown in the reader's language too."""

    reason_key = ""

    @classmethod
    def bad(cls, path: Path, reason: str, **params: Any) -> UsersFileError:
        key = "portal.users." + reason
        err = cls.of("portal.users_bad", path=path, reason=t(key, "en", **params), **params)
        err.reason_key = key
        return err  # type: ignore[return-value]

    def text(self, lang: str) -> str:
        return t("portal.users_bad", lang, **{**self.params, "reason": t(self.reason_key, lang, **self.params)})


# ---- passwords and tokens ----

def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _utf8(password: str) -> bytes:
    # NFC: the same password typed on another system (composed vs decomposed accents) still matches
    return unicodedata.normalize("NFC", password).encode("utf-8", "surrogatepass")


def hash_password(password: str) -> str:
    """`scrypt$n$r$p$<salt>$<key>` (base64) of `password`, with a fresh random 16-byte salt."""
    n, r, p = _SCRYPT
    salt = os.urandom(16)
    key = hashlib.scrypt(_utf8(password), salt=salt, n=n, r=r, p=p, dklen=32)
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(key)}"


def _scrypt_parts(encoded: object) -> tuple[int, int, int, bytes, bytes] | None:
    """n, r, p, salt, key of a scrypt hash; None if malformed or so costly that a users file could
    make one sign-in take seconds or gigabytes."""
    try:
        kind, *costs, salt, key = str(encoded).split("$")
        n, r, p = (int(c) for c in costs)
        salt, key = base64.b64decode(salt, validate=True), base64.b64decode(key, validate=True)
    except ValueError:   # wrong number of parts, not numbers, not base64
        return None
    ok = (kind == "scrypt" and 2 <= n <= 2**16 and n & (n - 1) == 0 and 1 <= r <= 8 and 1 <= p <= 4
          and len(salt) >= 8 and 16 <= len(key) <= 64)
    return (n, r, p, salt, key) if ok else None


def verify_password(password: str, encoded: str) -> bool:
    """Whether `password` matches `encoded` (from `hash_password`); False for any other format."""
    parts = _scrypt_parts(encoded) if isinstance(encoded, str) else None
    if parts is None or not isinstance(password, str):
        return False
    n, r, p, salt, key = parts
    try:
        got = hashlib.scrypt(_utf8(password), salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM, dklen=len(key))
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(got, key)


@cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def _token_hash(token: str) -> str:
    return "sha256$" + hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _usable_name(name: object) -> bool:
    return isinstance(name, str) and 0 < len(name) <= 64 and name == name.strip() and name.isprintable()


# ---- users ----

@dataclass(frozen=True)
class User:
    name: str
    role: str

    @property
    def can_see_all(self) -> bool:
        """Analysts and admins see every team's submissions; a team sees its own."""
        return self.role in ("analyst", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class _Entry:
    user: User
    password: str
    token: str | None


class Users:
    """The users of one users file, by name."""

    def __init__(self, entries: dict[str, _Entry]) -> None:
        self._entries = entries

    @classmethod
    def load(cls, path: str | os.PathLike) -> Users:
        """The users in the YAML file at `path`; `UsersFileError` (portal.users_bad) if it is unusable."""
        return cls(_read(Path(path))[1])

    def get(self, name: str) -> User | None:
        entry = self._entries.get(name) if isinstance(name, str) else None
        return entry.user if entry else None

    def authenticate(self, name: str, password: str) -> User | None:
        """The user if `password` is theirs, else None."""
        entry = self._entries.get(name) if isinstance(name, str) else None
        if entry is None:
            verify_password(password, _dummy_hash())   # as slow as a real check: timing must not tell who exists
            return None
        return entry.user if verify_password(password, entry.password) else None

    def by_token(self, token: str) -> User | None:
        """The user whose API token this is, else None."""
        if not isinstance(token, str) or not token:
            return None
        digest, found = _token_hash(token).encode("ascii"), None
        for entry in self._entries.values():   # no early exit: every stored hash is compared
            if entry.token is not None and hmac.compare_digest(entry.token.encode("ascii"), digest):
                found = entry.user
        return found

    def __iter__(self) -> Iterator[User]:
        return (entry.user for entry in self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)


def _read(path: Path) -> tuple[dict, dict[str, _Entry]]:
    """The file's whole document (what `add_user` writes back) and its checked users."""
    try:
        text = path.read_text(encoding="utf-8-sig")   # -sig: Windows editors add a BOM
    except FileNotFoundError:
        raise UsersFileError.bad(path, "missing") from None
    except UnicodeDecodeError:
        raise UsersFileError.bad(path, "encoding") from None
    except OSError as exc:
        raise UsersFileError.bad(path, "unreadable", detail=exc.strerror or type(exc).__name__) from None
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        doc = loader.construct_document(root) if root is not None else {"users": []}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        detail = getattr(exc, "problem", None) or type(exc).__name__
        raise UsersFileError.bad(path, "yaml", line=mark.line + 1 if mark else "?", detail=detail) from None
    finally:
        loader.dispose()
    if isinstance(doc, dict) and doc.get("users", False) is None:   # "users:" with nobody under it yet
        doc["users"] = []
    if not isinstance(doc, dict) or not isinstance(doc.get("users"), list):
        raise UsersFileError.bad(path, "shape")
    lines = _item_lines(root)
    entries: dict[str, _Entry] = {}
    first: dict[str, Any] = {}
    for i, item in enumerate(doc["users"]):
        line = lines[i] if i < len(lines) else "?"
        if not isinstance(item, dict):
            raise UsersFileError.bad(path, "entry", line=line)
        name, role, password, token = (item.get(k) for k in ("name", "role", "password", "token"))
        if not _usable_name(name):
            raise UsersFileError.bad(path, "name", line=line, name="" if name is None else name)
        if name in entries:
            raise UsersFileError.bad(path, "duplicate", line=line, name=name, first=first[name])
        if role not in ROLES:
            raise UsersFileError.bad(path, "role", line=line, name=name, role=role, roles=", ".join(ROLES))
        if not password:
            raise UsersFileError.bad(path, "password_missing", line=line, name=name)
        if _scrypt_parts(password) is None:
            raise UsersFileError.bad(path, "password_format", line=line, name=name)
        if token is not None and not (isinstance(token, str) and _TOKEN.fullmatch(token)):
            raise UsersFileError.bad(path, "token", line=line, name=name)
        entries[name], first[name] = _Entry(User(name, role), password, token), line
    return doc, entries


def _item_lines(root: yaml.Node | None) -> list[int]:
    """The line each entry of the users list starts on."""
    for key, value in root.value if isinstance(root, yaml.MappingNode) else ():
        if key.value == "users" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def add_user(path: str | os.PathLike, name: str, role: str, password: str) -> str:
    """Add user `name` to the users file at `path` (made if missing), or give them a new role,
    password and token; everyone and everything else in the file is kept (but not its comments).
    Returns the user's new API token: shown this once, only its hash is stored."""
    if not _usable_name(name):
        raise CampaignSheetsError.of("portal.name_bad", name=name)
    if role not in ROLES:
        raise CampaignSheetsError.of("portal.role_unknown", role=role, roles=", ".join(ROLES))
    if len(password) < MIN_PASSWORD:
        raise CampaignSheetsError.of("portal.password_short", min=MIN_PASSWORD)
    path = Path(path)
    doc = _read(path)[0] if path.exists() else {"users": []}   # an unusable file raises: never overwritten
    token = secrets.token_urlsafe(32)
    fields = {"role": role, "password": hash_password(password), "token": _token_hash(token)}
    for item in doc["users"]:
        if item["name"] == name:
            item.update(fields)
            break
    else:
        doc["users"].append({"name": name, **fields})
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, default_flow_style=False)
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    os.chmod(path, 0o600)
    return token


# ---- sessions and CSRF ----

@dataclass(frozen=True)
class Session:
    name: str
    csrf: str


def _loads(serializer: URLSafeTimedSerializer, value: object, max_age: int) -> Any:
    """The signed payload of `value`, or None if it is missing, tampered with, expired or garbage."""
    if not isinstance(value, str) or not value or len(value) > 4096:
        return None
    try:
        return serializer.loads(value, max_age=max_age)
    except Exception:   # BadData, or whatever a crafted value provokes while decoding: a cookie never raises
        return None


class Sessions:
    """Signed, stateless session values: nothing is kept server-side, so a value stays valid until it
    expires. The app must still look the name up (`Users.get`) on each request: removed users are out."""

    def __init__(self, secret: bytes | str) -> None:
        if not secret:
            raise ValueError("empty session secret")
        self._session = URLSafeTimedSerializer(secret, salt="campaign-sheets-session")
        self._signin = URLSafeTimedSerializer(secret, salt="campaign-sheets-signin-form")

    def issue(self, user: User) -> str:
        """A session value for `user`, with a new CSRF token."""
        return self._session.dumps({"name": user.name, "csrf": secrets.token_urlsafe(32)})

    def read(self, value: str | None, max_age: int = SESSION_SECONDS) -> Session | None:
        data = _loads(self._session, value, max_age)
        if isinstance(data, dict) and isinstance(data.get("name"), str) and isinstance(data.get("csrf"), str):
            return Session(data["name"], data["csrf"])
        return None

    def anonymous(self) -> str:
        """A signed random value for the cookie of a form shown before sign-in (the sign-in form);
        `anonymous_csrf` of it goes in the form."""
        return self._signin.dumps(secrets.token_urlsafe(32))

    def anonymous_csrf(self, value: str | None, max_age: int = SIGNIN_FORM_SECONDS) -> str | None:
        data = _loads(self._signin, value, max_age)
        return data if isinstance(data, str) and data else None

    @staticmethod
    def check_csrf(session: Session | str | None, submitted: str | None) -> bool:
        return check_csrf(session, submitted)


def check_csrf(session: Session | str | None, submitted: str | None) -> bool:
    """Whether a form's CSRF token is the session's (or, before sign-in, `anonymous_csrf` of the cookie)."""
    expected = session.csrf if isinstance(session, Session) else session
    if not isinstance(expected, str) or not expected or not isinstance(submitted, str) or not submitted:
        return False
    return hmac.compare_digest(expected.encode("utf-8", "replace"), submitted.encode("utf-8", "replace"))


def cookie_kwargs(secure: bool, max_age: int = SESSION_SECONDS) -> dict[str, Any]:
    """Attributes for `Response.set_cookie` of a session (or, with its max_age, a sign-in form) cookie."""
    return dict(httponly=True, samesite="strict", secure=secure, path="/", max_age=max_age)


def secret_from(path: str | os.PathLike) -> bytes:
    """The session secret in the file at `path`, made (32 random bytes as hex, mode 0600) if missing,
    so every `serve` sharing the folder signs alike."""
    path = Path(path)
    try:
        try:
            secret = path.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            secret = _make_secret(path)
    except (OSError, UnicodeError) as exc:
        raise CampaignSheetsError.of("portal.secret_unreadable", path=path,
                                     reason=getattr(exc, "strerror", None) or type(exc).__name__) from None
    if len(secret) < 32:
        raise CampaignSheetsError.of("portal.secret_short", path=path, min=32)
    return secret.encode("utf-8")


def _make_secret(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_hex(32)
    fd, tmp = tempfile.mkstemp(prefix=".~", dir=path.parent)   # 0600 from the start, never readable by others
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(secret + "\n")
        try:
            os.link(tmp, path)   # unlike a rename, refuses to replace: of two serves starting at once, the first wins
        except FileExistsError:
            return path.read_text(encoding="utf-8").strip()
    finally:
        os.unlink(tmp)
    return secret


# ---- failed sign-ins ----

class SignInLimiter:
    """Refuses a key (e.g. f"{client_ip}|{username}") after `max_failures` failed sign-ins within
    `window_seconds`, until the oldest of them leaves the window. In memory, per process; at most
    `max_keys` keys, the least recently failed dropped first."""

    def __init__(self, max_failures: int = 5, window_seconds: float = 300,
                 clock: Callable[[], float] = time.monotonic, max_keys: int = 10_000) -> None:
        self.max_failures, self.window, self.clock, self.max_keys = max_failures, window_seconds, clock, max_keys
        self._failures: OrderedDict[str, list[float]] = OrderedDict()   # oldest last failure first
        self._lock = threading.Lock()   # sync endpoints run in a thread pool

    def _recent(self, key: str, now: float) -> list[float]:
        return [at for at in self._failures.get(key, ()) if now - at < self.window]

    def retry_after(self, key: str) -> float:
        """Seconds until `key` may try again; 0 if it may now."""
        with self._lock:
            now = self.clock()
            recent = self._recent(key, now)
            if len(recent) < self.max_failures:
                return 0.0
            return recent[-self.max_failures] + self.window - now

    def allowed(self, key: str) -> bool:
        return self.retry_after(key) == 0

    def failed(self, key: str) -> None:
        with self._lock:
            now = self.clock()
            recent = self._recent(key, now)
            self._failures.pop(key, None)
            self._failures[key] = (recent + [now])[-self.max_failures:]
            while self._failures:
                oldest, times = next(iter(self._failures.items()))
                if len(self._failures) <= self.max_keys and now - times[-1] < self.window:
                    break
                del self._failures[oldest]

    def attempt(self, key: str) -> bool:
        """Count an attempt before checking it (so parallel guesses cannot all pass the check first):
        False, counting nothing, when `key` must wait; True otherwise. `succeeded` or `forgive` after."""
        with self._lock:
            now = self.clock()
            if len(self._recent(key, now)) >= self.max_failures:
                return False
        self.failed(key)
        return True

    def forgive(self, key: str) -> None:
        """Take back the attempt `attempt` counted (a sign-in that worked, for a per-address key)."""
        with self._lock:
            times = self._failures.get(key)
            if times:
                times.pop()

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)
