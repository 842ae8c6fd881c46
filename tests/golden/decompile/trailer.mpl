gen "Intro" 15s styles["cinematic", "trailer", "orchestral", "low strings", "pulsing synth bass",
                       "dark", "D minor", "slow build"] avoid["vocals"]
gen "Build" 20s styles["cinematic", "orchestral", "rising tension", "taiko drums", "brass stabs",
                       "D minor"] adherence=high
gen "Bridge" 15s styles["choir", "sustained strings"]
  | (ah ah ah ah)
  | {orchestra hits}
gen "Outro" 10s styles["epic", "full orchestra"]
  | Rise from the ashes
  | {final hit}
