package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Preset is a named set of inputs for a workflow, built from in one click.
// A shared preset is visible to everyone; only its owner changes it.
type Preset struct {
	ID          uint64 `gorm:"primaryKey"`
	Name        string
	Workflow    string
	Environment string
	// Inputs are as a form submits them: strings, and lists of strings for
	// multi-choice inputs.
	Inputs    map[string]any `gorm:"serializer:json;type:text"`
	Ticket    string
	Labels    []string `gorm:"serializer:json;type:text"`
	Shared    bool
	OwnerID   uint64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// SavePreset creates a preset, or updates it when its ID is set and it
// belongs to p.OwnerID (ErrNotFound otherwise).
func (s *Store) SavePreset(ctx context.Context, p *Preset) error {
	if p.ID == 0 {
		if err := s.db.WithContext(ctx).Create(p).Error; err != nil {
			return fmt.Errorf("save preset %q: %w", p.Name, err)
		}
		return nil
	}
	res := s.db.WithContext(ctx).Where("id = ? AND owner_id = ?", p.ID, p.OwnerID).
		Select("name", "workflow", "environment", "inputs", "ticket", "labels", "shared", "updated_at").Updates(p)
	if res.Error != nil {
		return fmt.Errorf("update preset %d: %w", p.ID, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("preset %d: %w", p.ID, ErrNotFound)
	}
	return nil
}

// Preset returns a preset the user may use: their own or a shared one.
func (s *Store) Preset(ctx context.Context, id, userID uint64) (*Preset, error) {
	var p Preset
	err := s.db.WithContext(ctx).Where("id = ? AND (owner_id = ? OR shared = ?)", id, userID, true).Take(&p).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("preset %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read preset %d: %w", id, err)
	}
	return &p, nil
}

// Presets lists the presets a user may use — their own and the shared ones —
// optionally of one workflow, by name.
func (s *Store) Presets(ctx context.Context, userID uint64, workflow string) ([]Preset, error) {
	q := s.db.WithContext(ctx).Where("owner_id = ? OR shared = ?", userID, true)
	if workflow != "" {
		q = q.Where("workflow = ?", workflow)
	}
	var ps []Preset
	if err := q.Order("name").Find(&ps).Error; err != nil {
		return nil, fmt.Errorf("list presets: %w", err)
	}
	return ps, nil
}

// DeletePreset removes one of the user's own presets.
func (s *Store) DeletePreset(ctx context.Context, id, ownerID uint64) error {
	res := s.db.WithContext(ctx).Where("id = ? AND owner_id = ?", id, ownerID).Delete(&Preset{})
	if res.Error != nil {
		return fmt.Errorf("delete preset %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("preset %d: %w", id, ErrNotFound)
	}
	return nil
}
