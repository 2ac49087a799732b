"""Civic Kiosk: an offline touch-and-speech kiosk for UK council services."""

__version__ = "0.1.0"
