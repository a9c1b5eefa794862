package fake

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/zaoshu/zaoshu/workflows/format"
)

// samples is how many values each property test draws: 100k, or 10k with -short.
func samples() int {
	if testing.Short() {
		return 10_000
	}
	return 100_000
}

func TestCNIDCardPassesValidator(t *testing.T) {
	f := New(1)
	now := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	opts := []IDCardOptions{
		{Now: now},
		{MinAge: 25, Gender: "F", Now: now},
		{MinAge: 16, MaxAge: 17, Gender: "M", Region: "31", Now: now},
		{MinAge: 46, MaxAge: 100, Region: "上海", Now: now},
		{MaxAge: 5, Region: "3101", Now: now},
		{MinAge: 0, MaxAge: 120, Region: "浦东新区", Now: now},
		{MinAge: 1, MaxAge: 1, Now: time.Date(2024, 2, 29, 12, 0, 0, 0, time.UTC)},
		{MinAge: 30, MaxAge: 30, Region: "杭州", Now: time.Date(2023, 3, 1, 0, 0, 0, 0, time.UTC)},
	}
	for i := range samples() {
		o := opts[i%len(opts)]
		id, err := f.CNIDCard(o)
		if err != nil {
			t.Fatalf("CNIDCard(%+v): %v", o, err)
		}
		card, err := format.ParseCNIDCard(id)
		if err != nil {
			t.Fatalf("CNIDCard(%+v) = %s: %v", o, id, err)
		}
		lo, hi, _ := ageRange(o.MinAge, o.MaxAge)
		if age := format.Age(card.Birth, o.Now); age < lo || age > hi {
			t.Fatalf("CNIDCard(%+v) = %s: age %d outside %d–%d", o, id, age, lo, hi)
		}
		if o.Gender != "" && card.Male != (o.Gender == Male) {
			t.Fatalf("CNIDCard(%+v) = %s: male = %v", o, id, card.Male)
		}
		if want := map[string]string{"31": "上海市", "上海": "上海市", "3101": "上海市", "浦东新区": "上海市浦东新区", "杭州": "浙江省杭州市"}[o.Region]; !strings.HasPrefix(card.AreaName, want) {
			t.Fatalf("CNIDCard(%+v) = %s in %s, want in %s", o, id, card.AreaName, want)
		}
		if _, ok := format.LookupArea(card.Area); !ok {
			t.Fatalf("CNIDCard(%+v) = %s: area %s is not in the table", o, id, card.Area)
		}
	}
}

func TestCNIDCardSpreadsOverTheAgeRange(t *testing.T) {
	f := New(2)
	now := time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)
	seen := map[int]bool{}
	for range 2000 {
		id, err := f.CNIDCard(IDCardOptions{MinAge: 20, MaxAge: 24, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		card, _ := format.ParseCNIDCard(id)
		seen[format.Age(card.Birth, now)] = true
	}
	for age := 20; age <= 24; age++ {
		if !seen[age] {
			t.Errorf("no holder aged %d in 2000 draws for ages 20–24", age)
		}
	}
}

func TestCNIDCardImpossibleOptions(t *testing.T) {
	f := New(3)
	tests := []struct {
		opts IDCardOptions
		want string
	}{
		{IDCardOptions{MinAge: 30, MaxAge: 20}, "minAge 30 is above maxAge 20"},
		{IDCardOptions{MinAge: -1, MaxAge: 20}, "minAge -1 is negative"},
		{IDCardOptions{MaxAge: 200}, "maxAge 200 is above 120"},
		{IDCardOptions{Gender: "X"}, `gender "X"`},
		{IDCardOptions{Region: "火星"}, `region "火星"`},
		{IDCardOptions{Region: "99"}, `region "99"`},
		{IDCardOptions{Region: "香港"}, `region "香港"`},
		{IDCardOptions{MaxAge: 100, Now: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)}, "a birth before 1900"},
	}
	for _, tt := range tests {
		_, err := f.CNIDCard(tt.opts)
		if !errors.Is(err, ErrImpossible) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("CNIDCard(%+v) = %v, want ErrImpossible mentioning %q", tt.opts, err, tt.want)
		}
	}
}

func TestCNMobilePassesValidator(t *testing.T) {
	f := New(4)
	for i := range samples() {
		carrier := []string{"", format.CarrierCMCC, format.CarrierUnicom, format.CarrierTelecom}[i%4]
		m, err := f.CNMobile(carrier)
		if err != nil {
			t.Fatal(err)
		}
		if err := format.CNMobile(m); err != nil {
			t.Fatalf("CNMobile(%q) = %s: %v", carrier, m, err)
		}
		if carrier != "" && !slices.Contains(format.MobilePrefixes(carrier), m[:3]) {
			t.Fatalf("CNMobile(%q) = %s: prefix is not the carrier's", carrier, m)
		}
	}
	if _, err := f.CNMobile("vodafone"); !errors.Is(err, ErrImpossible) {
		t.Errorf("CNMobile(vodafone) = %v, want ErrImpossible", err)
	}
}

func TestBankCardPassesValidator(t *testing.T) {
	f := New(5)
	all := Banks()
	for i := range samples() {
		bank := Bank{}
		if i%(len(all)+1) < len(all) {
			bank = all[i%(len(all)+1)]
		}
		card, err := f.BankCard(bank.Code)
		if err != nil {
			t.Fatal(err)
		}
		if err := format.BankCard(card); err != nil {
			t.Fatalf("BankCard(%q) = %s: %v", bank.Code, card, err)
		}
		if bank.Code != "" && (len(card) != bank.Length || !slices.Contains(bank.BINs, card[:6])) {
			t.Fatalf("BankCard(%q) = %s: want %d digits starting with one of %v", bank.Code, card, bank.Length, bank.BINs)
		}
	}
	if _, err := f.BankCard("1234"); !errors.Is(err, ErrImpossible) {
		t.Errorf("BankCard(1234) = %v, want ErrImpossible", err)
	}
}

func TestBanksCoverTheBrokerCodes(t *testing.T) {
	var codes []string
	for _, b := range Banks() {
		codes = append(codes, b.Code)
		if b.Length < 16 || b.Length > 19 || len(b.BINs) == 0 {
			t.Errorf("bank %s %s: length %d, BINs %v", b.Code, b.Name, b.Length, b.BINs)
		}
	}
	want := []string{"5000", "5100", "5200", "5300", "5400", "5500", "5600", "5700", "5800", "5900", "6000", "6100", "6200", "6300", "7100", "8500"}
	if !slices.Equal(codes, want) {
		t.Errorf("bank codes = %v, want %v", codes, want)
	}
}

func TestCNUSCCPassesValidator(t *testing.T) {
	f := New(6)
	for range samples() {
		code := f.CNUSCC()
		if err := format.CNUSCC(code); err != nil {
			t.Fatalf("CNUSCC() = %s: %v", code, err)
		}
		if _, ok := format.LookupArea(code[2:8]); !ok {
			t.Fatalf("CNUSCC() = %s: area %s is not in the table", code, code[2:8])
		}
	}
}

func TestEmailPassesValidator(t *testing.T) {
	f := New(7)
	for range samples() {
		if e := f.Email(); format.Email(e) != nil {
			t.Fatalf("Email() = %q: %v", e, format.Email(e))
		}
	}
}

func TestCNName(t *testing.T) {
	f := New(8)
	for i := range samples() {
		gender := []string{Male, Female, ""}[i%3]
		name := f.CNName(gender)
		runes := []rune(name)
		surname := string(runes[0])
		if slices.Contains(compoundSurnames, string(runes[:min(2, len(runes))])) {
			surname = string(runes[:2])
		} else if !slices.Contains(surnames, surname) {
			t.Fatalf("CNName(%q) = %s: unknown surname", gender, name)
		}
		given := strings.TrimPrefix(name, surname)
		if n := utf8.RuneCountInString(given); n < 1 || n > 2 {
			t.Fatalf("CNName(%q) = %s: given name of %d characters", gender, name, n)
		}
		pool := map[string][]string{Male: maleChars, Female: femaleChars, "": append(slices.Clone(maleChars), femaleChars...)}[gender]
		for _, r := range given {
			if !slices.Contains(pool, string(r)) {
				t.Fatalf("CNName(%q) = %s: %c is not a %q given-name character", gender, name, r, gender)
			}
		}
	}
}

func TestCNAddress(t *testing.T) {
	f := New(9)
	districts := map[string]bool{}
	for _, a := range f.counties {
		districts[format.AreaName(a.Code)] = true
	}
	for range samples() {
		addr := f.CNAddress()
		i := slices.IndexFunc(streets, func(s string) bool { return strings.Contains(addr, s) })
		if i < 0 || !districts[addr[:strings.Index(addr, streets[i])]] || !strings.Contains(addr, "号") {
			t.Fatalf("CNAddress() = %s: want a known district, a street and a number", addr)
		}
	}
}

// draw returns one value of every generator.
func draw(t *testing.T, f *Faker) []string {
	t.Helper()
	id, err := f.CNIDCard(IDCardOptions{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	mobile, _ := f.CNMobile("")
	card, _ := f.BankCard("")
	return []string{f.CNName(""), id, mobile, card, f.CNAddress(), f.CNUSCC(), f.Email()}
}

func TestSeedReproducesValues(t *testing.T) {
	a, b := New(42), New(42)
	for range 100 {
		if va, vb := draw(t, a), draw(t, b); !slices.Equal(va, vb) {
			t.Fatalf("same seed, different values: %v and %v", va, vb)
		}
	}
	if va, vc := draw(t, New(42)), draw(t, New(43)); slices.Equal(va, vc) {
		t.Errorf("seeds 42 and 43 gave the same values %v", va)
	}

	random := New(0)
	if random.Seed() == 0 {
		t.Fatal("New(0).Seed() = 0, want the seed it picked")
	}
	if got, want := draw(t, New(random.Seed())), draw(t, random); !slices.Equal(got, want) {
		t.Errorf("New(New(0).Seed()) gave %v, want %v", got, want)
	}
}

func TestConcurrentUse(t *testing.T) {
	f := New(10)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			fns := f.Functions()
			for range 200 {
				id, err := f.CNIDCard(IDCardOptions{})
				if err == nil {
					_, err = format.ParseCNIDCard(id)
				}
				if err == nil {
					err = format.CNMobile(must(fns["cnMobile"].(func(...map[string]any) (string, error))()))
				}
				if err != nil {
					errs <- err
					return
				}
				_ = f.CNAddress() + f.Email() + fns["uuid"].(func() string)()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func must(s string, err error) string {
	if err != nil {
		return err.Error()
	}
	return s
}

// Generated IDs never use the sequence codes test back offices reserve for
// scripted refusals (uatsim: 996–999).
func TestCNIDCardAvoidsReservedSequences(t *testing.T) {
	f := New(42)
	for i := 0; i < 20000; i++ {
		id, err := f.CNIDCard(IDCardOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if seq := id[14:17]; seq >= "996" {
			t.Fatalf("%s uses reserved sequence %s", id, seq)
		}
	}
}
