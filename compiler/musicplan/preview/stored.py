"""What the registry (`songs.mpl`) remembers of a plan's songs, for the previews: the audio
file `mpl render`/`mpl upload` wrote or sent, and the API's `waveform_visual`.

A plan's song is matched to a registry entry by its song id, so a song imported under
another name (`import "songs" as s`) is found too. The registry is optional: one that is
absent or cannot be read gives nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..api.registry import RegistryUnusable, entries
from ..resolve import ir


@dataclass
class Stored:
    """Per song name of the plan: its recorded audio file and its waveform."""

    audio: dict[str, Path] = field(default_factory=dict)
    waveforms: dict[str, list[float]] = field(default_factory=dict)


def stored(plan: ir.ResolvedPlan, registry: Path) -> Stored:
    """The registry's audio files (those that exist) and waveforms for `plan`'s songs."""
    out = Stored()
    try:
        found, _, _ = entries(registry)
    except (RegistryUnusable, OSError):
        return out
    by_id = {entry.song_id: entry for entry in found}
    for name, song in plan.songs.items():
        entry = by_id.get(song.song_id)
        if entry is None:
            continue
        if entry.audio_path is not None and entry.audio_path.is_file():
            out.audio[name] = entry.audio_path
        if entry.waveform:
            out.waveforms[name] = [float(value) for value in entry.waveform]
    return out
