package store

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// apiMigrations add what the REST API needs: token scopes and idempotency keys.
func apiMigrations() []*gormigrate.Migration {
	return []*gormigrate.Migration{
		{
			ID: "2026112220_token_scopes_and_idempotency_keys",
			Migrate: func(tx *gorm.DB) error {
				type APIToken struct {
					Scopes string `gorm:"size:64;not null;default:'read,build,admin'"`
				}
				if err := tx.Migrator().AddColumn(&APIToken{}, "Scopes"); err != nil {
					return err
				}
				type IdempotencyKey struct {
					TokenID   uint64    `gorm:"primaryKey;autoIncrement:false"`
					Key       string    `gorm:"column:idem_key;primaryKey;size:128"`
					BodyHash  string    `gorm:"size:64;not null"`
					RunID     string    `gorm:"size:32;not null;default:''"`
					CreatedAt time.Time `gorm:"not null;index"`
				}
				return tx.AutoMigrate(&IdempotencyKey{})
			},
			Rollback: func(tx *gorm.DB) error {
				if err := tx.Migrator().DropTable("idempotency_keys"); err != nil {
					return err
				}
				return tx.Migrator().DropColumn("api_tokens", "scopes")
			},
		},
		{
			ID: "2026112221_webhooks",
			Migrate: func(tx *gorm.DB) error {
				type Run struct {
					CallbackURL    string `gorm:"size:2048;not null;default:''"`
					CallbackSecret []byte
				}
				for _, col := range []string{"CallbackURL", "CallbackSecret"} {
					if err := tx.Migrator().AddColumn(&Run{}, col); err != nil {
						return err
					}
				}
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
				return tx.AutoMigrate(&WebhookDelivery{})
			},
			Rollback: func(tx *gorm.DB) error {
				if err := tx.Migrator().DropTable("webhook_deliveries"); err != nil {
					return err
				}
				return tx.Migrator().DropColumn("runs", "callback_url")
			},
		},
		{
			ID: "2026112222_token_callbacks",
			Migrate: func(tx *gorm.DB) error {
				type APIToken struct {
					CallbackURL    string `gorm:"size:2048;not null;default:''"`
					CallbackSecret []byte
				}
				for _, col := range []string{"CallbackURL", "CallbackSecret"} {
					if err := tx.Migrator().AddColumn(&APIToken{}, col); err != nil {
						return err
					}
				}
				return nil
			},
			Rollback: func(tx *gorm.DB) error {
				return tx.Migrator().DropColumn("api_tokens", "callback_url")
			},
		},
	}
}
