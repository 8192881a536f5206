"""atout: reveal, prove and use your skills."""
