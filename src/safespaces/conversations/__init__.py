"""Keyword and multi-step dialogs over SMS, WhatsApp and voice."""
