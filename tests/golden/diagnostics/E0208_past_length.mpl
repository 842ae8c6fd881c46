song s = "id" length=60s {
  outro 50s-70s
}
keep 0-65s
