"""Gateways: one small class per provider, found through the registry."""
