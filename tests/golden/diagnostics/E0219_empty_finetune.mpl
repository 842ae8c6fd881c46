plan seed=1 finetune=""
gen "Intro" 10s styles["pop", "synth", "warm", "bright", "female vocal", "upbeat"]
