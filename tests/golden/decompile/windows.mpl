song s1 = "vVtPM1Sas70E2LIhQFch"

keep 0-15s
gen "Breakdown" 15s styles["techno", "four on the floor", "driving kick", "hypnotic",
                           "analog synths", "dark warehouse", "130 bpm", "minimal", "dark",
                           "brooding", "minor key", "ominous", "low drones", "tense",
                           "shadowy"] avoid["vocals", "singing", "choir", "spoken word", "rap",
                                            "humming"]
keep 30s-52.5s
gen "Outro" 15s styles["techno", "four on the floor", "driving kick", "hypnotic", "analog synths",
                       "dark warehouse", "130 bpm", "minimal", "filtered", "fading"] adherence=high
