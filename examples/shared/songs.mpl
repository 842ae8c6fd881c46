# A registry of stored songs, as `mpl render` keeps it: import it, then keep and edit by name.
song trailer = "Qw8bZ2nR4tLm6pKx1sVy" length=60s {
  intro  0-15s
  build  15s-35s
  bridge 35s-50s
  outro  50s-60s
}

song phrase = "Xy12Lm34Np56Qr78St90" length=10s
