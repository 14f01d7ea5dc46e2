"""The scoring core: text -> segments -> features -> heads -> ``Doc``. Imports nothing else of framing."""
