{"chunks": [{"text": "[Intro]", "duration_ms": 10000, "positive_styles": ["pop"]}]}
