"""Utilities users configure the client with."""

from .retries import BackoffStrategy, RetryConfig

__all__ = ["BackoffStrategy", "RetryConfig"]

# Public classes say where users import them from (reprs, tracebacks, pickles): a public module, not a private one.
for _name in __all__:
    _value = globals()[_name]
    if isinstance(_value, type) and "._" in _value.__module__:
        _value.__module__ = __name__
del _name, _value
