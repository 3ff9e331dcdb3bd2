"""Publishes a versioned, bilingual privacy statement as a static site."""
