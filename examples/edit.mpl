# Recipe 1, edit one section: keep the stored trailer up to its outro, write a new outro.
song trailer = "Qw8bZ2nR4tLm6pKx1sVy" length=60s {
  intro  0-15s
  build  15s-35s
  bridge 35s-50s
  outro  50s-60s
}

keep 0-50s
regen "Outro" styles["epic", "full orchestra", "choir", "triumphant"]
  | Stand where the fire was
  | {final hit}
