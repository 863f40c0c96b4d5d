"""Portal sign-in: password hashes, the users file, API tokens, session cookies, CSRF, the sign-in limiter."""
import os
import stat
import sys

import pytest
from itsdangerous import TimestampSigner

from campaign_sheets.errors import CampaignSheetsError
from campaign_sheets.portal.auth import (
    SESSION_SECONDS, Session, Sessions, SignInLimiter, User, Users, add_user, check_csrf, cookie_kwargs,
    hash_password, secret_from, verify_password,
)

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")


@pytest.fixture(scope="module")
def alice_hash():
    return hash_password("correct horse")


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


# ---- passwords ----

def test_a_password_verifies_and_a_wrong_one_does_not(alice_hash):
    assert alice_hash.startswith("scrypt$16384$8$1$")
    assert verify_password("correct horse", alice_hash)
    assert not verify_password("correct horsE", alice_hash)
    assert not verify_password("", alice_hash)


def test_two_hashes_of_one_password_differ_by_their_salt(alice_hash):
    again = hash_password("correct horse")
    assert again != alice_hash and again.split("$")[4] != alice_hash.split("$")[4]
    assert verify_password("correct horse", again)


def test_tampered_or_foreign_hashes_never_verify(alice_hash):
    kind, n, r, p, salt, key = alice_hash.split("$")
    flipped = ("A" if key[0] != "A" else "B") + key[1:]
    for bad in ["$".join([kind, n, r, p, salt, flipped]),
                "$".join([kind, n, r, p, salt[::-1], key]),
                "$".join([kind, "2048", r, p, salt, key]),
                "$".join([kind, str(2**30), r, p, salt, key]),   # too costly to check: refused, not run
                "correct horse", "bcrypt$2b$12$abc", "scrypt$x$8$1$a$b", "", None]:
        assert not verify_password("correct horse", bad), bad


# ---- the users file ----

def test_users_load_and_authenticate(tmp_path, alice_hash):
    path = _write(tmp_path / "users.yaml", f"""users:
  - name: alice
    role: analyst
    password: "{alice_hash}"
  - name: 小王
    role: team
    password: "{alice_hash}"
""")
    users = Users.load(path)
    assert users.authenticate("alice", "correct horse") == User("alice", "analyst")
    assert users.authenticate("alice", "wrong") is None
    assert users.authenticate("nobody", "correct horse") is None
    assert users.get("小王") == User("小王", "team") and users.get("bob") is None
    assert len(users) == 2 and [u.name for u in users] == ["alice", "小王"]
    assert users.get("alice").can_see_all and not users.get("alice").is_admin
    assert not users.get("小王").can_see_all
    assert User("root", "admin").can_see_all and User("root", "admin").is_admin


@pytest.mark.parametrize("body, words", [
    ("users:\n  - name: alice\n    role: owner\n    password: '{h}'\n",
     ["line 2", "alice", "owner", "team, analyst, admin"]),
    ("users:\n  - name: alice\n    role: team\n    password: '{h}'\n"
     "  - name: alice\n    role: admin\n    password: '{h}'\n", ["line 5", "alice", "twice", "line 2"]),
    ("users:\n  - name: bob\n    role: team\n", ["line 2", "bob", "no password"]),
    ("users:\n  - name: bob\n    role: team\n    password: hunter22\n", ["line 2", "bob", "scrypt$"]),
    ("users:\n  - name: bob\n    role: team\n    password: '{h}'\n    token: abc\n", ["line 2", "bob", "token"]),
    ("users:\n  - name: 123\n    role: team\n    password: '{h}'\n", ["line 2", "123", "quotes"]),
    ("users:\n  - alice\n", ["line 2", "entry"]),
    ("users:\n  - name: [alice\n", ["line", "YAML"]),
    ("- alice\n", ["users:"]),
])
def test_an_unusable_users_file_says_which_file_and_what(tmp_path, alice_hash, body, words):
    path = _write(tmp_path / "users.yaml", body.replace("{h}", alice_hash))
    with pytest.raises(CampaignSheetsError) as info:
        Users.load(path)
    err = info.value
    assert err.key == "portal.users_bad" and err.path == str(path)
    message = str(err)
    assert message.startswith(str(path) + ": the users file cannot be used: ")
    for word in words:
        assert word in message, (word, message)
    assert "Traceback" not in message and 'File "' not in message
    assert err.__cause__ is None and (err.__context__ is None or err.__suppress_context__)   # no chained trace
    zh = err.text("zh-CN")
    assert zh.startswith("用户文件无法使用：") and "the users file" not in zh


def test_a_missing_users_file_is_named(tmp_path):
    with pytest.raises(CampaignSheetsError) as info:
        Users.load(tmp_path / "nope.yaml")
    assert str(info.value) == f"{tmp_path / 'nope.yaml'}: the users file cannot be used: the file does not exist"
    assert info.value.text("zh-CN") == "用户文件无法使用：找不到该文件"


def test_an_empty_users_list_loads_with_nobody(tmp_path):
    assert len(Users.load(_write(tmp_path / "u.yaml", "users:\n"))) == 0
    assert len(Users.load(_write(tmp_path / "v.yaml", ""))) == 0


def test_add_user_gives_a_token_stored_only_as_its_hash(tmp_path):
    path = tmp_path / "sub" / "users.yaml"
    token = add_user(path, "alice", "team", "correct horse")
    users = Users.load(path)
    assert users.by_token(token) == User("alice", "team")
    assert users.by_token(token + "x") is None and users.by_token("") is None and users.by_token(None) is None
    assert users.authenticate("alice", "correct horse") == User("alice", "team")
    text = path.read_text(encoding="utf-8")
    assert token not in text and "correct horse" not in text and "sha256$" in text
    assert len(token) >= 40


def test_add_user_keeps_the_others_and_replaces_one(tmp_path, alice_hash):
    path = _write(tmp_path / "users.yaml", f"""users:
  - name: carol
    role: admin
    password: "{alice_hash}"
    team: north        # a field the portal may add later
  - name: bob
    role: team
    password: "{alice_hash}"
""")
    first = add_user(path, "dave", "analyst", "dave's password")
    second = add_user(path, "bob", "analyst", "new password")
    users = Users.load(path)
    assert [u.name for u in users] == ["carol", "bob", "dave"]
    assert users.get("bob") == User("bob", "analyst")
    assert users.authenticate("bob", "new password") and not users.authenticate("bob", "correct horse")
    assert users.authenticate("carol", "correct horse") == User("carol", "admin")
    assert users.by_token(first) == User("dave", "analyst") and users.by_token(second) == User("bob", "analyst")
    assert "team: north" in path.read_text(encoding="utf-8")
    third = add_user(path, "bob", "team", "newer password")
    assert Users.load(path).by_token(second) is None and Users.load(path).by_token(third) == User("bob", "team")


def test_add_user_refuses_bad_input_and_never_overwrites_a_broken_file(tmp_path):
    path = tmp_path / "users.yaml"
    for args, key in [(("alice", "owner", "long enough"), "portal.role_unknown"),
                      ((" alice", "team", "long enough"), "portal.name_bad"),
                      (("alice", "team", "short"), "portal.password_short")]:
        with pytest.raises(CampaignSheetsError) as info:
            add_user(path, *args)
        assert info.value.key == key
    assert not path.exists()
    _write(path, "users: [oops\n")
    with pytest.raises(CampaignSheetsError, match="YAML"):
        add_user(path, "alice", "team", "long enough")
    assert path.read_text(encoding="utf-8") == "users: [oops\n"


@posix_only
def test_the_users_file_is_private(tmp_path):
    path = tmp_path / "users.yaml"
    add_user(path, "alice", "team", "correct horse")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    os.chmod(path, 0o644)
    add_user(path, "bob", "team", "correct horse")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["users.yaml"]   # no temporary file left behind


# ---- sessions and CSRF ----

def test_a_session_round_trips_and_carries_a_csrf_token():
    sessions = Sessions(b"k" * 32)
    value = sessions.issue(User("alice", "team"))
    session = sessions.read(value)
    assert session is not None and session.name == "alice" and len(session.csrf) >= 40
    assert sessions.read(sessions.issue(User("alice", "team"))).csrf != session.csrf
    assert check_csrf(session, session.csrf) and sessions.check_csrf(session, session.csrf)
    assert not check_csrf(session, session.csrf[:-1]) and not check_csrf(session, "")
    assert not check_csrf(session, None) and not check_csrf(None, session.csrf)
    assert not check_csrf(Session("alice", ""), "")


def test_tampered_foreign_or_garbage_session_values_read_as_none():
    sessions = Sessions("one secret that is long enough!!")
    value = sessions.issue(User("alice", "admin"))
    payload, rest = value.split(".", 1)
    forged = Sessions("one secret that is long enough!!")._session.dumps({"name": "alice"})   # no csrf: refused
    for bad in [value[:-2] + ("AA" if value[-2:] != "AA" else "BB"), payload + "x." + rest,
                Sessions("another secret, just as long!!!!").issue(User("alice", "admin")),
                sessions.anonymous(), forged, "", None, "garbage", "a.b.c", "é" * 50, "x" * 10_000]:
        assert sessions.read(bad) is None, bad


def test_an_expired_session_reads_as_none(monkeypatch):
    sessions = Sessions(b"k" * 32)
    value = sessions.issue(User("alice", "team"))
    assert sessions.read(value, max_age=-1) is None
    now = TimestampSigner.get_timestamp(TimestampSigner(b"k"))
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: now + SESSION_SECONDS + 5)
    assert sessions.read(value) is None
    assert sessions.read(value, max_age=SESSION_SECONDS + 60) is not None


def test_the_sign_in_form_has_its_own_signed_csrf():
    sessions = Sessions(b"k" * 32)
    cookie = sessions.anonymous()
    token = sessions.anonymous_csrf(cookie)
    assert token and token not in cookie.split(".")[1:]
    assert check_csrf(token, token) and not check_csrf(token, token + "x")
    assert sessions.anonymous_csrf(sessions.issue(User("alice", "team"))) is None   # a session is not a form token
    assert sessions.anonymous_csrf(cookie[:-1]) is None and sessions.anonymous_csrf(None) is None
    assert sessions.anonymous_csrf(cookie, max_age=-1) is None


def test_cookie_attributes():
    assert cookie_kwargs(True) == {"httponly": True, "samesite": "strict", "secure": True, "path": "/",
                                   "max_age": SESSION_SECONDS}
    assert cookie_kwargs(False)["secure"] is False


@posix_only
def test_the_secret_is_made_once_privately_and_shared(tmp_path):
    path = tmp_path / "store" / "secret.key"
    secret = secret_from(path)
    assert len(secret) == 64 and bytes.fromhex(secret.decode())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert secret_from(path) == secret
    assert [p.name for p in path.parent.iterdir()] == ["secret.key"]
    value = Sessions(secret).issue(User("alice", "team"))
    assert Sessions(secret_from(path)).read(value).name == "alice"   # another serve, same folder


def test_a_short_secret_file_is_refused(tmp_path):
    with pytest.raises(CampaignSheetsError) as info:
        secret_from(_write(tmp_path / "secret.key", "\n"))
    assert info.value.key == "portal.secret_short" and info.value.path == str(tmp_path / "secret.key")


# ---- failed sign-ins ----

class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_the_limiter_blocks_after_five_failures_until_the_window_passes():
    clock = FakeClock()
    limiter = SignInLimiter(clock=clock)
    key = "10.0.0.1|alice"
    for _ in range(4):
        limiter.failed(key)
        clock.now += 10
    assert limiter.allowed(key)
    limiter.failed(key)
    assert not limiter.allowed(key) and limiter.allowed("10.0.0.2|alice") and limiter.allowed("10.0.0.1|bob")
    assert limiter.retry_after(key) == pytest.approx(300 - 40)
    clock.now += 259
    assert not limiter.allowed(key)
    clock.now += 2   # the first failure has left the window
    assert limiter.allowed(key)
    limiter.failed(key)
    assert not limiter.allowed(key)   # still five within the window


def test_success_resets_the_limiter():
    clock = FakeClock()
    limiter = SignInLimiter(max_failures=3, window_seconds=60, clock=clock)
    for _ in range(2):
        limiter.failed("k")
    limiter.succeeded("k")
    for _ in range(2):
        limiter.failed("k")
    assert limiter.allowed("k")
    limiter.failed("k")
    assert not limiter.allowed("k")
    limiter.succeeded("k")
    assert limiter.allowed("k")


def test_the_limiter_stays_bounded():
    clock = FakeClock()
    limiter = SignInLimiter(clock=clock)
    for i in range(50_000):
        limiter.failed(f"10.0.{i // 256}.{i % 256}|user{i}")
    assert len(limiter._failures) <= 10_000
    for _ in range(5):
        limiter.failed("attacker|alice")
    assert not limiter.allowed("attacker|alice")   # the newest keys are kept
    clock.now += 301
    limiter.failed("later|bob")
    assert len(limiter._failures) == 1   # expired keys go first
