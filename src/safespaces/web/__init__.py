"""The public site and the staff console."""
