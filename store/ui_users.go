package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Errors the login flow branches on.
var (
	ErrBadCredentials = errors.New("username or password not valid")
	ErrNoPassword     = errors.New("user has no password yet")
	ErrPasswordWeak   = errors.New("password too short")
	ErrSessionInvalid = errors.New("session not valid")
)

// MinPasswordLength is the shortest password SetPassword accepts.
const MinPasswordLength = 8

// UserPassword is the bcrypt hash of a user's browser password. Kept apart
// from User so a pipeline's user needs none.
type UserPassword struct {
	UserID    uint64 `gorm:"primaryKey;autoIncrement:false"`
	Hash      string
	UpdatedAt time.Time
}

// UISession is a browser login. Only a hash of the cookie's secret is kept.
type UISession struct {
	ID     string `gorm:"primaryKey"`
	UserID uint64
	// CSRF is the token every state-changing request of the session carries.
	CSRF string `gorm:"column:csrf"`
	// MustSetPass marks a session opened with the first admin's API token:
	// it may only set a password.
	MustSetPass bool
	CreatedAt   time.Time
	ExpiresAt   time.Time
}

// TableName keeps the table name readable.
func (UISession) TableName() string { return "ui_sessions" }

// SetPassword sets or replaces a user's password; ErrPasswordWeak when it
// is shorter than MinPasswordLength.
func (s *Store) SetPassword(ctx context.Context, userID uint64, password string) error {
	if len([]rune(password)) < MinPasswordLength {
		return fmt.Errorf("set password of user %d: %w", userID, ErrPasswordWeak)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return fmt.Errorf("hash password of user %d: %w", userID, err)
	}
	rec := UserPassword{UserID: userID, Hash: string(hash), UpdatedAt: time.Now().UTC()}
	err = s.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns: []clause.Column{{Name: "user_id"}}, DoUpdates: clause.AssignmentColumns([]string{"hash", "updated_at"}),
	}).Create(&rec).Error
	if err != nil {
		return fmt.Errorf("save password of user %d: %w", userID, err)
	}
	return nil
}

// HasPassword tells whether the user has set a password.
func (s *Store) HasPassword(ctx context.Context, userID uint64) (bool, error) {
	var n int64
	if err := s.db.WithContext(ctx).Model(&UserPassword{}).Where("user_id = ?", userID).Count(&n).Error; err != nil {
		return false, fmt.Errorf("look up password of user %d: %w", userID, err)
	}
	return n > 0, nil
}

// CheckPassword returns the user when the password is theirs;
// ErrBadCredentials when the user or password is wrong, ErrNoPassword when
// the user exists but never set one.
func (s *Store) CheckPassword(ctx context.Context, username, password string) (*User, error) {
	u, err := s.UserByUsername(ctx, username)
	if errors.Is(err, gorm.ErrRecordNotFound) {
		// Spend the same time as a real check, so timing does not tell who exists.
		_ = bcrypt.CompareHashAndPassword([]byte("$2a$10$7EqJtq98hPqEX7fNZaFWoOhi5BWX4Z8xh6P9pQ6r3v5q3d5i1Yf1e"), []byte(password))
		return nil, ErrBadCredentials
	}
	if err != nil {
		return nil, err
	}
	var rec UserPassword
	err = s.db.WithContext(ctx).Take(&rec, "user_id = ?", u.ID).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return u, ErrNoPassword
	}
	if err != nil {
		return nil, fmt.Errorf("read password of %q: %w", username, err)
	}
	if bcrypt.CompareHashAndPassword([]byte(rec.Hash), []byte(password)) != nil {
		return nil, ErrBadCredentials
	}
	return u, nil
}

// UserByID finds a user; ErrNotFound wrapped if none.
func (s *Store) UserByID(ctx context.Context, id uint64) (*User, error) {
	var u User
	err := s.db.WithContext(ctx).Take(&u, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("user %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read user %d: %w", id, err)
	}
	return &u, nil
}

// Users lists every user by username.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	var us []User
	if err := s.db.WithContext(ctx).Order("username").Find(&us).Error; err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return us, nil
}

// UserTokens lists a user's API tokens, newest first, revoked ones included.
func (s *Store) UserTokens(ctx context.Context, userID uint64) ([]APIToken, error) {
	var ts []APIToken
	if err := s.db.WithContext(ctx).Where("user_id = ?", userID).Order("id DESC").Find(&ts).Error; err != nil {
		return nil, fmt.Errorf("list tokens of user %d: %w", userID, err)
	}
	return ts, nil
}

// RevokeUserToken revokes one of the user's own tokens; ErrNotFound when the
// token is not theirs or already revoked.
func (s *Store) RevokeUserToken(ctx context.Context, userID, tokenID uint64) error {
	now := time.Now().UTC()
	res := s.db.WithContext(ctx).Model(&APIToken{}).Where("id = ? AND user_id = ? AND revoked_at IS NULL", tokenID, userID).Update("revoked_at", &now)
	if res.Error != nil {
		return fmt.Errorf("revoke token %d: %w", tokenID, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("revoke token %d: %w", tokenID, ErrNotFound)
	}
	return nil
}

func randomHex(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generate random value: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// CreateSession opens a browser session for a user lasting ttl and returns
// the secret for the cookie; only its hash is stored.
func (s *Store) CreateSession(ctx context.Context, userID uint64, ttl time.Duration, mustSetPassword bool) (string, *UISession, error) {
	secret, err := randomHex(32)
	if err != nil {
		return "", nil, err
	}
	csrf, err := randomHex(32)
	if err != nil {
		return "", nil, err
	}
	now := time.Now().UTC()
	sess := &UISession{ID: hashToken(secret), UserID: userID, CSRF: csrf, MustSetPass: mustSetPassword, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	if err := s.db.WithContext(ctx).Create(sess).Error; err != nil {
		return "", nil, fmt.Errorf("open session of user %d: %w", userID, err)
	}
	return secret, sess, nil
}

// Session returns the live session of a cookie's secret and its user;
// ErrSessionInvalid when it is unknown or expired.
func (s *Store) Session(ctx context.Context, secret string) (*UISession, *User, error) {
	var sess UISession
	err := s.db.WithContext(ctx).Where("id = ? AND expires_at > ?", hashToken(secret), time.Now().UTC()).Take(&sess).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil, ErrSessionInvalid
	}
	if err != nil {
		return nil, nil, fmt.Errorf("look up session: %w", err)
	}
	u, err := s.UserByID(ctx, sess.UserID)
	if errors.Is(err, ErrNotFound) {
		return nil, nil, ErrSessionInvalid
	}
	if err != nil {
		return nil, nil, err
	}
	return &sess, u, nil
}

// DeleteSession ends the session of a cookie's secret (logout).
func (s *Store) DeleteSession(ctx context.Context, secret string) error {
	if err := s.db.WithContext(ctx).Where("id = ?", hashToken(secret)).Delete(&UISession{}).Error; err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}

// ClearMustSetPassword lets a first-start session act normally once the
// password is set.
func (s *Store) ClearMustSetPassword(ctx context.Context, secret string) error {
	if err := s.db.WithContext(ctx).Model(&UISession{}).Where("id = ?", hashToken(secret)).Update("must_set_pass", false).Error; err != nil {
		return fmt.Errorf("update session: %w", err)
	}
	return nil
}

// FirstPasswordLogin lets a user who never set a password in with one of
// their own API tokens, once: it is how the bootstrap admin (who has a token
// but no password) gets into the web UI. ErrBadCredentials when the user has
// a password already or the token is not theirs.
func (s *Store) FirstPasswordLogin(ctx context.Context, username, token string) (*User, error) {
	u, err := s.UserByUsername(ctx, username)
	if err != nil {
		return nil, ErrBadCredentials
	}
	has, err := s.HasPassword(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	if has {
		return nil, ErrBadCredentials
	}
	owner, err := s.UserByToken(ctx, token)
	if err != nil || owner.ID != u.ID {
		return nil, ErrBadCredentials
	}
	return u, nil
}
