package fake

import (
	"github.com/zaoshu/zaoshu/workflows/format"
)

// usccKinds are registration authority and entity type pairs, weighted by how
// often they occur: mostly companies (91), then sole proprietors (92), farmers'
// cooperatives (93), public institutions (12) and social organisations (51, 52).
var usccKinds = []string{"91", "91", "91", "91", "91", "91", "92", "92", "93", "12", "51", "52"}

var orgCodeWeights = [8]int{3, 7, 9, 10, 5, 8, 4, 2}

// CNUSCC returns an 18-character unified social credit code: a kind, a real county
// code, a 9-character organization code with its own GB 11714 check character, and
// the GB 32100 check character.
func (f *Faker) CNUSCC() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	org := f.digits(8)
	sum := 0
	for i := 0; i < 8; i++ {
		sum += int(org[i]-'0') * orgCodeWeights[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		org += "X"
	case 11:
		org += "0"
	default:
		org += string(rune('0' + c))
	}
	first17 := pick(f, usccKinds) + pick(f, f.counties).Code + org
	return first17 + string(format.USCCCheckChar(first17))
}
