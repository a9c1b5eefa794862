// Package storetest gives tests their own database: a fresh SQLite file always,
// and an isolated schema on PostgreSQL or database on MySQL when
// ZAOSHU_TEST_POSTGRES_URL or ZAOSHU_TEST_MYSQL_URL is set. Everything made is
// dropped when the test ends.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	// Drivers for database/sql, used to create and drop the isolated databases.
	_ "github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/zaoshu/zaoshu/store"
)

// Environment variables naming the real databases tests may use.
const (
	PostgresEnv = "ZAOSHU_TEST_POSTGRES_URL"
	MySQLEnv    = "ZAOSHU_TEST_MYSQL_URL"
)

// Database is one place a test can run its store.
type Database struct {
	Name string // "sqlite", "postgres" or "mysql": use it as the subtest name
	URL  string // a ZAOSHU_DATABASE_URL for that database, isolated for this test
}

// Databases returns SQLite always, plus PostgreSQL and MySQL when their
// environment variables are set. Each is isolated and cleaned up.
func Databases(t testing.TB) []Database {
	t.Helper()
	dbs := []Database{{Name: "sqlite", URL: SQLiteURL(t)}}
	if u, ok := PostgresURL(t); ok {
		dbs = append(dbs, Database{Name: "postgres", URL: u})
	}
	if u, ok := MySQLURL(t); ok {
		dbs = append(dbs, Database{Name: "mysql", URL: u})
	}
	return dbs
}

// SQLiteURL is a fresh SQLite file in the test's temporary directory.
func SQLiteURL(t testing.TB) string {
	t.Helper()
	return "sqlite://" + filepath.Join(t.TempDir(), "zaoshu.db")
}

func uniqueName() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return "zs_test_" + hex.EncodeToString(b)
}

// PostgresURL creates a schema of its own on the PostgreSQL server named by
// ZAOSHU_TEST_POSTGRES_URL and returns a URL whose search_path points at it.
func PostgresURL(t testing.TB) (string, bool) {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		return "", false
	}
	schema := uniqueName()
	execAdmin(t, "pgx", base, "CREATE SCHEMA "+schema)
	t.Cleanup(func() { execAdmin(t, "pgx", base, "DROP SCHEMA "+schema+" CASCADE") })
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", PostgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), true
}

// MySQLURL creates a database of its own on the MySQL server named by
// ZAOSHU_TEST_MYSQL_URL and returns a URL for it.
func MySQLURL(t testing.TB) (string, bool) {
	t.Helper()
	base := os.Getenv(MySQLEnv)
	if base == "" {
		return "", false
	}
	target, err := store.ParseURL(base)
	if err != nil {
		t.Fatalf("%s: %v", MySQLEnv, err)
	}
	name := uniqueName()
	adminDSN := store.DSN(target)
	execAdmin(t, "mysql", adminDSN, "CREATE DATABASE "+name+" CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
	t.Cleanup(func() { execAdmin(t, "mysql", adminDSN, "DROP DATABASE "+name) })
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", MySQLEnv, err)
	}
	u.Path = "/" + name
	return u.String(), true
}

func execAdmin(t testing.TB, driver, dsn, stmt string) {
	t.Helper()
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatalf("open %s: %v", driver, err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := db.ExecContext(ctx, stmt); err != nil {
		t.Fatalf("%s: %s: %v", driver, stmt, err)
	}
}

// SecretKey is the key test stores encrypt secrets with.
var SecretKey = []byte("zaoshu-test-secret-key-32-bytes!")

// Open opens a store on the database and closes it when the test ends.
func Open(t testing.TB, db Database, opts ...store.Option) *store.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := store.Open(ctx, db.URL, append([]store.Option{store.WithSecretKey(SecretKey)}, opts...)...)
	if err != nil {
		t.Fatalf("open %s store: %v", db.Name, err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}
