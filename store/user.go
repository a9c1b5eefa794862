package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Roles a user can have.
const (
	RoleAdmin  = "admin"
	RoleMember = "member"
)

// Errors callers branch on.
var (
	ErrUserExists   = errors.New("user already exists")
	ErrTokenInvalid = errors.New("API token not valid")
)

// User is a person or pipeline that asks for builds.
type User struct {
	ID          uint64 `gorm:"primaryKey"`
	Username    string
	DisplayName string
	Role        string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// APIToken lets a client act as a user. Only a hash of the secret is stored.
type APIToken struct {
	ID     uint64 `gorm:"primaryKey"`
	UserID uint64
	Name   string
	Prefix string
	Hash   string
	// Scopes is a comma-separated subset of read, build and admin.
	Scopes string
	// CallbackURL, if set, is told when a run made with this token ends,
	// unless the run names its own; signed with CallbackSecret (sealed).
	CallbackURL    string
	CallbackSecret []byte
	CreatedAt      time.Time
	LastUsedAt     *time.Time
	RevokedAt      *time.Time
}

// tokenPrefix marks zaoshu tokens so secret scanners and people recognise them.
const tokenPrefix = "zs_"

func hashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

func newTokenSecret() (string, error) {
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generate token: %w", err)
	}
	return tokenPrefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)), nil
}

// CreateUser adds a user; ErrUserExists if the username is taken.
func (s *Store) CreateUser(ctx context.Context, u *User) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return createUser(tx, u)
	})
}

func createUser(tx *gorm.DB, u *User) error {
	var n int64
	if err := tx.Model(&User{}).Where("username = ?", u.Username).Count(&n).Error; err != nil {
		return fmt.Errorf("look up user %q: %w", u.Username, err)
	}
	if n > 0 {
		return fmt.Errorf("create user %q: %w", u.Username, ErrUserExists)
	}
	if err := tx.Create(u).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return fmt.Errorf("create user %q: %w", u.Username, ErrUserExists)
		}
		return fmt.Errorf("create user %q: %w", u.Username, err)
	}
	return nil
}

// UserByUsername finds a user; gorm.ErrRecordNotFound wrapped if none.
func (s *Store) UserByUsername(ctx context.Context, username string) (*User, error) {
	var u User
	if err := s.db.WithContext(ctx).Where("username = ?", username).Take(&u).Error; err != nil {
		return nil, fmt.Errorf("find user %q: %w", username, err)
	}
	return &u, nil
}

// CountUsers returns how many users exist.
func (s *Store) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	if err := s.db.WithContext(ctx).Model(&User{}).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

// Token scopes.
const (
	ScopeRead  = "read"
	ScopeBuild = "build"
	ScopeAdmin = "admin"
)

// AllScopes are every scope, in order.
var AllScopes = []string{ScopeRead, ScopeBuild, ScopeAdmin}

// HasScope tells whether the token may do what scope allows; admin allows everything.
func (t *APIToken) HasScope(scope string) bool {
	for _, s := range strings.Split(t.Scopes, ",") {
		if s == scope || s == ScopeAdmin {
			return true
		}
	}
	return false
}

// ScopeList is the token's scopes as a list.
func (t *APIToken) ScopeList() []string {
	if t.Scopes == "" {
		return []string{}
	}
	return strings.Split(t.Scopes, ",")
}

// CreateToken issues a token for a user and returns its secret, which is
// shown once: only its hash is kept. No scopes means read and build.
func (s *Store) CreateToken(ctx context.Context, userID uint64, name string, scopes ...string) (string, *APIToken, error) {
	secret, err := newTokenSecret()
	if err != nil {
		return "", nil, err
	}
	if len(scopes) == 0 {
		scopes = []string{ScopeRead, ScopeBuild}
	}
	t := &APIToken{UserID: userID, Name: name, Prefix: secret[:len(tokenPrefix)+4], Hash: hashToken(secret), Scopes: strings.Join(scopes, ",")}
	if err := s.db.WithContext(ctx).Create(t).Error; err != nil {
		return "", nil, fmt.Errorf("create token %q: %w", name, err)
	}
	return secret, t, nil
}

// UserByToken returns the user a token belongs to; ErrTokenInvalid when the
// token is unknown or revoked.
func (s *Store) UserByToken(ctx context.Context, secret string) (*User, error) {
	u, _, err := s.Authenticate(ctx, secret)
	return u, err
}

// Authenticate returns a token and its user; ErrTokenInvalid when the token
// is unknown or revoked. It notes when the token was last used.
func (s *Store) Authenticate(ctx context.Context, secret string) (*User, *APIToken, error) {
	if !strings.HasPrefix(secret, tokenPrefix) {
		return nil, nil, ErrTokenInvalid
	}
	var t APIToken
	err := s.db.WithContext(ctx).Where("hash = ? AND revoked_at IS NULL", hashToken(secret)).Take(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil, ErrTokenInvalid
	}
	if err != nil {
		return nil, nil, fmt.Errorf("look up token: %w", err)
	}
	var u User
	if err := s.db.WithContext(ctx).Take(&u, t.UserID).Error; err != nil {
		return nil, nil, fmt.Errorf("look up owner of token %s…: %w", t.Prefix, err)
	}
	// Minute precision is enough to show when a token was last used, and
	// spares a write per request.
	now := time.Now().UTC().Truncate(time.Minute)
	if t.LastUsedAt == nil || t.LastUsedAt.Before(now) {
		s.db.WithContext(ctx).Model(&APIToken{}).Where("id = ?", t.ID).Update("last_used_at", now)
		t.LastUsedAt = &now
	}
	return &u, &t, nil
}

// RevokeToken makes a token unusable from now on.
func (s *Store) RevokeToken(ctx context.Context, id uint64) error {
	now := time.Now().UTC()
	res := s.db.WithContext(ctx).Model(&APIToken{}).Where("id = ? AND revoked_at IS NULL", id).Update("revoked_at", &now)
	if res.Error != nil {
		return fmt.Errorf("revoke token %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("revoke token %d: %w", id, gorm.ErrRecordNotFound)
	}
	return nil
}

// FirstAdmin is what Bootstrap made on a database's first start.
type FirstAdmin struct {
	User  *User
	Token string // the secret; shown once
}

// Bootstrap creates the first admin and its API token when the database has no
// users. It returns nil on every later start, so the token is printed once.
// Two processes starting at once cannot both create one: the check and the
// insert share a transaction and the username is unique.
func (s *Store) Bootstrap(ctx context.Context) (*FirstAdmin, error) {
	var first *FirstAdmin
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&User{}).Count(&n).Error; err != nil {
			return fmt.Errorf("count users: %w", err)
		}
		if n > 0 {
			return nil
		}
		u := &User{Username: "admin", DisplayName: "管理员", Role: RoleAdmin}
		if err := createUser(tx, u); err != nil {
			return err
		}
		secret, err := newTokenSecret()
		if err != nil {
			return err
		}
		t := &APIToken{UserID: u.ID, Name: "bootstrap", Prefix: secret[:len(tokenPrefix)+4], Hash: hashToken(secret), Scopes: strings.Join(AllScopes, ",")}
		if err := tx.Create(t).Error; err != nil {
			return fmt.Errorf("create bootstrap token: %w", err)
		}
		first = &FirstAdmin{User: u, Token: secret}
		return nil
	})
	if errors.Is(err, ErrUserExists) {
		// Another process bootstrapped between our check and insert.
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("bootstrap first admin: %w", err)
	}
	return first, nil
}
