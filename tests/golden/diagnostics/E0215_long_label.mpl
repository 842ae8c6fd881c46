gen "Verse Verse Verse Verse Verse Verse Verse Verse Verse Verse Verse Verse Verse Verse Verse Verse Verse " 10s styles["pop", "synth", "warm", "bright", "female vocal", "upbeat"]
