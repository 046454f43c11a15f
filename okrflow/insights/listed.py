"""`okrflow.listed` under its former name: the helper moved down so that `okrs` may use it."""

from okrflow.listed import AnyOf, among

__all__ = ["AnyOf", "among"]
