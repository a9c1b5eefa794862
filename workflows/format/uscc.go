package format

import (
	"strings"
	"unicode/utf8"
)

// USCCChars is the alphabet of unified social credit codes: digits and capital
// letters without I, O, Z, S and V.
const USCCChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// USCCCheckChar returns the check character of a unified social credit code whose
// first 17 characters are first17, or 0 if first17 is not 17 characters of USCCChars.
func USCCCheckChar(first17 string) byte {
	if len(first17) != 17 {
		return 0
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(USCCChars, first17[i])
		if v < 0 {
			return 0
		}
		sum += v * usccWeights[i]
	}
	return USCCChars[(31-sum%31)%31]
}

// CNUSCC validates a unified social credit code (GB 32100-2015).
func CNUSCC(s string) error {
	if s == "" {
		return newError(FormatUSCC, CodeEmpty)
	}
	for i, r := range s {
		if r >= utf8.RuneSelf || strings.IndexByte(USCCChars, byte(r)) < 0 {
			char, pos := charAt(s, i)
			return newError(FormatUSCC, CodeChar, "pos", pos, "char", char)
		}
	}
	if len(s) != 18 {
		return newError(FormatUSCC, CodeLength, "length", len(s))
	}
	if want := USCCCheckChar(s[:17]); s[17] != want {
		return newError(FormatUSCC, CodeCheck, "want", string(want))
	}
	return nil
}
