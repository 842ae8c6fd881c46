# std/styles: style presets for `styles[...]` and `avoid[...]`.
# Every genre and mood preset has at least 7 English styles, as the API advises for the
# opening chunk, which sets the genre and tone of the whole song. Lists splice, so a preset
# mixes with more styles: styles[house, "122 bpm", "female vocals"].

# ---- genres -------------------------------------------------------------------------
let pop = ["pop", "catchy hooks", "polished production", "bright synths", "punchy drums",
           "radio-ready", "upbeat", "clear lead vocals"]
let rock = ["rock", "electric guitars", "distorted riffs", "live drums", "bass guitar",
            "driving rhythm", "energetic", "raw"]
let techno = ["techno", "four on the floor", "driving kick", "hypnotic", "analog synths",
              "dark warehouse", "130 bpm", "minimal"]
let house = ["house", "four on the floor", "groovy bassline", "warm pads", "piano chords",
             "124 bpm", "dance", "uplifting"]
let hip_hop = ["hip hop", "boom bap drums", "deep bass", "sampled loops", "laid-back groove",
               "vinyl texture", "90 bpm", "head-nodding"]
let cinematic = ["cinematic", "epic", "orchestral", "low strings", "brass swells", "taiko drums",
                 "dramatic", "wide stereo"]
let orchestral = ["orchestral", "full orchestra", "strings", "french horns", "woodwinds", "timpani",
                  "classical", "concert hall"]
let lofi = ["lo-fi hip hop", "mellow", "vinyl crackle", "dusty drums", "jazzy chords",
            "warm tape saturation", "relaxed", "80 bpm"]
let jazz = ["jazz", "swing", "upright bass", "brushed drums", "piano trio", "saxophone",
            "smoky club", "improvised"]
let ambient = ["ambient", "atmospheric", "evolving pads", "drones", "slow", "spacious reverb",
               "textural", "calm"]
let acoustic = ["acoustic", "acoustic guitar", "fingerpicking", "warm", "intimate", "organic",
                "natural room sound", "folk"]
let synthwave = ["synthwave", "retro 80s", "analog synths", "gated reverb drums",
                 "arpeggiated bass", "neon", "nostalgic", "driving"]
let rnb = ["r&b", "smooth", "soulful vocals", "silky keys", "laid-back groove", "sub bass",
           "late night", "sensual"]
let folk = ["folk", "acoustic guitar", "banjo", "fiddle", "storytelling", "earthy", "harmonies",
            "rustic"]

# ---- moods --------------------------------------------------------------------------
let dark = ["dark", "brooding", "minor key", "ominous", "low drones", "tense", "shadowy"]
let uplifting = ["uplifting", "hopeful", "major key", "soaring melody", "bright", "euphoric",
                 "anthemic"]
let chill = ["chill", "relaxed", "mellow", "soft", "laid-back", "smooth", "easygoing"]
let epic = ["epic", "heroic", "massive", "powerful", "choir", "big drums", "triumphant"]
let melancholic = ["melancholic", "sad", "bittersweet", "minor key", "slow", "piano", "emotional"]
let energetic = ["energetic", "high energy", "fast tempo", "driving drums", "intense", "exciting",
                 "loud"]
let romantic = ["romantic", "tender", "warm", "lush strings", "gentle", "intimate", "heartfelt"]

# ---- avoid: negative-style presets for `avoid[...]` ----------------------------------
let instrumental = ["vocals", "singing", "choir", "spoken word", "rap", "humming"]
let no_drums = ["drums", "percussion", "drum machine", "hi-hats", "kick drum", "snare"]
let no_electronic = ["synthesizer", "drum machine", "electronic beats", "808", "edm", "auto-tune"]
let clean_mix = ["distortion", "noise", "vinyl crackle", "tape hiss", "clipping", "muddy mix"]
