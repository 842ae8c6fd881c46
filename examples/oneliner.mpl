# The shortest edit: keep the first 30 s, regenerate the outro more freely.
song s = "vVtPM1Sas70E2LIhQFch" {
  outro 30s-50s
}
keep 0-30s; regen "outro" styles["cinematic", "epic", "choir", "strings", "brass"] adherence=low
