"""Sites behind a login: wall detection, careful-member rules, investigator sessions (no Scrapy here)."""
