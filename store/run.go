package store

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// RunStatus is where a run is in its life.
type RunStatus string

// Run states: queued → running → (waiting_env) → succeeded | failed | cancelled.
const (
	RunQueued     RunStatus = "queued"
	RunRunning    RunStatus = "running"
	RunWaitingEnv RunStatus = "waiting_env"
	RunSucceeded  RunStatus = "succeeded"
	RunFailed     RunStatus = "failed"
	RunCancelled  RunStatus = "cancelled"
)

// Finished tells whether the run has ended for good.
func (s RunStatus) Finished() bool {
	return s == RunSucceeded || s == RunFailed || s == RunCancelled
}

// Errors callers branch on.
var (
	ErrNotFound       = errors.New("not found")
	ErrRunFinished    = errors.New("run already finished")
	ErrWrongRunStatus = errors.New("run is not in the expected state")
)

// RunFailure is why a run failed, in both languages, with the request id to quote.
type RunFailure struct {
	Class     string `json:"class"`
	Step      string `json:"step,omitempty"`
	MessageZh string `json:"message_zh"`
	MessageEn string `json:"message_en"`
	HintZh    string `json:"hint_zh,omitempty"`
	HintEn    string `json:"hint_en,omitempty"`
	RequestID string `json:"request_id,omitempty"`
}

// Run is one build: a record from the moment it is accepted.
type Run struct {
	ID          string    `gorm:"primaryKey;size:32"`
	Workflow    string    `gorm:"size:128;not null;index"`
	Revision    string    `gorm:"size:64;not null"`
	Environment string    `gorm:"size:64;not null;index"`
	Status      RunStatus `gorm:"size:16;not null;index"`
	// Source is where the request came from: ui, api, cli, schedule.
	Source      string   `gorm:"size:16;not null"`
	Queue       string   `gorm:"size:16;not null"`
	RequestedBy uint64   `gorm:"not null;index"`
	Ticket      string   `gorm:"size:128;not null;default:''"`
	Labels      []string `gorm:"serializer:json;type:text"`
	// Inputs are shown to people: sensitive values are masked here and kept
	// whole only in SealedInputs, encrypted like environment secrets.
	Inputs       map[string]any `gorm:"serializer:json;type:text"`
	SealedInputs []byte         `gorm:"column:sealed_inputs"`
	// Given names the inputs the requester set; the rest were defaults,
	// generated afresh by a rerun.
	Given   []string       `gorm:"serializer:json;type:text"`
	Seed    int64          `gorm:"not null"`
	Outputs map[string]any `gorm:"serializer:json;type:text"`
	// FailureClass is kept apart from Failure so statistics can group by it.
	FailureClass string      `gorm:"size:32;not null;default:'';index"`
	Failure      *RunFailure `gorm:"serializer:json;type:text"`
	// WaitingService and WaitingSince say what a waiting_env run waits for.
	WaitingService  string `gorm:"size:64;not null;default:''"`
	WaitingSince    *time.Time
	CancelRequested bool `gorm:"not null;default:false"`
	// CallbackURL is told when the run ends, signed with CallbackSecret (sealed).
	CallbackURL    string `gorm:"size:2048;not null;default:''"`
	CallbackSecret []byte
	BatchID        string    `gorm:"size:32;not null;default:'';index"`
	CreatedAt      time.Time `gorm:"not null;index"`
	UpdatedAt      time.Time `gorm:"not null"`
	StartedAt      *time.Time
	FinishedAt     *time.Time
}

// NewRunID makes a short id that sorts by creation time: people quote it.
func NewRunID() string {
	var b [10]byte
	binary.BigEndian.PutUint64(b[:8], uint64(time.Now().UnixMilli())<<16)
	_, _ = rand.Read(b[6:])
	// The "extended hex" alphabet keeps the byte order when sorted as text.
	return "r" + strings.ToLower(base32.HexEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
}

// CreateRun records an accepted run as queued.
func (s *Store) CreateRun(ctx context.Context, r *Run) error {
	if r.ID == "" {
		r.ID = NewRunID()
	}
	if r.Status == "" {
		r.Status = RunQueued
	}
	if err := s.db.WithContext(ctx).Create(r).Error; err != nil {
		return fmt.Errorf("record run %s: %w", r.ID, err)
	}
	return nil
}

// SealInputs keeps the run's whole inputs encrypted, for the worker.
func (s *Store) SealInputs(r *Run, inputs map[string]any) error {
	plain, err := json.Marshal(inputs)
	if err != nil {
		return fmt.Errorf("inputs of run %s: %w", r.ID, err)
	}
	if r.SealedInputs, err = seal(s.secretKey, plain); err != nil {
		return fmt.Errorf("inputs of run %s: %w", r.ID, err)
	}
	return nil
}

// RunInputs returns a run's whole inputs, sensitive ones included.
func (s *Store) RunInputs(r *Run) (map[string]any, error) {
	if len(r.SealedInputs) == 0 {
		return r.Inputs, nil
	}
	plain, err := open(s.secretKey, r.SealedInputs)
	if err != nil {
		return nil, fmt.Errorf("inputs of run %s: %w", r.ID, err)
	}
	var m map[string]any
	if err := json.Unmarshal(plain, &m); err != nil {
		return nil, fmt.Errorf("inputs of run %s: %w", r.ID, err)
	}
	return m, nil
}

// ReopenRun puts a failed or cancelled run back to queued, for a retry from
// its failed step; its step records stay, so finished steps are not redone.
func (s *Store) ReopenRun(ctx context.Context, id string) (*Run, error) {
	var out Run
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Take(&out, "id = ?", id).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return fmt.Errorf("run %s: %w", id, ErrNotFound)
			}
			return fmt.Errorf("read run %s: %w", id, err)
		}
		if out.Status != RunFailed && out.Status != RunCancelled {
			return fmt.Errorf("run %s is %s, only a failed or cancelled run can be retried: %w", id, out.Status, ErrWrongRunStatus)
		}
		res := tx.Model(&Run{}).Where("id = ? AND status = ?", id, out.Status).Updates(map[string]any{
			"status": RunQueued, "failure_class": "", "failure": nil, "finished_at": nil,
			"cancel_requested": false, "waiting_service": "", "waiting_since": nil, "updated_at": time.Now().UTC(),
		})
		if res.Error != nil {
			return fmt.Errorf("reopen run %s: %w", id, res.Error)
		}
		if res.RowsAffected != 1 {
			return fmt.Errorf("reopen run %s: %w", id, ErrWrongRunStatus)
		}
		// A fresh value: gorm leaves fields alone when scanning NULL into a used one.
		out = Run{}
		return tx.Take(&out, "id = ?", id).Error
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// Run finds a run by id; ErrNotFound if there is none.
func (s *Store) Run(ctx context.Context, id string) (*Run, error) {
	var r Run
	err := s.db.WithContext(ctx).Take(&r, "id = ?", id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("run %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read run %s: %w", id, err)
	}
	return &r, nil
}

// UpdateRun changes a run under a row lock, but only while it has not
// finished: fn sees the current row and edits it. A finished run is left
// alone and ErrRunFinished returned, so a late worker can never overwrite
// an outcome.
func (s *Store) UpdateRun(ctx context.Context, id string, fn func(r *Run) error) (*Run, error) {
	var out Run
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q := tx
		if s.target.Driver != SQLite { // SQLite's immediate transactions already lock the database
			q = tx.Clauses(clause.Locking{Strength: "UPDATE"})
		}
		if err := q.Take(&out, "id = ?", id).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return fmt.Errorf("run %s: %w", id, ErrNotFound)
			}
			return fmt.Errorf("read run %s: %w", id, err)
		}
		if out.Status.Finished() {
			return fmt.Errorf("run %s is %s: %w", id, out.Status, ErrRunFinished)
		}
		if err := fn(&out); err != nil {
			return err
		}
		if out.Status.Finished() && out.FinishedAt == nil {
			now := time.Now().UTC()
			out.FinishedAt = &now
		}
		if err := tx.Save(&out).Error; err != nil {
			return fmt.Errorf("update run %s: %w", id, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// RunFilter selects runs to list; zero fields select everything.
type RunFilter struct {
	Status      RunStatus
	Workflow    string
	Environment string
	RequestedBy uint64
	BatchID     string
	// Label selects runs carrying this label.
	Label string
	// Since and Until bound when runs were accepted.
	Since, Until time.Time
	// Before lists runs older than this id (ids sort by time), for paging.
	Before string
	Limit  int
}

var likeEscaper = strings.NewReplacer("!", "!!", "%", "!%", "_", "!_")

// Runs lists runs, newest first.
func (s *Store) Runs(ctx context.Context, f RunFilter) ([]Run, error) {
	q := s.db.WithContext(ctx).Model(&Run{})
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.Workflow != "" {
		q = q.Where("workflow = ?", f.Workflow)
	}
	if f.Environment != "" {
		q = q.Where("environment = ?", f.Environment)
	}
	if f.RequestedBy != 0 {
		q = q.Where("requested_by = ?", f.RequestedBy)
	}
	if f.BatchID != "" {
		q = q.Where("batch_id = ?", f.BatchID)
	}
	if f.Label != "" {
		// Labels are a JSON list of strings: match the quoted label exactly.
		quoted, _ := json.Marshal(f.Label)
		q = q.Where("labels LIKE ? ESCAPE '!'", "%"+likeEscaper.Replace(string(quoted))+"%")
	}
	if !f.Since.IsZero() {
		q = q.Where("created_at >= ?", f.Since.UTC())
	}
	if !f.Until.IsZero() {
		q = q.Where("created_at < ?", f.Until.UTC())
	}
	if f.Before != "" {
		q = q.Where("id < ?", f.Before)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	var runs []Run
	if err := q.Order("id DESC").Limit(f.Limit).Find(&runs).Error; err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	return runs, nil
}

// StepRecord is one attempt of one step of a run, as the engine recorded it.
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
	// Request and Response are masked and truncated by the engine.
	Request  string         `gorm:"type:text"`
	Response string         `gorm:"type:text"`
	Captures map[string]any `gorm:"serializer:json;type:text"`
	// Failure is the engine's failure as JSON, kept whole for the trace.
	Failure string `gorm:"type:text"`
}

// AddStepRecord appends a step record to its run.
func (s *Store) AddStepRecord(ctx context.Context, rec *StepRecord) error {
	if err := s.db.WithContext(ctx).Create(rec).Error; err != nil {
		return fmt.Errorf("record step %s of run %s: %w", rec.Step, rec.RunID, err)
	}
	return nil
}

// StepRecords returns a run's step records in the order they were made.
func (s *Store) StepRecords(ctx context.Context, runID string) ([]StepRecord, error) {
	var recs []StepRecord
	if err := s.db.WithContext(ctx).Where("run_id = ?", runID).Order("id").Find(&recs).Error; err != nil {
		return nil, fmt.Errorf("read steps of run %s: %w", runID, err)
	}
	return recs, nil
}

// DeleteFinishedRunsBefore removes finished runs (and their step records)
// created before t, in batches; it returns how many runs it removed.
func (s *Store) DeleteFinishedRunsBefore(ctx context.Context, t time.Time) (int64, error) {
	var total int64
	for {
		var ids []string
		err := s.db.WithContext(ctx).Model(&Run{}).
			Where("created_at < ? AND status IN ?", t, []RunStatus{RunSucceeded, RunFailed, RunCancelled}).
			Limit(500).Pluck("id", &ids).Error
		if err != nil {
			return total, fmt.Errorf("find runs to expire: %w", err)
		}
		if len(ids) == 0 {
			return total, nil
		}
		err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if err := tx.Where("run_id IN ?", ids).Delete(&StepRecord{}).Error; err != nil {
				return err
			}
			return tx.Where("id IN ?", ids).Delete(&Run{}).Error
		})
		if err != nil {
			return total, fmt.Errorf("expire runs: %w", err)
		}
		total += int64(len(ids))
	}
}
