package format

import "unicode/utf8"

// Carriers, as accepted by MobilePrefixes.
const (
	CarrierCMCC    = "cmcc"    // China Mobile
	CarrierUnicom  = "unicom"  // China Unicom
	CarrierTelecom = "telecom" // China Telecom
)

// MobilePrefixes returns well-known 3-digit prefixes of a carrier's mobile numbers,
// or nil for an unknown carrier.
func MobilePrefixes(carrier string) []string {
	switch carrier {
	case CarrierCMCC:
		return []string{"134", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158", "159", "182", "183", "184", "187", "188", "198"}
	case CarrierUnicom:
		return []string{"130", "131", "132", "155", "156", "166", "185", "186"}
	case CarrierTelecom:
		return []string{"133", "153", "180", "181", "189", "199"}
	}
	return nil
}

// unassignedMobilePrefix reports prefixes that match ^1[3-9] but no carrier uses.
func unassignedMobilePrefix(p string) bool {
	switch p {
	case "142", "143", "154", "161", "164", "194":
		return true
	}
	return false
}

// CNMobile validates a mainland mobile number: 11 digits, ^1[3-9]\d{9}$, and a
// prefix that has been assigned to a carrier.
func CNMobile(s string) error {
	if s == "" {
		return newError(FormatMobile, CodeEmpty)
	}
	if err := digitsOnly(FormatMobile, s); err != nil {
		return err
	}
	if len(s) != 11 {
		return newError(FormatMobile, CodeLength, "length", len(s))
	}
	if s[0] != '1' || s[1] < '3' {
		return newError(FormatMobile, CodePrefix, "prefix", s[:3])
	}
	if unassignedMobilePrefix(s[:3]) {
		return newError(FormatMobile, CodeUnassigned, "prefix", s[:3])
	}
	return nil
}

// digitsOnly reports the first character of s that is not a digit.
func digitsOnly(format, s string) error {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			char, pos := charAt(s, i)
			if !utf8.ValidString(char) {
				char = "?"
			}
			return newError(format, CodeChar, "pos", pos, "char", char)
		}
	}
	return nil
}
