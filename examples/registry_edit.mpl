# Edit a stored song by name: the registry says how long it is and where its sections are.
import "./shared/songs.mpl"
import "std/styles"

keep trailer intro
gen "Build" 20s styles[cinematic, "rising tension", "taiko drums"] avoid[instrumental]
keep trailer bridge
regen "Outro" styles[epic, "full orchestra"]
  | Rise from the ashes
  | {final hit}
