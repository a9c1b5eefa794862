package format

// LuhnDigit returns the Luhn check digit to append to the digits in partial, or 0
// if partial holds anything but digits.
func LuhnDigit(partial string) byte {
	sum := 0
	double := true // the rightmost digit of partial is doubled once the check digit follows
	for i := len(partial) - 1; i >= 0; i-- {
		c := partial[i]
		if !isDigit(c) {
			return 0
		}
		d := int(c - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return byte('0' + (10-sum%10)%10)
}

// BankCard validates a bank card number: 16 to 19 digits, the last a Luhn check digit.
func BankCard(s string) error {
	if s == "" {
		return newError(FormatBankCard, CodeEmpty)
	}
	if err := digitsOnly(FormatBankCard, s); err != nil {
		return err
	}
	if len(s) < 16 || len(s) > 19 {
		return newError(FormatBankCard, CodeLength, "length", len(s))
	}
	if want := LuhnDigit(s[:len(s)-1]); s[len(s)-1] != want {
		return newError(FormatBankCard, CodeCheck, "want", string(want))
	}
	return nil
}
