"""`oniondex user add` reads the password from standard input, never from the command line."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT
from web.accounts import AccountStore


def user(data_dir, *args, stdin=""):
    env = {**os.environ, "ONIONDEX_DATA_DIR": str(data_dir)}
    command = [sys.executable, "-m", "oniondex", "user", *args]
    return subprocess.run(command, input=stdin, capture_output=True, text=True, env=env, cwd=ROOT, check=False)


def test_user_add_with_password_stdin(tmp_path):
    added = user(tmp_path, "add", "kim", "--password-stdin", stdin="a long passphrase\n")
    assert added.returncode == 0, added.stderr
    assert AccountStore(tmp_path / "accounts.db").verify("kim", "a long passphrase")
    assert user(tmp_path, "list").stdout == "kim\n"
    again = user(tmp_path, "add", "kim", "--password-stdin", stdin="a long passphrase\n")
    assert again.returncode == 1
    assert "already exists" in again.stderr
