package format

import (
	"net/mail"
	"strings"
	"time"
)

// Format names, as written in a workflow's `format:`.
const (
	FormatIDCard   = "cn-id-card"
	FormatMobile   = "cn-mobile"
	FormatBankCard = "bank-card"
	FormatUSCC     = "cn-uscc"
	FormatDate     = "date"
	FormatEmail    = "email"
)

// Names lists the known formats in a stable order.
func Names() []string {
	return []string{FormatIDCard, FormatMobile, FormatBankCard, FormatUSCC, FormatDate, FormatEmail}
}

// Check validates value against the named format. It returns nil or an *Error,
// also for an unknown format name.
func Check(name, value string) error {
	switch name {
	case FormatIDCard:
		_, err := ParseCNIDCard(value)
		return err
	case FormatMobile:
		return CNMobile(value)
	case FormatBankCard:
		return BankCard(value)
	case FormatUSCC:
		return CNUSCC(value)
	case FormatDate:
		return Date(value)
	case FormatEmail:
		return Email(value)
	}
	return newError("", CodeUnknown, "name", name, "known", strings.Join(Names(), ", "))
}

// Date validates a calendar date written YYYY-MM-DD.
func Date(s string) error {
	if s == "" {
		return newError(FormatDate, CodeEmpty)
	}
	if !dateLayout(s) {
		return newError(FormatDate, CodeLayout, "value", s)
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return newError(FormatDate, CodeNoSuchDay, "value", s)
	}
	return nil
}

// dateLayout reports whether s is shaped like 2006-01-02.
func dateLayout(s string) bool {
	if len(s) != len(time.DateOnly) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if i == 4 || i == 7 {
			if s[i] != '-' {
				return false
			}
		} else if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// Email validates a bare e-mail address: no display name, a dot in the domain.
func Email(s string) error {
	if s == "" {
		return newError(FormatEmail, CodeEmpty)
	}
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s || addr.Name != "" {
		return newError(FormatEmail, CodeLayout, "value", s)
	}
	at := strings.LastIndexByte(s, '@')
	domain := s[at+1:]
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.Contains(domain, "..") {
		return newError(FormatEmail, CodeLayout, "value", s)
	}
	return nil
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// charAt returns the character starting at byte i of s, so messages quote whole
// runes rather than broken bytes, and its 1-based position counted in runes.
func charAt(s string, i int) (string, int) {
	r := []rune(s[:i])
	next := []rune(s[i:])
	if len(next) == 0 {
		return "", len(r) + 1
	}
	return string(next[0]), len(r) + 1
}
