"""Crash-safe folder replacement (energy.atomic): a crash at any step never loses a run."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from energy import atomic
from energy.atomic import OutputError, check_writable, recover, replace_dir, write_text


def _run(folder: Path, text: str) -> None:
    (folder / "summary.json").write_text(text)


def _listing(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


def test_replace_swaps_in_one_step_and_leaves_nothing_hidden(tmp_path: Path) -> None:
    target = tmp_path / "base"
    replace_dir(target, lambda d: _run(d, "old"))
    replace_dir(target, lambda d: _run(d, "new"))
    assert (target / "summary.json").read_text() == "new"
    assert _listing(tmp_path) == ["base"]


def test_failed_write_leaves_the_previous_run_and_no_debris(tmp_path: Path) -> None:
    target = tmp_path / "base"
    replace_dir(target, lambda d: _run(d, "old"))

    def half(folder: Path) -> None:
        _run(folder, "half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        replace_dir(target, half)
    assert (target / "summary.json").read_text() == "old"
    assert _listing(tmp_path) == ["base"]


def test_crash_between_the_two_renames_is_repaired_by_the_next_writer(tmp_path: Path) -> None:
    """Without an atomic swap a kill after 'base -> .base.old-X' leaves base missing; the next
    writer in the folder puts the old run back before it does anything else."""
    target = tmp_path / "base"
    replace_dir(target, lambda d: _run(d, "old"))
    # the state such a kill leaves: the old run displaced, the new one complete but hidden
    os.replace(target, tmp_path / ".base.old-5f3a9c01d2e4")
    (tmp_path / ".base.tmp-5f3a9c01d2e4").mkdir()
    _run(tmp_path / ".base.tmp-5f3a9c01d2e4", "new")
    assert "base" not in _listing(tmp_path)
    done = recover(tmp_path)
    assert len(done) == 2 and (target / "summary.json").read_text() == "old"
    assert _listing(tmp_path) == ["base"]


def test_an_error_between_the_two_renames_puts_the_old_run_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "base"
    replace_dir(target, lambda d: _run(d, "old"))
    monkeypatch.setattr(atomic, "exchange", lambda a, b: False)  # e.g. not Linux
    real_replace, calls = os.replace, []

    def fail_second(src, dst):  # noqa: ANN001, ANN202
        calls.append(dst)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real_replace(src, dst)

    monkeypatch.setattr(atomic.os, "replace", fail_second)
    with pytest.raises(KeyboardInterrupt):
        replace_dir(target, lambda d: _run(d, "new"))
    monkeypatch.undo()
    assert (target / "summary.json").read_text() == "old"
    assert _listing(tmp_path) == ["base"]


def test_without_an_atomic_swap_the_fallback_replaces_too(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(atomic, "exchange", lambda a, b: False)
    target = tmp_path / "base"
    replace_dir(target, lambda d: _run(d, "old"))
    replace_dir(target, lambda d: _run(d, "new"))
    assert (target / "summary.json").read_text() == "new"
    assert _listing(tmp_path) == ["base"]


def test_pid_named_leftover_of_an_old_version_does_not_block_writes(tmp_path: Path) -> None:
    """A `.base.old-1` (PID 1 in a container) used to crash every later solve."""
    target = tmp_path / "base"
    replace_dir(target, lambda d: _run(d, "old"))
    (tmp_path / ".base.old-1").mkdir()
    (tmp_path / ".base.old-1" / "x").write_text("stale")
    (tmp_path / ".base.tmp-k3j_2x").mkdir()
    replace_dir(target, lambda d: _run(d, "new"))
    assert (target / "summary.json").read_text() == "new"
    assert _listing(tmp_path) == ["base"]


def test_run_folders_get_the_umask_mode(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        replace_dir(tmp_path / "base", lambda d: _run(d, "x"))
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "base").stat().st_mode) == 0o755


def test_disk_full_is_one_output_error_and_nothing_half_written(tmp_path: Path) -> None:
    target = tmp_path / "base"
    replace_dir(target, lambda d: _run(d, "old"))

    def full(folder: Path) -> None:
        (folder / "network.nc").write_text("partial")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with pytest.raises(OutputError, match=r"cannot write .*base: No space left on device"):
        replace_dir(target, full)
    assert (target / "summary.json").read_text() == "old"
    assert _listing(tmp_path) == ["base"]


def test_a_file_in_place_of_the_results_folder_is_an_output_error(tmp_path: Path) -> None:
    (tmp_path / "results").write_text("not a folder")
    with pytest.raises(OutputError, match="it is a file, not a folder"):
        check_writable(tmp_path / "results")
    with pytest.raises(OutputError, match="cannot write"):
        replace_dir(tmp_path / "results" / "base", lambda d: _run(d, "x"))
    (tmp_path / "out").mkdir()
    with pytest.raises(OutputError, match="cannot write"):
        write_text(tmp_path / "out", "text")  # a folder where the file should go


def test_write_text_replaces_atomically(tmp_path: Path) -> None:
    path = tmp_path / "sweep.csv"
    write_text(path, "a\n")
    write_text(path, "b\n")
    assert path.read_text() == "b\n" and _listing(tmp_path) == ["sweep.csv"]
