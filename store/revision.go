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
	Revision string `gorm:"primaryKey;size:64"`
	Workflow string `gorm:"size:128;not null;index"`
	Entry    string `gorm:"size:255;not null"`
	// Origin is where the revision came from: bundled, dir or api. Workflows
	// saved through the API are loaded again at every start.
	Origin    string            `gorm:"size:16;not null;default:''"`
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
	err := s.db.WithContext(ctx).Select("revision", "workflow", "entry", "origin", "created_at").
		Where("workflow = ?", workflow).Order("created_at DESC").Find(&rs).Error
	if err != nil {
		return nil, fmt.Errorf("list revisions of workflow %s: %w", workflow, err)
	}
	return rs, nil
}

// LatestRevisions returns, for every workflow with revisions of origin, the
// newest of them.
func (s *Store) LatestRevisions(ctx context.Context, origin string) ([]WorkflowRevision, error) {
	var all []WorkflowRevision
	err := s.db.WithContext(ctx).Where("origin = ?", origin).Order("created_at DESC, revision").Find(&all).Error
	if err != nil {
		return nil, fmt.Errorf("list %s workflow revisions: %w", origin, err)
	}
	seen := map[string]bool{}
	var latest []WorkflowRevision
	for _, r := range all {
		if !seen[r.Workflow] {
			seen[r.Workflow] = true
			latest = append(latest, r)
		}
	}
	return latest, nil
}
