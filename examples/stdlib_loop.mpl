# A seamless lo-fi loop from the standard library's recipe and presets.
import "std/recipes"
import "std/styles"

song phrase = "Xy12Lm34Np56Qr78St90" length=10s

loop(phrase, 3s-8s, feel=[lofi, "smooth transition"])
