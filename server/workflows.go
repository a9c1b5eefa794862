package server

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/zaoshu/zaoshu/jobs"
	"github.com/zaoshu/zaoshu/workflows/library"
)

// loadWorkflows offers the bundled library, then the operator's directory,
// then the workflows saved through the API (each replaces the ones before
// of the same name). A workflow with problems is left out and each problem
// logged with its file:line:col; the rest are offered.
func loadWorkflows(ctx context.Context, cfg Config, lib *jobs.Library, log *slog.Logger) error {
	diags, err := lib.LoadFS(ctx, library.FS)
	if err != nil {
		return fmt.Errorf("load bundled workflows: %w", err)
	}
	for _, d := range diags {
		log.Error("bundled workflow has a problem", "problem", d.Format("en"))
	}
	if cfg.WorkflowsDir != "" {
		if _, err := os.Stat(cfg.WorkflowsDir); err != nil {
			return fmt.Errorf("ZAOSHU_WORKFLOWS_DIR: %w", err)
		}
		diags, err = lib.LoadFS(ctx, os.DirFS(cfg.WorkflowsDir))
		if err != nil {
			return fmt.Errorf("load workflows from %s: %w", cfg.WorkflowsDir, err)
		}
		for _, d := range diags {
			log.Error("workflow left out: it has a problem (zaoshu validate shows them all)", "dir", cfg.WorkflowsDir, "problem", d.Format("en"))
		}
	}
	if err := lib.LoadSaved(ctx); err != nil {
		return fmt.Errorf("load workflows saved through the API: %w", err)
	}
	return nil
}
