"""The trained models that ship with framing (installed as ``framing.models``)."""
