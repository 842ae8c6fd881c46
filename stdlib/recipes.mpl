# std/recipes: the four documented music_v2 recipes as templates.
# Arguments may be given in order or by name; those with a default may be left out.

# Recipe 1, edit one section: keep a stored song up to a point, then write a new section,
# which sings the lyric lines written under the call, if any.
# edit_section(trailer, 0-50s, "Outro", 10s, epic)
#   | Rise from the ashes
template edit_section(src, kept, label, duration, feel, seam="high") {
  keep src kept
  gen label duration styles[feel] adherence=seam lyrics
}

# Recipe 2, extend a song: a new intro and a new outro around a kept range.
# extend(groove, 10s-50s, house, intro=30s, outro=30s)
template extend(src, kept, feel, intro=30s, outro=30s) {
  gen "Intro" intro styles[feel]
  keep src kept
  gen "Outro" outro styles[feel] adherence=high
}

# Recipe 3, seamless loop: a slice, a short glue chunk, the same slice again.
# loop(phrase, 3s-8s, feel=lofi)
template loop(src, phrase, glue=3s, feel=["smooth transition"]) {
  keep src phrase
  gen "Glue" glue styles[feel] adherence=high
  keep src phrase
}

# Recipe 4, similar song: the first chunk conditioned on a slice of a stored song; later
# chunks, written after the call, inherit its character.
# similar(reference, 0-10s, "Verse 1", 30s, pop, match="high")
# The new chunk sings the lyric lines written under the call, if any.
template similar(src, reference, label, duration, feel, match="high") {
  gen label duration styles[feel] like src reference strength=match lyrics
}
