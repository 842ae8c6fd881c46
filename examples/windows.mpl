# Window edits in bars: rewrite bars 9-16 of a stored techno track and stretch its ending.
import "std/styles"

tempo 128 4/4

song track = "vVtPM1Sas70E2LIhQFch" length=32 bars

replace track bar 9-bar 17 {
  gen "Breakdown" 8 bars styles[techno, dark] avoid[instrumental]
} bar 29-bar 33 stretch {
  gen "Outro" 8 bars styles[techno, "filtered", "fading"] adherence=high
}
