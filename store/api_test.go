package store_test

import (
	"errors"
	"sync"
	"testing"

	"github.com/zaoshu/zaoshu/store"
	"github.com/zaoshu/zaoshu/store/storetest"
)

func TestTokenScopes(t *testing.T) {
	for _, db := range storetest.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := storetest.Open(t, db)
			first, err := s.Bootstrap(ctx(t))
			if err != nil {
				t.Fatal(err)
			}
			_, admin, err := s.Authenticate(ctx(t), first.Token)
			if err != nil || !admin.HasScope(store.ScopeAdmin) || !admin.HasScope(store.ScopeBuild) {
				t.Fatalf("bootstrap token = %+v, %v; want every scope", admin, err)
			}
			secret, _, err := s.CreateToken(ctx(t), first.User.ID, "ci", store.ScopeRead)
			if err != nil {
				t.Fatal(err)
			}
			_, ro, _ := s.Authenticate(ctx(t), secret)
			if !ro.HasScope(store.ScopeRead) || ro.HasScope(store.ScopeBuild) || ro.HasScope(store.ScopeAdmin) || ro.LastUsedAt == nil {
				t.Errorf("read-only token = %+v", ro)
			}
		})
	}
}

func TestIdempotencyKeys(t *testing.T) {
	for _, db := range storetest.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := storetest.Open(t, db)
			// Ten identical requests at once: exactly one holds the key.
			var wg sync.WaitGroup
			var mu sync.Mutex
			holders := 0
			for range 10 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					k, err := s.ReserveIdempotencyKey(ctx(t), 1, "build-42", "hash-a")
					if err != nil {
						t.Error(err)
						return
					}
					if k == nil {
						mu.Lock()
						holders++
						mu.Unlock()
					}
				}()
			}
			wg.Wait()
			if holders != 1 {
				t.Fatalf("%d requests hold the key, want 1", holders)
			}
			if err := s.SetIdempotencyRun(ctx(t), 1, "build-42", "r123"); err != nil {
				t.Fatal(err)
			}
			k, err := s.ReserveIdempotencyKey(ctx(t), 1, "build-42", "hash-a")
			if err != nil || k == nil || k.RunID != "r123" {
				t.Errorf("repeat = %+v, %v; want the first run", k, err)
			}
			if _, err := s.ReserveIdempotencyKey(ctx(t), 1, "build-42", "hash-b"); !errors.Is(err, store.ErrKeyReused) {
				t.Errorf("other request with the key: err = %v", err)
			}
			if k, err := s.ReserveIdempotencyKey(ctx(t), 2, "build-42", "hash-b"); err != nil || k != nil {
				t.Errorf("another token's same key: %+v, %v; want its own", k, err)
			}
			// A refused request releases its key for a corrected one.
			if k, _ := s.ReserveIdempotencyKey(ctx(t), 1, "build-43", "hash-a"); k != nil {
				t.Fatal("fresh key already held")
			}
			if err := s.ReleaseIdempotencyKey(ctx(t), 1, "build-43"); err != nil {
				t.Fatal(err)
			}
			if k, err := s.ReserveIdempotencyKey(ctx(t), 1, "build-43", "hash-c"); err != nil || k != nil {
				t.Errorf("released key: %+v, %v", k, err)
			}
		})
	}
}
