"""Encrypted visitor storage: one SQLite database, envelope encryption, crypto-shred.

- :mod:`kiosk.storage.db` opens the database (WAL, ``synchronous=FULL``,
  ``secure_delete=ON``, foreign keys), runs migrations, refuses a database from
  a newer kiosk and moves a corrupt one aside.
- :mod:`kiosk.storage.crypto` seals records with AES-256-GCM and wraps data keys
  with AES key wrap.
- :mod:`kiosk.storage.keys` loads, checks and rotates the key-encryption key.
- :mod:`kiosk.storage.sessions` gives each visitor session its own data key and
  shreds the session (key and rows) when it ends.

Nothing personal is stored in clear: only ciphertext, random ids, coarse
timestamps and non-personal labels reach the disk or the logs.
"""
