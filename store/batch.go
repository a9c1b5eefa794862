package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Batch is N runs of one workflow asked for at once.
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

// BatchProgress counts a batch's runs by status.
type BatchProgress struct {
	Batch    Batch
	ByStatus map[RunStatus]int
}

// Done tells whether every run of the batch has finished.
func (p BatchProgress) Done() bool {
	n := 0
	for st, c := range p.ByStatus {
		if st.Finished() {
			n += c
		}
	}
	return n >= p.Batch.Size
}

// CreateBatch records a batch and its runs together: either all are
// recorded or none is.
func (s *Store) CreateBatch(ctx context.Context, b *Batch, runs []*Run) error {
	if b.ID == "" {
		b.ID = "b" + NewRunID()[1:]
	}
	b.Size = len(runs)
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(b).Error; err != nil {
			return fmt.Errorf("record batch: %w", err)
		}
		for _, r := range runs {
			r.BatchID = b.ID
			if r.ID == "" {
				r.ID = NewRunID()
			}
			if r.Status == "" {
				r.Status = RunQueued
			}
		}
		if err := tx.CreateInBatches(runs, 100).Error; err != nil {
			return fmt.Errorf("record runs of batch %s: %w", b.ID, err)
		}
		return nil
	})
}

// BatchProgress reads a batch and how far its runs are.
func (s *Store) BatchProgress(ctx context.Context, id string) (*BatchProgress, error) {
	var b Batch
	err := s.db.WithContext(ctx).Take(&b, "id = ?", id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("batch %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read batch %s: %w", id, err)
	}
	var rows []struct {
		Status RunStatus
		N      int
	}
	if err := s.db.WithContext(ctx).Model(&Run{}).Select("status, COUNT(*) AS n").Where("batch_id = ?", id).Group("status").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("count runs of batch %s: %w", id, err)
	}
	p := &BatchProgress{Batch: b, ByStatus: map[RunStatus]int{}}
	for _, r := range rows {
		p.ByStatus[r.Status] = r.N
	}
	return p, nil
}
