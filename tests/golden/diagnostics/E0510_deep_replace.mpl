song s = "vVtPM1Sas70E2LIhQFch" length=60s
replace s 0-10s {
  replace s 0-10s {
    replace s 0-10s {
      replace s 0-10s {
        replace s 0-10s {
          replace s 0-10s {
            replace s 0-10s {
              replace s 0-10s {
                replace s 0-10s {
                  replace s 0-10s {
                    replace s 0-10s {
                      replace s 0-10s {
                        replace s 0-10s {
                          replace s 0-10s {
                            replace s 0-10s {
                              replace s 0-10s {
                                replace s 0-10s {
                                  replace s 0-10s {
                                    replace s 0-10s {
                                      replace s 0-10s {
                                        replace s 0-10s {
                                          replace s 0-10s {
                                            replace s 0-10s {
                                              replace s 0-10s {
                                                replace s 0-10s {
                                                  replace s 0-10s {
                                                    replace s 0-10s {
                                                      replace s 0-10s {
                                                        replace s 0-10s {
                                                          replace s 0-10s {
                                                            replace s 0-10s {
                                                              replace s 0-10s {
                                                                replace s 0-10s {
                                                                  replace s 0-10s {
                                                                    gen "A" 10s styles["pop"]
                                                                  }
                                                                }
                                                              }
                                                            }
                                                          }
                                                        }
                                                      }
                                                    }
                                                  }
                                                }
                                              }
                                            }
                                          }
                                        }
                                      }
                                    }
                                  }
                                }
                              }
                            }
                          }
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}
