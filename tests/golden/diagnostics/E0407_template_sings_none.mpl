template plain(label) {
  gen label 10s styles["cinematic", "epic", "orchestral", "low strings", "brass", "taiko", "dark"]
}
plain("Intro")
  | these words would be lost
