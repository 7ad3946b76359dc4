"""Market layouts (one class per layout) and the builder that turns a layout into a market site."""
