song s1 = "Qw8bZ2nR4tLm6pKx1sVy"

keep 0-15s
gen "Build" 20s styles["cinematic", "epic", "orchestral", "low strings", "brass swells",
                       "taiko drums", "dramatic", "wide stereo", "rising tension",
                       "taiko drums"] avoid["vocals", "singing", "choir", "spoken word", "rap",
                                            "humming"]
keep 35s-50s
gen "Outro" 10s styles["epic", "heroic", "massive", "powerful", "choir", "big drums", "triumphant",
                       "full orchestra"]
  | Rise from the ashes
  | {final hit}
