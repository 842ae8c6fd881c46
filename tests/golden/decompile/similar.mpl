song s1 = "Ab12Cd34Ef56Gh78Ij90"

gen "Verse 1" 30s styles["indie pop", "jangly guitars", "female vocals", "bright", "upbeat",
                         "summer", "reverb"] like 0-10s strength=high
  | Salt on my skin from a borrowed sea
  | We were younger than the tide
gen "Chorus" 25s styles["indie pop", "big chorus", "handclaps"]
  | Hold on, hold on
  | (oh oh oh)
gen "Outro" 15s styles["indie pop", "fading guitars"]
