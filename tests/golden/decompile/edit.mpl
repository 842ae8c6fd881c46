song s1 = "Qw8bZ2nR4tLm6pKx1sVy"

keep 0-50s
gen "Outro" 10s styles["epic", "full orchestra", "choir", "triumphant"]
  | Stand where the fire was
  | {final hit}
