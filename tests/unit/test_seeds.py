import subprocess
import sys

import pytest

from oniondex.seeds import SeedError, load_seeds, load_seeds_strict

GOOD = "2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion"
BAD_CHECKSUM = GOOD[:5] + ("b" if GOOD[5] != "b" else "c") + GOOD[6:]


def write(tmp_path, text):
    path = tmp_path / "seeds.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_fields_normalisation_and_duplicates(tmp_path):
    path = write(
        tmp_path,
        f"# watch list\n\nhttp://{GOOD.upper()}/market  tags=Market, ko  case=2026-017  note=moved in May\n"
        f"{GOOD}/market\n",
    )
    seeds = load_seeds(path)
    assert [s.url for s in seeds.seeds] == [f"http://{GOOD}/market"]
    seed = seeds.seeds[0]
    assert (seed.site, seed.tags, seed.case, seed.note) == (GOOD, ("market", "ko"), "2026-017", "moved in May")
    assert [(p.line, p.is_error) for p in seeds.problems] == [(4, False)]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("http://expyuzz4wqqyqhjn.onion/", "v2 onion name"),
        (f"http://{BAD_CHECKSUM}/", "fails its checksum"),
        ("https://example.com/shop", "not an onion URL"),
        (f"ftp://{GOOD}/", "only http and https"),
        (f"http://{GOOD}/ stray words", "expected one URL"),
    ],
)
def test_each_error_names_file_and_line(tmp_path, line, message):
    path = write(tmp_path, f"# header\n{line}\n")
    with pytest.raises(SeedError) as excinfo:
        load_seeds_strict(path)
    (problem,) = excinfo.value.problems
    assert problem.line == 2
    assert str(problem).startswith(f"{path}:2: error:")
    assert message in problem.message


def test_cli_check_reports_and_exits_nonzero(tmp_path):
    path = write(
        tmp_path, f"http://{GOOD}/\nhttp://expyuzz4wqqyqhjn.onion/\nhttps://example.com/\nhttp://{BAD_CHECKSUM}/\n"
    )
    run = subprocess.run(
        [sys.executable, "-m", "oniondex", "seeds", "check", str(path)], capture_output=True, text=True, check=False
    )
    assert run.returncode == 1
    assert f"{path}:2: error:" in run.stdout
    assert "v2" in run.stdout
    assert f"{path}:3: error:" in run.stdout
    assert "not an onion URL" in run.stdout
    assert f"{path}:4: error:" in run.stdout
    assert "checksum" in run.stdout
    assert "1 seeds, 3 errors" in run.stdout


def test_cli_check_passes_a_clean_list(tmp_path):
    path = write(tmp_path, f"http://{GOOD}/ tags=x\n")
    run = subprocess.run(
        [sys.executable, "-m", "oniondex", "seeds", "check", str(path)], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout


def test_channel_seeds_in_every_form_normalise_to_one(tmp_path):
    path = write(
        tmp_path,
        "t.me/Ice_Gangnam24  tags=Telegram,ko  case=2026-017  note=sells in Gangnam\n"
        "https://t.me/s/ice_gangnam24\n@ICE_GANGNAM24\ntelegram.me/ice_gangnam24/123\n"
        f"http://{GOOD}/\n",
    )
    seeds = load_seeds(path)
    channel, onion = seeds.seeds
    assert (channel.url, channel.site, channel.channel) == (
        "https://t.me/s/ice_gangnam24",
        "t.me/ice_gangnam24",
        "ice_gangnam24",
    )
    assert (channel.tags, channel.case, channel.note) == (("telegram", "ko"), "2026-017", "sells in Gangnam")
    assert not onion.is_channel
    assert channel.is_channel
    assert [(p.line, p.is_error) for p in seeds.problems] == [(2, False), (3, False), (4, False)]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("@abcd", "5-32 characters"),
        ("t.me/" + "a" * 33, "5-32 characters"),
        ("@1channel", "starts with a letter"),
        ("@channel_", "does not end with _"),
        ("t.me/chan-nel", "letters, digits and _"),
        ("t.me/+AbCdEfGhIjK", "invite link"),
        ("https://t.me/joinchat/AbCdEfGh", "invite link"),
        ("t.me/share", "a page of t.me"),
        ("https://t.me/", "names no channel"),
    ],
)
def test_bad_channel_seed_names_file_and_line(tmp_path, line, message):
    path = write(tmp_path, f"# header\n{line}\n")
    with pytest.raises(SeedError) as excinfo:
        load_seeds_strict(path)
    (problem,) = excinfo.value.problems
    assert str(problem).startswith(f"{path}:2: error:")
    assert message in problem.message


def test_cli_check_covers_channels(tmp_path):
    path = write(tmp_path, "@good_channel\n@bad\nhttps://example.com/\n")
    run = subprocess.run(
        [sys.executable, "-m", "oniondex", "seeds", "check", str(path)], capture_output=True, text=True, check=False
    )
    assert run.returncode == 1
    assert f"{path}:2: error:" in run.stdout
    assert "5-32 characters" in run.stdout
    assert f"{path}:3: error:" in run.stdout
    assert "not an onion URL" in run.stdout
    assert "1 seeds, 2 errors" in run.stdout
