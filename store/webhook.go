package store

import (
	"context"
	"fmt"
	"time"
)

// WebhookDelivery is one attempt to tell a run's callback URL that the run ended.
type WebhookDelivery struct {
	ID         uint64    `gorm:"primaryKey"`
	RunID      string    `gorm:"size:32;not null;index"`
	URL        string    `gorm:"size:2048;not null"`
	Attempt    int       `gorm:"not null"`
	StatusCode int       `gorm:"not null;default:0"`
	Error      string    `gorm:"size:1024;not null;default:''"`
	DurationMS int64     `gorm:"not null;default:0"`
	CreatedAt  time.Time `gorm:"not null"`
}

// SealCallbackSecret keeps the secret a run's callbacks are signed with, encrypted.
func (s *Store) SealCallbackSecret(r *Run, secret string) error {
	sealed, err := seal(s.secretKey, []byte(secret))
	if err != nil {
		return fmt.Errorf("callback secret of run %s: %w", r.ID, err)
	}
	r.CallbackSecret = sealed
	return nil
}

// CallbackSecret returns the secret a run's callbacks are signed with.
func (s *Store) CallbackSecret(r *Run) (string, error) {
	if len(r.CallbackSecret) == 0 {
		return "", nil
	}
	plain, err := open(s.secretKey, r.CallbackSecret)
	if err != nil {
		return "", fmt.Errorf("callback secret of run %s: %w", r.ID, err)
	}
	return string(plain), nil
}

// AddWebhookDelivery logs a delivery attempt.
func (s *Store) AddWebhookDelivery(ctx context.Context, d *WebhookDelivery) error {
	if err := s.db.WithContext(ctx).Create(d).Error; err != nil {
		return fmt.Errorf("log webhook delivery of run %s: %w", d.RunID, err)
	}
	return nil
}

// WebhookDeliveries lists a run's delivery attempts in order.
func (s *Store) WebhookDeliveries(ctx context.Context, runID string) ([]WebhookDelivery, error) {
	var ds []WebhookDelivery
	if err := s.db.WithContext(ctx).Where("run_id = ?", runID).Order("id").Find(&ds).Error; err != nil {
		return nil, fmt.Errorf("read webhook deliveries of run %s: %w", runID, err)
	}
	return ds, nil
}

// SetTokenCallback gives a token a callback for the runs made with it;
// an empty url removes it.
func (s *Store) SetTokenCallback(ctx context.Context, tokenID uint64, url, secret string) error {
	var sealed []byte
	if url != "" {
		var err error
		if sealed, err = seal(s.secretKey, []byte(secret)); err != nil {
			return fmt.Errorf("callback of token %d: %w", tokenID, err)
		}
	}
	err := s.db.WithContext(ctx).Model(&APIToken{}).Where("id = ?", tokenID).
		Updates(map[string]any{"callback_url": url, "callback_secret": sealed}).Error
	if err != nil {
		return fmt.Errorf("callback of token %d: %w", tokenID, err)
	}
	return nil
}

// TokenCallback returns a token's callback URL and secret, if it has one.
func (s *Store) TokenCallback(t *APIToken) (url, secret string, err error) {
	if t.CallbackURL == "" {
		return "", "", nil
	}
	plain, err := open(s.secretKey, t.CallbackSecret)
	if err != nil {
		return "", "", fmt.Errorf("callback of token %d: %w", t.ID, err)
	}
	return t.CallbackURL, string(plain), nil
}
