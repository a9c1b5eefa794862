package store

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// uiMigrations create the tables of the web UI: passwords and sessions for
// browser logins, and the presets people build from in one click.
func uiMigrations() []*gormigrate.Migration {
	return []*gormigrate.Migration{
		{
			ID: "2026112210_ui_passwords_and_sessions",
			Migrate: func(tx *gorm.DB) error {
				type UserPassword struct {
					UserID    uint64    `gorm:"primaryKey;autoIncrement:false"`
					Hash      string    `gorm:"size:128;not null"`
					UpdatedAt time.Time `gorm:"not null"`
				}
				type UISession struct {
					ID          string    `gorm:"primaryKey;size:64"`
					UserID      uint64    `gorm:"not null;index"`
					CSRF        string    `gorm:"column:csrf;size:64;not null"`
					MustSetPass bool      `gorm:"not null;default:false"`
					CreatedAt   time.Time `gorm:"not null"`
					ExpiresAt   time.Time `gorm:"not null;index"`
				}
				return tx.AutoMigrate(&UserPassword{}, &UISession{})
			},
			Rollback: func(tx *gorm.DB) error {
				return tx.Migrator().DropTable("ui_sessions", "user_passwords")
			},
		},
		{
			ID: "2026112211_presets",
			Migrate: func(tx *gorm.DB) error {
				type Preset struct {
					ID          uint64    `gorm:"primaryKey"`
					Name        string    `gorm:"size:128;not null"`
					Workflow    string    `gorm:"size:128;not null;index"`
					Environment string    `gorm:"size:64;not null;default:''"`
					Inputs      string    `gorm:"type:text"`
					Ticket      string    `gorm:"size:128;not null;default:''"`
					Labels      string    `gorm:"type:text"`
					Shared      bool      `gorm:"not null;default:false"`
					OwnerID     uint64    `gorm:"not null;index"`
					CreatedAt   time.Time `gorm:"not null"`
					UpdatedAt   time.Time `gorm:"not null"`
				}
				return tx.AutoMigrate(&Preset{})
			},
			Rollback: func(tx *gorm.DB) error {
				return tx.Migrator().DropTable("presets")
			},
		},
	}
}
