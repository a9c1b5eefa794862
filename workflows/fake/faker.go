package fake

import (
	crand "crypto/rand"
	"encoding/binary"
	"math/rand"
	"sync"

	"github.com/brianvoe/gofakeit/v6"

	"github.com/zaoshu/zaoshu/workflows/format"
)

// Faker generates fake data. It is safe for concurrent use; values drawn
// concurrently come from one sequence, so only a serial caller sees a
// reproducible order.
type Faker struct {
	seed     int64
	areas    []format.Area // the GB/T 2260 table regions are looked up in
	counties []format.Area // its county-level areas, which ID numbers and addresses use

	mu  sync.Mutex // guards gf and rnd, which share one source
	gf  *gofakeit.Faker
	rnd *rand.Rand
}

// New returns a Faker whose values are determined by seed. Seed 0 picks a random
// seed, which Seed then reports.
func New(seed int64) *Faker {
	for seed == 0 {
		var b [8]byte
		if _, err := crand.Read(b[:]); err != nil {
			panic("fake: read random seed: " + err.Error()) // crypto/rand does not fail on supported platforms
		}
		seed = int64(binary.BigEndian.Uint64(b[:]) >> 1)
	}
	gf := gofakeit.NewUnlocked(seed)
	f := &Faker{seed: seed, areas: format.Areas(), gf: gf, rnd: gf.Rand}
	for _, a := range f.areas {
		if a.County() {
			f.counties = append(f.counties, a)
		}
	}
	return f
}

// Seed returns the seed that reproduces this Faker's values.
func (f *Faker) Seed() int64 { return f.seed }

// pick returns a random element of list; the caller holds f.mu.
func pick[T any](f *Faker, list []T) T { return list[f.rnd.Intn(len(list))] }

// digits returns n random decimal digits; the caller holds f.mu.
func (f *Faker) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + f.rnd.Intn(10))
	}
	return string(b)
}
