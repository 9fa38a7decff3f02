"""Provider callbacks (`/hooks/...`): one module per provider, each with its `urlpatterns`."""
