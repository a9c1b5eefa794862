package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/zaoshu/zaoshu/store"
	"github.com/zaoshu/zaoshu/store/storetest"
)

func TestPasswordLoginAndFirstStart(t *testing.T) {
	for _, db := range storetest.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := storetest.Open(t, db)
			first, err := s.Bootstrap(ctx(t))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.CheckPassword(ctx(t), "admin", "whatever1"); !errors.Is(err, store.ErrNoPassword) {
				t.Fatalf("check before any password: %v, want ErrNoPassword", err)
			}
			// The bootstrap token opens the door once, while no password is set.
			if u, err := s.FirstPasswordLogin(ctx(t), "admin", first.Token); err != nil || u.ID != first.User.ID {
				t.Fatalf("first login with the bootstrap token = %v, %v", u, err)
			}
			if _, err := s.FirstPasswordLogin(ctx(t), "admin", "zs_wrong"); !errors.Is(err, store.ErrBadCredentials) {
				t.Fatalf("first login with a wrong token: %v, want ErrBadCredentials", err)
			}
			if err := s.SetPassword(ctx(t), first.User.ID, "short"); !errors.Is(err, store.ErrPasswordWeak) {
				t.Fatalf("short password: %v, want ErrPasswordWeak", err)
			}
			if err := s.SetPassword(ctx(t), first.User.ID, "correct horse"); err != nil {
				t.Fatal(err)
			}
			if _, err := s.FirstPasswordLogin(ctx(t), "admin", first.Token); !errors.Is(err, store.ErrBadCredentials) {
				t.Fatalf("token login after a password is set: %v, want ErrBadCredentials", err)
			}
			if u, err := s.CheckPassword(ctx(t), "admin", "correct horse"); err != nil || u.Username != "admin" {
				t.Fatalf("right password = %v, %v", u, err)
			}
			for _, c := range [][2]string{{"admin", "wrong horse"}, {"nobody", "correct horse"}} {
				if _, err := s.CheckPassword(ctx(t), c[0], c[1]); !errors.Is(err, store.ErrBadCredentials) {
					t.Errorf("CheckPassword(%q, %q) = %v, want ErrBadCredentials", c[0], c[1], err)
				}
			}
			// Changing it replaces the old one.
			if err := s.SetPassword(ctx(t), first.User.ID, "battery staple"); err != nil {
				t.Fatal(err)
			}
			if _, err := s.CheckPassword(ctx(t), "admin", "correct horse"); !errors.Is(err, store.ErrBadCredentials) {
				t.Errorf("old password still accepted: %v", err)
			}
		})
	}
}

func TestSessions(t *testing.T) {
	for _, db := range storetest.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := storetest.Open(t, db)
			first, err := s.Bootstrap(ctx(t))
			if err != nil {
				t.Fatal(err)
			}
			secret, sess, err := s.CreateSession(ctx(t), first.User.ID, time.Hour, true)
			if err != nil {
				t.Fatal(err)
			}
			got, u, err := s.Session(ctx(t), secret)
			if err != nil || u.ID != first.User.ID || got.CSRF != sess.CSRF || !got.MustSetPass || len(got.CSRF) != 64 {
				t.Fatalf("session = %+v, %+v, %v", got, u, err)
			}
			if err := s.ClearMustSetPassword(ctx(t), secret); err != nil {
				t.Fatal(err)
			}
			if got, _, _ := s.Session(ctx(t), secret); got.MustSetPass {
				t.Error("session still must set a password after it was cleared")
			}
			if err := s.DeleteSession(ctx(t), secret); err != nil {
				t.Fatal(err)
			}
			if _, _, err := s.Session(ctx(t), secret); !errors.Is(err, store.ErrSessionInvalid) {
				t.Errorf("session after logout: %v, want ErrSessionInvalid", err)
			}
			expired, _, err := s.CreateSession(ctx(t), first.User.ID, -time.Minute, false)
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := s.Session(ctx(t), expired); !errors.Is(err, store.ErrSessionInvalid) {
				t.Errorf("expired session: %v, want ErrSessionInvalid", err)
			}
		})
	}
}

func TestUserTokens(t *testing.T) {
	s := storetest.Open(t, storetest.Database{Name: "sqlite", URL: storetest.SQLiteURL(t)})
	first, err := s.Bootstrap(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	other := &store.User{Username: "li", DisplayName: "李", Role: store.RoleMember}
	if err := s.CreateUser(ctx(t), other); err != nil {
		t.Fatal(err)
	}
	_, tok, err := s.CreateToken(ctx(t), first.User.ID, "ci")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeUserToken(ctx(t), other.ID, tok.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("revoking another user's token: %v, want ErrNotFound", err)
	}
	if err := s.RevokeUserToken(ctx(t), first.User.ID, tok.ID); err != nil {
		t.Fatal(err)
	}
	ts, err := s.UserTokens(ctx(t), first.User.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 2 || ts[0].Name != "ci" || ts[0].RevokedAt == nil || ts[1].RevokedAt != nil {
		t.Fatalf("tokens = %+v, want ci (revoked) then bootstrap", ts)
	}
}
