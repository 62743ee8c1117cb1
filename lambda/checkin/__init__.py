"""Connection Check-In: a guided A.R.E. check-in for two partners."""
