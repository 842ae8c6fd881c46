gen "Verse" 30s styles["pop", "synth", "warm", "bright", "female vocal", "upbeat"]
  | a short line
  | la la la la la la la la la la la la la la la la la la la la la la la la la la la la la la la la la la la la la la la la la la la la la la la la la la la la la la la la la la la la la la la la la la la la la la 
  | another short line
