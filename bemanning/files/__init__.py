"""The user's files: the centre file (TOML) and the staff list, read and checked against one declared contract."""

from __future__ import annotations

from .centre import read_center, read_toml
from .staff import read_staff

__all__ = ["read_center", "read_staff", "read_toml"]
