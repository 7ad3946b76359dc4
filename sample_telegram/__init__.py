"""A sample Telegram for the tests and the demo: public channels served in the real t.me/s markup on
loopback, with the ground truth of every channel and post, in two epochs (a later crawl sees new posts,
edits and deletions). `python -m sample_telegram serve|truth|seeds`.
"""
