package uatsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// money is an amount in fen (0.01 CNY). In JSON it is written as a string with
// two decimals ("100000.00") and read from a string or a number with at most two
// decimals, so no amount is ever rounded.
type money int64

func (m money) String() string {
	sign := ""
	if m < 0 {
		sign = "-"
		m = -m
	}
	return fmt.Sprintf("%s%d.%02d", sign, m/100, m%100)
}

func (m money) MarshalJSON() ([]byte, error) { return []byte(`"` + m.String() + `"`), nil }

func (m *money) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		b = []byte(s)
	}
	v, err := parseMoney(string(b))
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// parseMoney reads "123", "123.4" or "123.45" (optionally negative).
func parseMoney(s string) (money, error) {
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || !allDigits(whole) || len(whole) > 13 || len(frac) > 2 || (frac != "" && !allDigits(frac)) {
		return 0, fmt.Errorf("金额格式错误：%q（最多两位小数）", s)
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("金额格式错误：%q", s)
	}
	f := int64(0)
	if frac != "" {
		f, _ = strconv.ParseInt((frac + "0")[:2], 10, 64)
	}
	v := money(w*100 + f)
	if neg {
		v = -v
	}
	return v, nil
}
