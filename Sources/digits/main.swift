import DigitsCLI

// Everything is in DigitsCLI (so the fuzz target can parse through the same commands).
DigitsMain.run()
