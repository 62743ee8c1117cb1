"""Thin ask-sdk adapters over the ritual engine."""
