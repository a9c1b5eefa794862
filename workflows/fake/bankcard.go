package fake

import (
	"fmt"
	"slices"
	"strings"

	"github.com/zaoshu/zaoshu/workflows/format"
)

// Bank is a custody bank as the broker's back office codes it, with the UnionPay
// debit card BINs BankCard draws from.
type Bank struct {
	Code   string // the broker's internal bank code, such as "5200"
	Name   string
	BINs   []string // 6-digit issuer identification numbers
	Length int      // card number length for these BINs
}

var banks = []Bank{
	{"5000", "中国建设银行", []string{"621700", "622700"}, 19},
	{"5100", "中国农业银行", []string{"622848"}, 19},
	{"5200", "中国工商银行", []string{"622202", "622208"}, 19},
	{"5300", "中国银行", []string{"621661", "621785"}, 19},
	{"5400", "交通银行", []string{"622262", "622260"}, 19},
	{"5500", "招商银行", []string{"622588", "621483"}, 16},
	{"5600", "中信银行", []string{"622690", "622692"}, 16},
	{"5700", "兴业银行", []string{"622909", "622908"}, 18},
	{"5800", "中国光大银行", []string{"622660", "622666"}, 16},
	{"5900", "华夏银行", []string{"622630", "622632"}, 16},
	{"6000", "中国民生银行", []string{"622622"}, 16},
	{"6100", "平安银行", []string{"623058"}, 19},
	{"6200", "广发银行", []string{"622568"}, 19},
	{"6300", "上海浦东发展银行", []string{"622521", "622522"}, 16},
	{"7100", "上海银行", []string{"622892"}, 16},
	{"8500", "中国邮政储蓄银行", []string{"621799", "622188"}, 19},
}

// Banks returns the banks BankCard knows, by code. The caller owns the slice.
func Banks() []Bank {
	out := slices.Clone(banks)
	for i := range out {
		out[i].BINs = slices.Clone(out[i].BINs)
	}
	return out
}

// BankCard returns a debit card number of the bank with the given code (see
// Banks; "" for any bank): one of its BINs, its card length, a Luhn check digit.
func (f *Faker) BankCard(bankCode string) (string, error) {
	bank := Bank{}
	if code := strings.TrimSpace(bankCode); code != "" {
		i := slices.IndexFunc(banks, func(b Bank) bool { return b.Code == code })
		if i < 0 {
			codes := make([]string, len(banks))
			for j, b := range banks {
				codes[j] = b.Code
			}
			return "", fmt.Errorf("generate bank card: bank code %q: want one of %s: %w", bankCode, strings.Join(codes, ", "), ErrImpossible)
		}
		bank = banks[i]
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if bank.Code == "" {
		bank = pick(f, banks)
	}
	partial := pick(f, bank.BINs) + f.digits(bank.Length-7)
	return partial + string(format.LuhnDigit(partial)), nil
}
