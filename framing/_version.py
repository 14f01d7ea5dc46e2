"""The library's version, in a module of its own so that nothing imports the package to learn it."""

__version__ = "0.1.0"
