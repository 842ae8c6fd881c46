gen "Intro" 10s styles["cinematic", "epic", "orchestral", "low strings", "brass", "taiko", "dark"] lyrics
