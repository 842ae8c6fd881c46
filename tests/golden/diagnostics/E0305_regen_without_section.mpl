song s = "id" {
  intro 0-30s
}
regen "Outro" styles["a", "b", "c", "d", "e", "f"]
gen "Verse" styles["a"]
