"""MPL, the music plan language: `.mpl` source → checked music_v2 composition plans."""

__version__ = "0.1.0"
