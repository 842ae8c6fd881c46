"""Seeing and hearing a plan before paying for it: the timeline picture (`picture`, for
`mpl explain --format svg|html` and the language server's `mpl/timeline`) and the audio
sketch (`sketch`, for `mpl preview`). Both read the compiled plan's timeline; neither calls
the API."""
