"""Model files: saved as JSON + arrays, checked by SHA-256, never unpickled."""
import shutil

import numpy as np
import pytest

import framing
from framing.scoring import persist
from framing.scoring.scorer import bundled_model_dir

SAMPLE = ["The shameless council rammed through a reckless tax.", "Officials met on Monday.", ""]


@pytest.fixture
def model_copy(tmp_path):
    dst = tmp_path / "model"
    shutil.copytree(bundled_model_dir(), dst)
    return dst


def test_bundled_model_is_small_and_complete():
    d = bundled_model_dir()
    names = {p.name for p in d.iterdir()}
    assert {"config.json", "weights.npz", "MODEL_CARD.md", "SHA256SUMS"} <= names
    assert sum(p.stat().st_size for p in d.iterdir()) <= 20 * 1024 * 1024


def test_save_and_load_round_trip_gives_identical_scores(nlp, tmp_path):
    card = (bundled_model_dir() / "MODEL_CARD.md").read_text()
    again = framing.load(nlp.save(tmp_path / "copy", card))
    assert [d.to_dict() for d in again.pipe(SAMPLE)] == [d.to_dict() for d in nlp.pipe(SAMPLE)]


def test_a_changed_file_is_refused_by_name(model_copy):
    config = model_copy / "config.json"
    config.write_text(config.read_text().replace('"loaded"', '"LOADED"', 1))
    with pytest.raises(framing.ModelFileError, match="config.json.*SHA-256"):
        framing.load(model_copy)


def test_a_truncated_weights_file_is_refused(model_copy):
    weights = model_copy / "weights.npz"
    weights.write_bytes(weights.read_bytes()[:1000])
    with pytest.raises(framing.ModelFileError, match="weights.npz"):
        framing.load(model_copy)


def test_a_directory_without_checksums_is_refused(model_copy):
    (model_copy / "SHA256SUMS").unlink()
    with pytest.raises(framing.ModelFileError, match="SHA256SUMS is missing"):
        framing.load(model_copy)


def test_checksums_cannot_point_outside_the_directory(model_copy):
    sums = model_copy / "SHA256SUMS"
    sums.write_text(sums.read_text() + "0" * 64 + "  ../../etc/passwd\n")
    with pytest.raises(framing.ModelFileError, match="outside the model directory"):
        framing.load(model_copy)


def test_pickled_arrays_are_never_loaded(tmp_path):
    """Even with matching checksums, an object array (which needs pickle) is refused."""
    out = tmp_path / "evil"
    out.mkdir()
    np.savez(out / "weights.npz", x=np.array([{"payload": 1}], dtype=object))
    (out / "config.json").write_text("{}")
    (out / "SHA256SUMS").write_text(
        "".join(f"{persist._sha256(out / n)}  {n}\n" for n in ("config.json", "weights.npz"))
    )
    with pytest.raises(ValueError, match="allow_pickle"):
        persist.load(out)


def test_saving_an_object_array_is_refused(tmp_path):
    with pytest.raises(TypeError, match="pickle"):
        persist.save(tmp_path / "m", {}, {"x": np.array([object()], dtype=object)})


def test_a_missing_directory_says_what_to_pass(tmp_path):
    with pytest.raises(FileNotFoundError, match="framing train"):
        framing.load(tmp_path / "nowhere")
