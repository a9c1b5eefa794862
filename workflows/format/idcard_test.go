package format

import (
	"testing"
	"time"
)

func TestParseCNIDCard(t *testing.T) {
	tests := []struct {
		id       string
		area     string
		areaName string
		birth    string
		male     bool
		legacy   bool
	}{
		{"11010519491231002X", "110105", "北京市朝阳区", "1949-12-31", false, false},
		{"370101190102039973", "370101", "山东省济南市", "1901-02-03", true, false},
		{"310115198002291235", "310115", "上海市浦东新区", "1980-02-29", true, false},
		{"110105491231002", "110105", "北京市朝阳区", "1949-12-31", false, true},
		{"110105491231001", "110105", "北京市朝阳区", "1949-12-31", true, true},
		// An abolished district code (崇文区) is still valid on issued cards.
		{"110103198806050020", "110103", "北京市", "1988-06-05", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			got, err := ParseCNIDCard(tt.id)
			if err != nil {
				t.Fatalf("ParseCNIDCard(%q): %v", tt.id, err)
			}
			if got.Area != tt.area || got.AreaName != tt.areaName || got.Birth.Format(time.DateOnly) != tt.birth || got.Male != tt.male || got.Legacy != tt.legacy {
				t.Errorf("ParseCNIDCard(%q) = %+v, want area %s %s, birth %s, male %v, legacy %v",
					tt.id, got, tt.area, tt.areaName, tt.birth, tt.male, tt.legacy)
			}
		})
	}
}

func TestIDCardCheckChar(t *testing.T) {
	tests := map[string]byte{
		"11010519491231002": 'X',
		"37010119010203997": '3',
		"11010519880605002": '3',
		"1101051988060500":  0, // too short
		"1101051988060500a": 0,
	}
	for first17, want := range tests {
		if got := IDCardCheckChar(first17); got != want {
			t.Errorf("IDCardCheckChar(%q) = %q, want %q", first17, got, want)
		}
	}
}

func TestIDCardExpiry(t *testing.T) {
	birth := time.Date(1990, 6, 15, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		issued, want string
	}{
		{"2005-06-14", "2010-06-14"}, // 14: 5 years
		{"2006-06-14", "2011-06-14"}, // the day before turning 16 is still under 16
		{"2006-06-15", "2016-06-15"}, // 16: 10 years
		{"2016-06-14", "2026-06-14"}, // 25
		{"2016-06-15", "2036-06-15"}, // 26: 20 years
		{"2036-06-14", "2056-06-14"}, // 45
		{"2036-06-15", "3000-12-31"}, // 46: long-term
	}
	for _, tt := range tests {
		issued, _ := time.Parse(time.DateOnly, tt.issued)
		if got := IDCardExpiry(birth, issued).Format(time.DateOnly); got != tt.want {
			t.Errorf("IDCardExpiry(1990-06-15, %s) = %s, want %s", tt.issued, got, tt.want)
		}
	}
}

func TestAge(t *testing.T) {
	leap := time.Date(2000, 2, 29, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		at   string
		want int
	}{
		{"2001-02-28", 0},
		{"2001-03-01", 1},
		{"2004-02-29", 4},
		{"2000-02-29", 0},
	}
	for _, tt := range tests {
		at, _ := time.Parse(time.DateOnly, tt.at)
		if got := Age(leap, at); got != tt.want {
			t.Errorf("Age(2000-02-29, %s) = %d, want %d", tt.at, got, tt.want)
		}
	}
}

func TestAreaTable(t *testing.T) {
	all := Areas()
	municipality := map[string]bool{"11": true, "12": true, "31": true, "50": true}
	hasCounty := map[string]bool{}
	for i, a := range all {
		if len(a.Code) != 6 || !isDigitString(a.Code) || a.Name == "" {
			t.Errorf("bad entry %+v", a)
			continue
		}
		if i > 0 && all[i-1].Code >= a.Code {
			t.Errorf("table not sorted or duplicated at %s", a.Code)
		}
		if _, ok := LookupArea(a.Code[:2] + "0000"); !ok {
			t.Errorf("%s %s: province %s0000 missing", a.Code, a.Name, a.Code[:2])
		}
		if a.County() {
			hasCounty[a.Code[:2]] = true
			hasCounty[a.Code[:4]] = true
			if _, ok := LookupArea(a.Code[:4] + "00"); !ok && !municipality[a.Code[:2]] {
				t.Errorf("%s %s: city %s00 missing", a.Code, a.Name, a.Code[:4])
			}
		}
	}
	for _, a := range all {
		switch {
		case a.City() && !hasCounty[a.Code[:4]]:
			t.Errorf("city %s %s has no district, so ID numbers cannot be generated there", a.Code, a.Name)
		case a.Province() && !hasCounty[a.Code[:2]] && a.Code[0] < '7':
			t.Errorf("province %s %s has no district", a.Code, a.Name)
		}
	}
	all[0].Name = "changed"
	if a, _ := LookupArea(all[0].Code); a.Name == "changed" {
		t.Error("Areas() shares its slice with the table")
	}
}

func isDigitString(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func FuzzParseCNIDCard(f *testing.F) {
	for _, s := range []string{"11010519491231002X", "370101190102039973", "110105491231002", "11010519880605002X", "", "x", "1101051949123100２X", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		card, err := ParseCNIDCard(s)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("ParseCNIDCard(%q) error %T, want *Error", s, err)
			}
			if zh, en := messages(err.(*Error).Format, err.(*Error).Code); zh == "" || en == "" {
				t.Fatalf("ParseCNIDCard(%q): no message for %v", s, err)
			}
			return
		}
		birth := card.Birth.Format("20060102")
		switch {
		case card.Legacy && (len(s) != 15 || "19"+s[6:12] != birth):
			t.Fatalf("ParseCNIDCard(%q) = %+v: legacy birth does not match", s, card)
		case !card.Legacy && (len(s) != 18 || s[6:14] != birth || IDCardCheckChar(s[:17]) != s[17]):
			t.Fatalf("ParseCNIDCard(%q) = %+v: birth or check character does not match", s, card)
		case card.Area != s[:6] || card.AreaName == "":
			t.Fatalf("ParseCNIDCard(%q) = %+v: area does not match", s, card)
		}
	})
}
