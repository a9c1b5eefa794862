package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zaoshu/zaoshu/store"
	"github.com/zaoshu/zaoshu/store/storetest"
)

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return c
}

func TestSchemaCreatedAndVersioned(t *testing.T) {
	for _, db := range storetest.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := storetest.Open(t, db)
			v, err := s.SchemaVersion(ctx(t))
			if err != nil {
				t.Fatal(err)
			}
			if v != store.LatestSchemaVersion() {
				t.Fatalf("schema version = %q, want %q", v, store.LatestSchemaVersion())
			}
			if string(s.Driver()) != db.Name {
				t.Errorf("driver = %s, want %s", s.Driver(), db.Name)
			}
			// A second start on the same database finds the schema current and keeps the data.
			if _, err := s.Bootstrap(ctx(t)); err != nil {
				t.Fatal(err)
			}
			again := storetest.Open(t, db)
			if v2, _ := again.SchemaVersion(ctx(t)); v2 != v {
				t.Errorf("schema version after reopen = %q, want %q", v2, v)
			}
			if n, _ := again.CountUsers(ctx(t)); n != 1 {
				t.Errorf("users after reopen = %d, want 1", n)
			}
		})
	}
}

func TestBootstrapCreatesOneAdminWithHashedToken(t *testing.T) {
	for _, db := range storetest.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := storetest.Open(t, db)
			first, err := s.Bootstrap(ctx(t))
			if err != nil {
				t.Fatal(err)
			}
			if first == nil || first.User.Role != store.RoleAdmin || !strings.HasPrefix(first.Token, "zs_") {
				t.Fatalf("first bootstrap = %+v, want an admin and a zs_ token", first)
			}
			u, err := s.UserByToken(ctx(t), first.Token)
			if err != nil || u.Username != "admin" {
				t.Fatalf("token resolves to %+v, %v; want admin", u, err)
			}
			var stored []string
			if err := s.DB().Table("api_tokens").Pluck("hash", &stored).Error; err != nil {
				t.Fatal(err)
			}
			if len(stored) != 1 || stored[0] == first.Token || strings.Contains(stored[0], first.Token[3:]) {
				t.Fatalf("stored token column = %v: the secret must not be stored", stored)
			}
			second, err := s.Bootstrap(ctx(t))
			if err != nil || second != nil {
				t.Fatalf("second bootstrap = %+v, %v; want nothing (token shown on first start only)", second, err)
			}
			if _, err := s.UserByToken(ctx(t), first.Token+"x"); !errors.Is(err, store.ErrTokenInvalid) {
				t.Errorf("wrong token: err = %v, want ErrTokenInvalid", err)
			}
		})
	}
}

func TestTokenRevokedIsRefused(t *testing.T) {
	for _, db := range storetest.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := storetest.Open(t, db)
			u := &store.User{Username: "ci-bot", DisplayName: "CI", Role: store.RoleMember}
			if err := s.CreateUser(ctx(t), u); err != nil {
				t.Fatal(err)
			}
			secret, tok, err := s.CreateToken(ctx(t), u.ID, "pipeline")
			if err != nil {
				t.Fatal(err)
			}
			if got, err := s.UserByToken(ctx(t), secret); err != nil || got.ID != u.ID {
				t.Fatalf("before revoke: %+v, %v", got, err)
			}
			if err := s.RevokeToken(ctx(t), tok.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := s.UserByToken(ctx(t), secret); !errors.Is(err, store.ErrTokenInvalid) {
				t.Errorf("after revoke: err = %v, want ErrTokenInvalid", err)
			}
		})
	}
}

func TestDuplicateUsernameRefused(t *testing.T) {
	for _, db := range storetest.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := storetest.Open(t, db)
			if err := s.CreateUser(ctx(t), &store.User{Username: "zhangsan", DisplayName: "张三", Role: store.RoleMember}); err != nil {
				t.Fatal(err)
			}
			err := s.CreateUser(ctx(t), &store.User{Username: "zhangsan", DisplayName: "张三", Role: store.RoleMember})
			if !errors.Is(err, store.ErrUserExists) {
				t.Fatalf("err = %v, want ErrUserExists", err)
			}
		})
	}
}

// Ten goroutines doing read-then-write transactions must never see
// "database is locked" on SQLite, and every write must land.
func TestConcurrentWriters(t *testing.T) {
	for _, db := range storetest.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := storetest.Open(t, db)
			const writers, each = 10, 30
			var wg sync.WaitGroup
			errs := make(chan error, writers*each)
			for w := range writers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range each {
						u := &store.User{Username: fmt.Sprintf("u%d-%d", w, i), DisplayName: "测试", Role: store.RoleMember}
						if err := s.CreateUser(ctx(t), u); err != nil {
							errs <- err
							continue
						}
						secret, _, err := s.CreateToken(ctx(t), u.ID, "t")
						if err != nil {
							errs <- err
							continue
						}
						if got, err := s.UserByToken(ctx(t), secret); err != nil || got.ID != u.ID {
							errs <- fmt.Errorf("token of %s: %+v, %v", u.Username, got, err)
						}
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
			if n, _ := s.CountUsers(ctx(t)); n != writers*each {
				t.Errorf("users = %d, want %d", n, writers*each)
			}
		})
	}
}

func TestParseURL(t *testing.T) {
	cases := []struct {
		url     string
		driver  store.Driver
		dsnHas  string
		wantErr string
	}{
		{url: "sqlite://./data/zaoshu.db", driver: store.SQLite, dsnHas: "./data/zaoshu.db?_pragma=journal_mode(WAL)"},
		{url: "sqlite:///var/lib/zaoshu/z.db", driver: store.SQLite, dsnHas: "/var/lib/zaoshu/z.db?"},
		{url: "sqlite://:memory:", driver: store.SQLite, dsnHas: "_txlock=immediate"},
		{url: "postgres://u:p@db:5432/zaoshu?sslmode=disable", driver: store.Postgres, dsnHas: "connect_timeout=5"},
		{url: "mysql://root:secret@127.0.0.1:3306/zaoshu", driver: store.MySQL, dsnHas: "root:secret@tcp(127.0.0.1:3306)/zaoshu?"},
		{url: "mysql://root@db/zaoshu", driver: store.MySQL, dsnHas: "tcp(db:3306)"},
		{url: "mysql://root@db:3306/", wantErr: "names no database"},
		{url: "oracle://x", wantErr: `scheme "oracle" is not supported`},
		{url: "zaoshu.db", wantErr: "has no scheme"},
	}
	for _, c := range cases {
		t.Run(c.url, func(t *testing.T) {
			got, err := store.ParseURL(c.url)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err = %v, want it to say %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Driver != c.driver || !strings.Contains(store.DSN(got), c.dsnHas) {
				t.Errorf("got %s %q, want %s containing %q", got.Driver, store.DSN(got), c.driver, c.dsnHas)
			}
		})
	}
}

func TestRedactURLHidesPassword(t *testing.T) {
	got := store.RedactURL("postgres://zaoshu:s3cret@db:5432/zaoshu")
	if strings.Contains(got, "s3cret") || !strings.Contains(got, "zaoshu:xxxxx@db") {
		t.Errorf("RedactURL = %q", got)
	}
}

func TestOpenUnreachableDatabase(t *testing.T) {
	_, err := store.Open(ctx(t), "postgres://zaoshu:s3cret@127.0.0.1:1/zaoshu?sslmode=disable")
	if !errors.Is(err, store.ErrUnreachable) {
		t.Fatalf("err = %v, want ErrUnreachable", err)
	}
	if strings.Contains(err.Error(), "s3cret") {
		t.Errorf("error leaks the password: %v", err)
	}
}
