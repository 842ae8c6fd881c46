gen "" 10s styles["pop", "synth", "warm", "bright", "female vocal", "upbeat"]
let name = ""
gen name 10s styles["pop", "synth", "warm", "bright", "female vocal", "upbeat"]
