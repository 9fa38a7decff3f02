"""The public site: no account, no cookie unless a form needs CSRF, quick exit everywhere."""
