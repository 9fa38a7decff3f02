"""Case management and referrals between services."""
