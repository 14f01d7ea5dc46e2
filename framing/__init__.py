"""framing: where and how news text is slanted, fast and offline."""

__version__ = "0.1.0"
