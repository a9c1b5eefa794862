package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// WorkflowRevision is the exact text of one revision of a workflow — its
// file and every fragment it uses — so a run can be resumed or retried on
// any worker with exactly what it started with.
type WorkflowRevision struct {
	Revision  string            `gorm:"primaryKey;size:64"`
	Workflow  string            `gorm:"size:128;not null;index"`
	Entry     string            `gorm:"size:255;not null"`
	Sources   map[string]string `gorm:"serializer:json"`
	CreatedAt time.Time         `gorm:"not null"`
}

// SaveWorkflowRevision keeps a revision; saving one already kept does nothing.
func (s *Store) SaveWorkflowRevision(ctx context.Context, r *WorkflowRevision) error {
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(r).Error
	if err != nil {
		return fmt.Errorf("keep revision %s of workflow %s: %w", r.Revision, r.Workflow, err)
	}
	return nil
}

// WorkflowRevision reads a kept revision; ErrNotFound if it was never kept.
func (s *Store) WorkflowRevision(ctx context.Context, revision string) (*WorkflowRevision, error) {
	var r WorkflowRevision
	err := s.db.WithContext(ctx).Take(&r, "revision = ?", revision).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("workflow revision %s: %w", revision, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read workflow revision %s: %w", revision, err)
	}
	return &r, nil
}

// WorkflowRevisions lists the kept revisions of a workflow, newest first.
func (s *Store) WorkflowRevisions(ctx context.Context, workflow string) ([]WorkflowRevision, error) {
	var rs []WorkflowRevision
	err := s.db.WithContext(ctx).Select("revision", "workflow", "entry", "created_at").
		Where("workflow = ?", workflow).Order("created_at DESC").Find(&rs).Error
	if err != nil {
		return nil, fmt.Errorf("list revisions of workflow %s: %w", workflow, err)
	}
	return rs, nil
}
