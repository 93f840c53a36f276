"""Pydantic input models: structure only. Cross references are checked in validate.py."""
