"""Crash-safe writing: a folder or file appears complete, or not at all, whatever happens.

Protocol for a folder ``P/NAME`` (a run folder, the profile cache):

1. lock ``P`` (``flock`` on the folder itself). The kernel releases the lock when its process
   ends, however it ends (SIGKILL included), so a dead writer never leaves a stale lock and a
   writer that holds it knows no one else is half-way through writing in ``P``;
2. recover what dead writers left: every ``.NAME.tmp-*`` is removed, a displaced
   ``.NAME.old-*`` is put back when ``NAME`` is missing and removed otherwise;
3. write into ``.NAME.tmp-<random>`` (a new name for every attempt, never a process id, which
   containers reuse; created with the mode the umask gives, like any folder the user makes);
4. swap it with ``NAME`` in one step (Linux ``renameat2(RENAME_EXCHANGE)``); where that is not
   available: rename ``NAME`` to ``.NAME.old-<random>``, then the new folder to ``NAME`` (a crash
   between the two leaves ``NAME`` missing until step 2 of the next writer puts it back);
5. remove the old content (now in the temporary name).

A crash at any step leaves ``NAME`` old or new, never half-written; debris has a hidden
``.tmp-``/``.old-`` name and is cleaned by the next writer in the same folder. Errors of the
file system (read-only folder, disk full, a file where a folder should be) are raised as
:class:`OutputError` with one line naming the path.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import logging
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

try:  # POSIX only; elsewhere writing is atomic per rename but not locked
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

#: hidden debris of an interrupted write: ``.NAME.tmp-TOKEN`` or ``.NAME.old-TOKEN`` (a
#: process id in folders written before tokens were random)
DEBRIS = re.compile(r"^\.(?P<name>.+)\.(?P<kind>tmp|old)-(?P<token>[A-Za-z0-9_]+)$")

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class OutputError(OSError):
    """A result location that cannot be written (not a folder, read-only, disk full ...)."""


def output_error(path: Path, err: OSError) -> OutputError:
    """An :class:`OutputError` naming ``path`` and the system's reason."""
    reason = err.strerror or str(err)
    return OutputError(err.errno, f"cannot write {path}: {reason}")


def _renameat2() -> Callable[..., int] | None:
    try:
        return ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # pragma: no cover - not glibc/Linux
        return None


_RENAMEAT2 = _renameat2()


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths in one atomic step; False where the system cannot.

    Parameters
    ----------
    a, b : Path
        Paths on the same file system.

    Returns
    -------
    bool
        True when swapped; False when ``renameat2(RENAME_EXCHANGE)`` is not available here
        (then nothing was changed).
    """
    if _RENAMEAT2 is None:
        return False
    if _RENAMEAT2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (created if missing) for the ``with`` block."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder, os.O_RDONLY)
    except OSError as err:
        raise output_error(folder, err) from err
    try:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                logger.warning("waiting for another process to finish writing in %s", folder)
                fcntl.flock(fd, fcntl.LOCK_EX)
            except OSError as err:  # a file system without locks (some network mounts)
                logger.info("no lock on %s (%s); writing without it", folder, err)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def recover(folder: Path, name: str | None = None) -> list[str]:
    """Clean up after writers that died in ``folder`` (call with the folder's lock held).

    Parameters
    ----------
    folder : Path
        The parent folder (``results/``, ``profiles/``).
    name : str, optional
        Only debris of this entry (default: every entry).

    Returns
    -------
    list of str
        What was done, one short sentence per entry (empty when nothing was left over).
    """
    folder = Path(folder)
    done: list[str] = []
    try:
        entries = sorted(os.listdir(folder))
    except FileNotFoundError:
        return done
    for entry in entries:
        match = DEBRIS.match(entry)
        if match is None or (name is not None and match["name"] != name):
            continue
        path, target = folder / entry, folder / match["name"]
        if match["kind"] == "old" and not target.exists():
            os.replace(path, target)
            done.append(f"restored {target.name} from an interrupted replace ({entry})")
        else:
            _remove(path)
            done.append(f"removed {entry} left by an interrupted write")
    for line in done:
        logger.warning("%s: %s", folder, line)
    return done


def _token() -> str:
    return secrets.token_hex(6)


def replace_dir(target: Path, write: Callable[[Path], None]) -> Path:
    """Write a folder into a temporary sibling, then swap it into place (see module doc).

    Parameters
    ----------
    target : Path
        Final folder, e.g. ``results/base``.
    write : callable
        Called with the (empty) temporary folder; writes every file.

    Returns
    -------
    Path
        ``target``.

    Raises
    ------
    OutputError
        The parent cannot be created or written (the temporary folder is removed).
    """
    target = Path(target)
    parent = target.parent
    with locked(parent):
        recover(parent, target.name)
        token = _token()
        tmp = parent / f".{target.name}.tmp-{token}"
        old = parent / f".{target.name}.old-{token}"
        try:
            tmp.mkdir()  # 0o777 minus the umask (mkdtemp would force 0o700)
            write(tmp)
            if target.exists():
                if target.is_symlink() or not target.is_dir():
                    raise OSError(errno.ENOTDIR, "exists and is not a folder", str(target))
                if not exchange(tmp, target):
                    os.replace(target, old)
                    os.replace(tmp, target)
                    tmp = old
                _remove(tmp)  # the old content, in its temporary name
            else:
                os.replace(tmp, target)
        except BaseException as err:
            if old.exists() and not target.exists():
                os.replace(old, target)  # failed between the two renames: put the old back
            _remove(tmp)
            if isinstance(err, OSError) and not isinstance(err, OutputError):
                raise output_error(target, err) from err
            raise
    return target


def write_text(path: Path, text: str) -> Path:
    """Write a text file (UTF-8) through a temporary sibling and one rename.

    Raises
    ------
    OutputError
        The folder cannot be created or written, or ``path`` is a folder.
    """
    path = Path(path)
    with locked(path.parent):
        recover(path.parent, path.name)
        tmp = path.with_name(f".{path.name}.tmp-{_token()}")
        try:
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, path)
        except BaseException as err:
            _remove(tmp)
            if isinstance(err, OSError) and not isinstance(err, OutputError):
                raise output_error(path, err) from err
            raise
    return path


def check_writable(folder: Path) -> None:
    """Fail early, before any long computation, when ``folder`` cannot take results.

    Creates ``folder`` if missing and a hidden probe inside it (removed again).

    Raises
    ------
    OutputError
        ``folder`` is a file, read-only, or cannot be created.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError(errno.ENOTDIR, f"cannot write {folder}: it is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".probe.tmp-{_token()}"
        probe.mkdir()
        probe.rmdir()
    except OSError as err:
        raise output_error(folder, err) from err
