package store_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zaoshu/zaoshu/store"
	"github.com/zaoshu/zaoshu/store/storetest"
)

func uatEnv() *store.Environment {
	return &store.Environment{
		Name: "uat-sim", Title: "内置模拟环境",
		Services: map[string]store.ServiceConfig{
			"account": {BaseURL: "http://127.0.0.1:9090/account", Health: &store.HealthProbe{Path: "/health"}},
			"custody": {BaseURL: "http://127.0.0.1:9090/custody", Timeout: "5s"},
		},
		Concurrency: 5,
	}
}

func TestEnvironmentSecretsEncryptedAtRest(t *testing.T) {
	for _, db := range storetest.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := storetest.Open(t, db)
			if err := s.SaveEnvironment(ctx(t), uatEnv(), map[string]string{"operator": "uat01", "operator_password": "Pa55word!"}); err != nil {
				t.Fatal(err)
			}
			env, err := s.Environment(ctx(t), "uat-sim")
			if err != nil {
				t.Fatal(err)
			}
			if env.Services["account"].Health.Path != "/health" || env.Concurrency != 5 || env.Patience != store.DefaultPatience {
				t.Errorf("stored environment = %+v", env)
			}
			if len(env.SecretNames) != 2 || env.SecretNames[0] != "operator" {
				t.Errorf("secret names = %v", env.SecretNames)
			}
			var raw []byte
			if err := s.DB().Table("environments").Select("sealed_secrets").Where("name = ?", "uat-sim").Row().Scan(&raw); err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(raw, []byte("Pa55word!")) || len(raw) == 0 {
				t.Fatalf("secrets stored in clear: %q", raw)
			}
			secrets, err := s.Secrets(env)
			if err != nil || secrets["operator_password"] != "Pa55word!" {
				t.Fatalf("secrets = %v, %v", secrets, err)
			}

			// Saving without secrets keeps them; the other fields change.
			changed := uatEnv()
			changed.Protected = true
			if err := s.SaveEnvironment(ctx(t), changed, nil); err != nil {
				t.Fatal(err)
			}
			env, _ = s.Environment(ctx(t), "uat-sim")
			if secrets, _ := s.Secrets(env); !env.Protected || secrets["operator"] != "uat01" {
				t.Errorf("after update: protected=%v secrets=%v", env.Protected, secrets)
			}

			// Another key cannot read them, and says why.
			other := storetest.Open(t, db, store.WithSecretKey(bytes.Repeat([]byte{1}, 32)))
			env2, _ := other.Environment(ctx(t), "uat-sim")
			if _, err := other.Secrets(env2); err == nil {
				t.Error("secrets decrypted with the wrong key")
			}
			if envs, _ := s.Environments(ctx(t)); len(envs) != 1 {
				t.Errorf("environments = %d, want 1", len(envs))
			}
			if err := s.DeleteEnvironment(ctx(t), "uat-sim"); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Environment(ctx(t), "uat-sim"); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("after delete: %v", err)
			}
		})
	}
}

func TestSecretKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "secret.key")
	k1, err := store.LoadOrCreateSecretKey(path)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := store.LoadOrCreateSecretKey(path)
	if err != nil || !bytes.Equal(k1, k2) || len(k1) != store.SecretKeySize {
		t.Fatalf("second load = %x, %v; want the same %d-byte key", k2, err, store.SecretKeySize)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode = %v, want 0600", fi.Mode().Perm())
	}
	if _, err := store.ParseSecretKey("c2hvcnQ="); err == nil {
		t.Error("a 5-byte key was accepted")
	}
}

func TestNoSecretKeyRefusesSecrets(t *testing.T) {
	ctxT := ctx(t)
	s, err := store.Open(ctxT, storetest.SQLiteURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.SaveEnvironment(ctxT, uatEnv(), map[string]string{"a": "b"}); !errors.Is(err, store.ErrNoSecretKey) {
		t.Errorf("err = %v, want ErrNoSecretKey", err)
	}
}

func TestEnvironmentCheck(t *testing.T) {
	env := &store.Environment{Name: "UAT 1", Concurrency: -1, Services: map[string]store.ServiceConfig{
		"account": {BaseURL: "uat1/account", Timeout: "soon"}, "custody": {BaseURL: "https://uat1.example.test/custody"}}}
	var got []string
	for _, p := range env.Check() {
		got = append(got, p.Field)
	}
	want := "name services.account.base_url services.account.timeout concurrency"
	if strings.Join(got, " ") != want {
		t.Errorf("problems at %v, want %s", got, want)
	}
	if p := uatEnv().Check(); len(p) != 0 {
		t.Errorf("a good environment has problems: %v", p)
	}
}
