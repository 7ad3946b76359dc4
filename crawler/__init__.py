"""The Scrapy project: settings, the onion spider, and the middlewares and extensions that keep it safe."""
