package store

import (
	"context"
	"fmt"
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// migrationsTable records which migrations have run; its newest row is the
// schema version.
const migrationsTable = "schema_migrations"

// migrations are applied in order and never edited once released: a change to
// the schema is a new migration. Each declares the tables as they were at that
// point, so later edits to the models cannot change what an old migration does.
func migrations() []*gormigrate.Migration {
	ms := []*gormigrate.Migration{
		{
			ID: "2026112201_users_and_tokens",
			Migrate: func(tx *gorm.DB) error {
				type User struct {
					ID          uint64    `gorm:"primaryKey"`
					Username    string    `gorm:"size:64;not null;uniqueIndex"`
					DisplayName string    `gorm:"size:128;not null"`
					Role        string    `gorm:"size:16;not null"`
					CreatedAt   time.Time `gorm:"not null"`
					UpdatedAt   time.Time `gorm:"not null"`
				}
				type APIToken struct {
					ID         uint64    `gorm:"primaryKey"`
					UserID     uint64    `gorm:"not null;index"`
					Name       string    `gorm:"size:128;not null"`
					Prefix     string    `gorm:"size:16;not null"`
					Hash       string    `gorm:"size:64;not null;uniqueIndex"`
					CreatedAt  time.Time `gorm:"not null"`
					LastUsedAt *time.Time
					RevokedAt  *time.Time
				}
				return tx.AutoMigrate(&User{}, &APIToken{})
			},
			Rollback: func(tx *gorm.DB) error {
				return tx.Migrator().DropTable("api_tokens", "users")
			},
		},
		{
			ID: "2026112202_runs_and_step_records",
			Migrate: func(tx *gorm.DB) error {
				type Run struct {
					ID              string `gorm:"primaryKey;size:32"`
					Workflow        string `gorm:"size:128;not null;index"`
					Revision        string `gorm:"size:64;not null"`
					Environment     string `gorm:"size:64;not null;index"`
					Status          string `gorm:"size:16;not null;index"`
					Source          string `gorm:"size:16;not null"`
					Queue           string `gorm:"size:16;not null"`
					RequestedBy     uint64 `gorm:"not null;index"`
					Ticket          string `gorm:"size:128;not null;default:''"`
					Labels          string `gorm:"type:text"`
					Inputs          string `gorm:"type:text"`
					SealedInputs    []byte
					Given           string `gorm:"type:text"`
					Seed            int64  `gorm:"not null"`
					Outputs         string `gorm:"type:text"`
					FailureClass    string `gorm:"size:32;not null;default:'';index"`
					Failure         string `gorm:"type:text"`
					WaitingService  string `gorm:"size:64;not null;default:''"`
					WaitingSince    *time.Time
					CancelRequested bool      `gorm:"not null;default:false"`
					BatchID         string    `gorm:"size:32;not null;default:'';index"`
					CreatedAt       time.Time `gorm:"not null;index"`
					UpdatedAt       time.Time `gorm:"not null"`
					StartedAt       *time.Time
					FinishedAt      *time.Time
				}
				type StepRecord struct {
					ID         uint64    `gorm:"primaryKey"`
					RunID      string    `gorm:"size:32;not null;index"`
					Step       string    `gorm:"size:255;not null"`
					Iteration  string    `gorm:"size:64;not null;default:''"`
					Attempt    int       `gorm:"not null"`
					Status     string    `gorm:"size:16;not null"`
					StartedAt  time.Time `gorm:"not null"`
					EndedAt    time.Time `gorm:"not null"`
					RequestID  string    `gorm:"size:128;not null;default:'';index"`
					HTTPStatus int       `gorm:"not null;default:0"`
					Polls      int       `gorm:"not null;default:0"`
					Request    string    `gorm:"type:text"`
					Response   string    `gorm:"type:text"`
					Captures   string    `gorm:"type:text"`
					Failure    string    `gorm:"type:text"`
				}
				return tx.AutoMigrate(&Run{}, &StepRecord{})
			},
			Rollback: func(tx *gorm.DB) error {
				return tx.Migrator().DropTable("step_records", "runs")
			},
		},
		{
			ID: "2026112203_environments",
			Migrate: func(tx *gorm.DB) error {
				type Environment struct {
					ID            uint64 `gorm:"primaryKey"`
					Name          string `gorm:"size:64;not null;uniqueIndex"`
					Title         string `gorm:"size:128;not null;default:''"`
					Services      string `gorm:"type:text"`
					SecretNames   string `gorm:"type:text"`
					SealedSecrets []byte
					Concurrency   int       `gorm:"not null;default:0"`
					Protected     bool      `gorm:"not null;default:false"`
					Patience      int64     `gorm:"not null"`
					CreatedAt     time.Time `gorm:"not null"`
					UpdatedAt     time.Time `gorm:"not null"`
				}
				return tx.AutoMigrate(&Environment{})
			},
			Rollback: func(tx *gorm.DB) error {
				return tx.Migrator().DropTable("environments")
			},
		},
		{
			ID: "2026112204_batches",
			Migrate: func(tx *gorm.DB) error {
				type Batch struct {
					ID          string    `gorm:"primaryKey;size:32"`
					Workflow    string    `gorm:"size:128;not null"`
					Environment string    `gorm:"size:64;not null"`
					Size        int       `gorm:"not null"`
					RequestedBy uint64    `gorm:"not null;index"`
					Source      string    `gorm:"size:16;not null"`
					Ticket      string    `gorm:"size:128;not null;default:''"`
					CreatedAt   time.Time `gorm:"not null"`
				}
				return tx.AutoMigrate(&Batch{})
			},
			Rollback: func(tx *gorm.DB) error {
				return tx.Migrator().DropTable("batches")
			},
		},
		{
			ID: "2026112205_workflow_revisions",
			Migrate: func(tx *gorm.DB) error {
				type WorkflowRevision struct {
					Revision  string    `gorm:"primaryKey;size:64"`
					Workflow  string    `gorm:"size:128;not null;index"`
					Entry     string    `gorm:"size:255;not null"`
					Origin    string    `gorm:"size:16;not null;default:''"`
					Sources   string    `gorm:"size:16777215"` // text; mediumtext on MySQL
					CreatedAt time.Time `gorm:"not null"`
				}
				return tx.AutoMigrate(&WorkflowRevision{})
			},
			Rollback: func(tx *gorm.DB) error {
				return tx.Migrator().DropTable("workflow_revisions")
			},
		},
	}
	ms = append(ms, uiMigrations()...)
	ms = append(ms, apiMigrations()...)
	return ms
}

func (s *Store) migrate(ctx context.Context) error {
	opts := *gormigrate.DefaultOptions
	opts.TableName = migrationsTable
	m := gormigrate.New(s.db.WithContext(ctx), &opts, migrations())
	if err := m.Migrate(); err != nil {
		return fmt.Errorf("upgrade schema of %s: %w", s.target.Redacted(), err)
	}
	return nil
}

// SchemaVersion is the ID of the newest migration applied to the database.
func (s *Store) SchemaVersion(ctx context.Context) (string, error) {
	var id string
	err := s.db.WithContext(ctx).Table(migrationsTable).Select("id").Order("id DESC").Limit(1).Scan(&id).Error
	if err != nil {
		return "", fmt.Errorf("read schema version: %w", err)
	}
	return id, nil
}

// LatestSchemaVersion is the schema version this build of zaoshu expects.
func LatestSchemaVersion() string {
	ms := migrations()
	return ms[len(ms)-1].ID
}
