package fake

import (
	"fmt"
	"strings"

	"github.com/zaoshu/zaoshu/workflows/format"
)

// carriers lists the carriers CNMobile draws from when none is asked for.
var carriers = []string{format.CarrierCMCC, format.CarrierUnicom, format.CarrierTelecom}

// normalizeCarrier maps the accepted spellings of a carrier to its format name.
func normalizeCarrier(c string) (string, bool) {
	switch strings.ToLower(strings.TrimSpace(c)) {
	case "":
		return "", true
	case format.CarrierCMCC, "mobile", "移动", "中国移动":
		return format.CarrierCMCC, true
	case format.CarrierUnicom, "联通", "中国联通":
		return format.CarrierUnicom, true
	case format.CarrierTelecom, "电信", "中国电信":
		return format.CarrierTelecom, true
	}
	return "", false
}

// CNMobile returns an 11-digit mobile number on a real prefix of carrier ("cmcc",
// "unicom", "telecom", or "" for any of them).
func (f *Faker) CNMobile(carrier string) (string, error) {
	c, ok := normalizeCarrier(carrier)
	if !ok {
		return "", fmt.Errorf("generate mobile number: carrier %q: want one of %s: %w", carrier, strings.Join(carriers, ", "), ErrImpossible)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if c == "" {
		c = pick(f, carriers)
	}
	return pick(f, format.MobilePrefixes(c)) + f.digits(8), nil
}
