"""Builders for every non-market kind of site: shops, forums, pastes, directories, ads, hostile sites."""
