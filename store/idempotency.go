package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// IdempotencyKey ties a client's key to the run it created, so the same
// request sent twice builds once.
type IdempotencyKey struct {
	TokenID   uint64 `gorm:"primaryKey;autoIncrement:false"`
	Key       string `gorm:"column:idem_key;primaryKey"`
	BodyHash  string
	RunID     string
	CreatedAt time.Time
}

// ErrKeyReused means an idempotency key came back with a different request.
var ErrKeyReused = errors.New("idempotency key already used for a different request")

// IdempotencyTTL is how long a key is remembered.
const IdempotencyTTL = 24 * time.Hour

// ReserveIdempotencyKey claims a key for a request. It returns nil when the
// caller now holds the key and must create the run (then SetIdempotencyRun,
// or ReleaseIdempotencyKey if nothing was created). It returns the existing
// key when the same request came before — its RunID is empty while the
// first request is still creating the run — and ErrKeyReused when the key
// came with another request.
func (s *Store) ReserveIdempotencyKey(ctx context.Context, tokenID uint64, key, bodyHash string) (*IdempotencyKey, error) {
	var existing *IdempotencyKey
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var k IdempotencyKey
		err := tx.Take(&k, "token_id = ? AND idem_key = ?", tokenID, key).Error
		if err == nil && time.Since(k.CreatedAt) < IdempotencyTTL {
			existing = &k
			return nil
		}
		if err == nil {
			if err := tx.Delete(&k).Error; err != nil {
				return err
			}
		} else if !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		return tx.Create(&IdempotencyKey{TokenID: tokenID, Key: key, BodyHash: bodyHash}).Error
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		// Another request with the key got in between: read what it holds.
		var k IdempotencyKey
		if err := s.db.WithContext(ctx).Take(&k, "token_id = ? AND idem_key = ?", tokenID, key).Error; err != nil {
			return nil, fmt.Errorf("read idempotency key: %w", err)
		}
		existing = &k
	} else if err != nil {
		return nil, fmt.Errorf("reserve idempotency key: %w", err)
	}
	if existing != nil && existing.BodyHash != bodyHash {
		return nil, ErrKeyReused
	}
	return existing, nil
}

// SetIdempotencyRun records the run a reserved key created.
func (s *Store) SetIdempotencyRun(ctx context.Context, tokenID uint64, key, runID string) error {
	err := s.db.WithContext(ctx).Model(&IdempotencyKey{}).Where("token_id = ? AND idem_key = ?", tokenID, key).Update("run_id", runID).Error
	if err != nil {
		return fmt.Errorf("record run of idempotency key: %w", err)
	}
	return nil
}

// ReleaseIdempotencyKey forgets a reserved key whose request created nothing
// (it was refused), so the client can use it again with a corrected request.
func (s *Store) ReleaseIdempotencyKey(ctx context.Context, tokenID uint64, key string) error {
	return s.db.WithContext(ctx).Where("token_id = ? AND idem_key = ? AND run_id = ''", tokenID, key).Delete(&IdempotencyKey{}).Error
}

// IdempotencyKey reads a key.
func (s *Store) IdempotencyKey(ctx context.Context, tokenID uint64, key string) (*IdempotencyKey, error) {
	var k IdempotencyKey
	if err := s.db.WithContext(ctx).Take(&k, "token_id = ? AND idem_key = ?", tokenID, key).Error; err != nil {
		return nil, fmt.Errorf("read idempotency key: %w", err)
	}
	return &k, nil
}
