"""Storage errors: each message says what is wrong and what a person can do about it."""

from __future__ import annotations

from pathlib import Path

__all__ = ["DatabaseRefused", "KeyFileError", "RecordQuarantined", "StorageError"]


class StorageError(Exception):
    """Something in the storage layer failed; the message is safe to show to staff."""


class KeyFileError(StorageError):
    """The key-encryption key file is missing, unreadable or wrong.

    ``path`` names the file; the message names the path and the fix.
    """

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


class RecordQuarantined(StorageError):
    """A sealed record failed to open (tampered, truncated, swapped or replayed).

    ``reason`` is a short non-personal description; it never holds record content.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(f"a sealed record failed to open: {reason}")
        self.reason = reason


class DatabaseRefused(StorageError):
    """The database was written by a newer kiosk; it is left untouched."""
