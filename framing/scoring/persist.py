"""Safe save and load of a model directory: JSON and ``.npz`` arrays, checked by SHA-256.

Loading never unpickles (``numpy.load(..., allow_pickle=False)``, ``json.load``), so a
model directory from anywhere can at worst give wrong scores, never run code. Every
file is listed with its SHA-256 in ``SHA256SUMS``; a file that does not match is refused.
"""
from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import numpy as np

CONFIG = "config.json"
ARRAYS = "weights.npz"
SUMS = "SHA256SUMS"


class ModelFileError(ValueError):
    """A model directory is missing a file, or a file does not match its recorded SHA-256."""


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def save(directory: str | Path, config: dict, arrays: dict[str, np.ndarray], extra: dict[str, str] | None = None) -> Path:
    """Write ``config.json``, ``weights.npz``, any ``extra`` text files and ``SHA256SUMS``."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    (out / CONFIG).write_text(json.dumps(config, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    for name, arr in arrays.items():
        if arr.dtype == object:
            raise TypeError(f"array {name!r} has dtype object, which would need pickle; store it in config instead")
    np.savez_compressed(out / ARRAYS, **arrays)
    for name, text in (extra or {}).items():
        (out / name).write_text(text, encoding="utf-8")
    write_sums(out, [CONFIG, ARRAYS, *sorted(extra or {})])
    return out


def write_sums(directory: str | Path, names: list[str]) -> None:
    """Write ``SHA256SUMS`` listing the files ``names`` of ``directory`` with their SHA-256."""
    d = Path(directory)
    (d / SUMS).write_text("".join(f"{_sha256(d / n)}  {n}\n" for n in names), encoding="utf-8")


def verify(directory: str | Path) -> dict[str, Path]:
    """Check every file listed in ``SHA256SUMS``; return name -> path. Raises ``ModelFileError``."""
    return {name: path for name, (path, _) in _verified(directory, keep=()).items()}


def _verified(directory: str | Path, keep=(CONFIG, ARRAYS)) -> dict[str, tuple[Path, bytes | None]]:
    """:func:`verify`, returning name -> (path, its bytes when named in ``keep``): each file is read once."""
    d = Path(directory)
    sums = d / SUMS
    if not sums.is_file():
        raise ModelFileError(f"{sums} is missing: not a framing model directory (retrain with `framing train`)")
    files: dict[str, tuple[Path, bytes | None]] = {}
    for line in sums.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        path = d / name
        if Path(name).name != name:
            raise ModelFileError(f"{sums} names {name!r}, which is outside the model directory; refusing to load")
        if not path.is_file():
            raise ModelFileError(f"{path} is listed in {SUMS} but missing; the model directory is incomplete")
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != digest:
            raise ModelFileError(
                f"{path} does not match its SHA-256 in {SUMS}: the file is corrupt or was changed; "
                "reinstall framing or retrain the model"
            )
        files[name] = (path, data if name in keep else None)
    for required in (CONFIG, ARRAYS):
        if required not in files:
            raise ModelFileError(f"{sums} does not list {required}; the model directory is incomplete")
    return files


def model_version(directory: str | Path) -> str:
    """A model directory's name, the framing version that trained it and its weights' SHA-256
    (first 12 hex digits), e.g. ``default, trained by framing 0.1.0, weights 40e8d85591b6``."""
    d = Path(directory)
    files = verify(d)
    meta = json.loads(files[CONFIG].read_text(encoding="utf-8")).get("meta", {})
    trained_by = meta.get("framing_version", "an unrecorded version")
    return f"{d.name}, trained by framing {trained_by}, weights {_sha256(files[ARRAYS])[:12]}"


def load(directory: str | Path) -> tuple[dict, dict[str, np.ndarray]]:
    """Verify a model directory and return its config and arrays, without unpickling anything."""
    files = _verified(directory)
    config = json.loads(files[CONFIG][1].decode("utf-8"))
    with np.load(io.BytesIO(files[ARRAYS][1]), allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    return config, arrays
