// Package store is zaoshu's persistence: the only place that talks SQL.
//
// One Store type works on SQLite (the embedded default), PostgreSQL and MySQL;
// nothing outside this package knows which one is in use.
package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	gomysql "github.com/go-sql-driver/mysql"
	"gorm.io/driver/mysql"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Driver names a supported database.
type Driver string

// The databases zaoshu runs on.
const (
	SQLite   Driver = "sqlite"
	Postgres Driver = "postgres"
	MySQL    Driver = "mysql"
)

// sqlitePragmas make concurrent writers wait instead of failing: WAL lets readers
// run beside the writer, busy_timeout makes a writer wait for the lock, and
// _txlock=immediate takes the write lock at BEGIN so a read-then-write
// transaction can never be refused half-way ("database is locked").
const sqlitePragmas = "_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)&_txlock=immediate"

// Target is a parsed database URL.
type Target struct {
	Driver Driver
	// URL is the URL as given; Redacted() hides its password.
	URL string
	dsn string
}

// Redacted is the URL with any password replaced, safe to print and log.
func (t Target) Redacted() string { return RedactURL(t.URL) }

// RedactURL hides the password of a URL so it can be printed.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	if _, ok := u.User.Password(); !ok {
		return raw
	}
	return u.Redacted()
}

// ParseURL understands postgres://, postgresql://, mysql:// and sqlite://PATH
// (sqlite://./data/zaoshu.db, sqlite:///abs/path.db, sqlite://:memory:).
func ParseURL(raw string) (Target, error) {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return Target{}, fmt.Errorf("database URL %q has no scheme: use postgres://, mysql:// or sqlite://PATH", RedactURL(raw))
	}
	switch strings.ToLower(scheme) {
	case "sqlite", "sqlite3", "file":
		if rest == "" {
			return Target{}, fmt.Errorf("database URL %q names no file: use sqlite://./data/zaoshu.db", raw)
		}
		path, query, _ := strings.Cut(rest, "?")
		dsn := path + "?" + sqlitePragmas
		if query != "" {
			dsn += "&" + query
		}
		return Target{Driver: SQLite, URL: raw, dsn: dsn}, nil
	case "postgres", "postgresql":
		u, err := url.Parse(raw)
		if err != nil {
			return Target{}, fmt.Errorf("parse database URL %q: %w", RedactURL(raw), err)
		}
		q := u.Query()
		if q.Get("connect_timeout") == "" {
			q.Set("connect_timeout", "5")
		}
		u.RawQuery = q.Encode()
		return Target{Driver: Postgres, URL: raw, dsn: u.String()}, nil
	case "mysql", "mariadb":
		dsn, err := mysqlDSN(raw)
		if err != nil {
			return Target{}, err
		}
		return Target{Driver: MySQL, URL: raw, dsn: dsn}, nil
	default:
		return Target{}, fmt.Errorf("database URL scheme %q is not supported: use postgres://, mysql:// or sqlite://PATH", scheme)
	}
}

// mysqlDSN turns mysql://user:pass@host:port/db?opts into the driver's DSN,
// with the settings zaoshu relies on (UTC times, utf8mb4 for Chinese text).
func mysqlDSN(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("parse database URL %q: %w", RedactURL(raw), err)
	}
	cfg := gomysql.NewConfig()
	cfg.Net = "tcp"
	cfg.Addr = u.Host
	if u.Port() == "" {
		cfg.Addr = u.Hostname() + ":3306"
	}
	if u.User != nil {
		cfg.User = u.User.Username()
		cfg.Passwd, _ = u.User.Password()
	}
	cfg.DBName = strings.TrimPrefix(u.Path, "/")
	if cfg.DBName == "" {
		return "", fmt.Errorf("database URL %q names no database: add it as the path, e.g. mysql://root@127.0.0.1:3306/zaoshu", RedactURL(raw))
	}
	cfg.ParseTime = true
	cfg.Loc = time.UTC
	cfg.Timeout = 5 * time.Second
	cfg.Params = map[string]string{"charset": "utf8mb4"}
	for k, vs := range u.Query() {
		cfg.Params[k] = vs[0]
	}
	return cfg.FormatDSN(), nil
}

// Store is zaoshu's database.
type Store struct {
	db        *gorm.DB
	target    Target
	secretKey []byte
}

// Option configures a Store.
type Option func(*Store)

// WithSecretKey sets the AES-256 key that encrypts environment secrets at
// rest. Without it, secrets can be neither saved nor read.
func WithSecretKey(key []byte) Option { return func(s *Store) { s.secretKey = key } }

// ErrUnreachable wraps a failure to connect to the database at start.
var ErrUnreachable = errors.New("database unreachable")

// Open connects to the database named by rawURL and brings its schema up to
// date. The connection is checked within the context's deadline.
func Open(ctx context.Context, rawURL string, opts ...Option) (*Store, error) {
	t, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	var dialector gorm.Dialector
	switch t.Driver {
	case SQLite:
		path, _, _ := strings.Cut(t.dsn, "?")
		if path != ":memory:" && !strings.HasPrefix(path, "file:") {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				return nil, fmt.Errorf("create directory for %s: %w", path, err)
			}
		}
		conn, err := openSQLite(t.dsn)
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", t.Redacted(), err)
		}
		dialector = &sqlite.Dialector{Conn: conn}
	case Postgres:
		dialector = postgres.Open(t.dsn)
	case MySQL:
		dialector = mysql.Open(t.dsn)
	}
	db, err := gorm.Open(dialector, &gorm.Config{
		Logger:                 logger.Discard,
		DisableAutomaticPing:   true,
		SkipDefaultTransaction: true,
		TranslateError:         true,
		// Statements are parsed once per connection and reused: on SQLite,
		// parsing was a tenth of the API's time under load.
		PrepareStmt: true,
		NowFunc:     func() time.Time { return time.Now().UTC() },
	})
	if err != nil {
		return nil, fmt.Errorf("%w at %s: %w", ErrUnreachable, t.Redacted(), err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", t.Redacted(), err)
	}
	if t.Driver == SQLite && strings.HasPrefix(t.dsn, ":memory:") {
		// Every connection to :memory: is its own empty database.
		sqlDB.SetMaxOpenConns(1)
	} else {
		sqlDB.SetMaxOpenConns(20)
		sqlDB.SetMaxIdleConns(10)
		sqlDB.SetConnMaxLifetime(30 * time.Minute)
	}
	s := &Store{db: db, target: t}
	for _, o := range opts {
		o(s)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pingCtx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("%w at %s: %w", ErrUnreachable, t.Redacted(), err)
	}
	if err := s.migrate(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, err
	}
	return s, nil
}

// Driver tells which database this store runs on.
func (s *Store) Driver() Driver { return s.target.Driver }

// Target describes the database, with the password hidden.
func (s *Store) Target() string { return s.target.Redacted() }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// Close releases the connections.
func (s *Store) Close() error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// DSN is the driver-level connection string for a target, for tools that
// talk to the database without the store (test set-up, migrations by hand).
func DSN(t Target) string { return t.dsn }
