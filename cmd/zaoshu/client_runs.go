package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/go-resty/resty/v2"
)

type runsCmd struct {
	List   runsListCmd `cmd:"" help:"List runs, newest first (a table on a terminal, JSON otherwise)."`
	Get    runsIDCmd   `cmd:"" help:"Show one run with its steps."`
	Cancel runsIDCmd   `cmd:"" help:"Cancel a run; a running one stops at its next step and runs its finally steps."`
	Retry  runsIDCmd   `cmd:"" help:"Retry a failed or cancelled run from its failed step."`
}

type runsListCmd struct {
	clientFlags `embed:""`

	Workflow string `help:"Only runs of this workflow."`
	Env      string `help:"Only runs in this environment."`
	Status   string `help:"Only runs with this status." enum:",queued,running,waiting_env,succeeded,failed,cancelled" default:""`
	Mine     bool   `help:"Only the token owner's runs."`
	Limit    int    `help:"How many runs (1 to 200)." default:"20"`
}

type runsIDCmd struct {
	clientFlags `embed:""`

	ID string `arg:"" help:"The run's id."`
}

// run dispatches `zaoshu runs …`; command is kong's command path.
func (r runsCmd) run(ctx context.Context, command string, stdout, stderr io.Writer) int {
	switch strings.Fields(command)[1] {
	case "list":
		return r.List.run(ctx, stdout, stderr)
	case "get":
		return r.Get.do(ctx, "get", stdout, stderr)
	case "cancel":
		return r.Cancel.do(ctx, "cancel", stdout, stderr)
	default:
		return r.Retry.do(ctx, "retry", stdout, stderr)
	}
}

func (l runsListCmd) run(ctx context.Context, stdout, stderr io.Writer) int {
	if !l.needToken(stderr) {
		return exitUsage
	}
	c := newAPIClient(l.clientFlags)
	var page struct {
		Runs []runView `json:"runs"`
	}
	raw, err := c.call(ctx, "GET /runs", func(req *resty.Request) (*resty.Response, error) {
		q := map[string]string{"workflow": l.Workflow, "environment": l.Env, "status": l.Status, "limit": strconv.Itoa(l.Limit)}
		if l.Mine {
			q["mine"] = "true"
		}
		for k, v := range q {
			if v != "" {
				req.SetQueryParam(k, v)
			}
		}
		return req.Get("/runs")
	}, &page)
	if err != nil {
		return l.report(stderr, err)
	}
	if l.jsonOutput(stdout) {
		if err := printJSON(stdout, raw); err != nil {
			fmt.Fprintf(stderr, "zaoshu: %v\n", err)
			return exitFailure
		}
		return exitOK
	}
	rows := [][]string{strings.Split(l.say("编号 状态 流程 环境 创建时间 发起人 工单", "ID STATUS WORKFLOW ENVIRONMENT CREATED BY TICKET"), " ")}
	for _, run := range page.Runs {
		rows = append(rows, []string{run.ID, l.statusText(run.Status), run.Workflow, run.Environment,
			run.CreatedAt.Local().Format("2006-01-02 15:04:05"), run.RequestedBy, run.Ticket})
	}
	printTable(stdout, rows)
	return exitOK
}

// printTable aligns columns by their width on a terminal, where a Chinese
// character takes two cells (text/tabwriter counts one).
func printTable(w io.Writer, rows [][]string) {
	var widths []int
	for _, row := range rows {
		for i, cell := range row {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], displayWidth(cell))
		}
	}
	for _, row := range rows {
		var line strings.Builder
		for i, cell := range row {
			line.WriteString(cell)
			if i < len(row)-1 {
				line.WriteString(strings.Repeat(" ", widths[i]-displayWidth(cell)+2))
			}
		}
		fmt.Fprintln(w, strings.TrimRight(line.String(), " "))
	}
}

// displayWidth counts East Asian wide characters (CJK, fullwidth forms) as two cells.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case r >= 0x1100 && r <= 0x115F, r >= 0x2E80 && r <= 0xA4CF, r >= 0xAC00 && r <= 0xD7A3,
			r >= 0xF900 && r <= 0xFAFF, r >= 0xFE30 && r <= 0xFE4F, r >= 0xFF00 && r <= 0xFF60, r >= 0xFFE0 && r <= 0xFFE6:
			n += 2
		default:
			n++
		}
	}
	return n
}

// do gets, cancels or retries one run and prints it as the server answers.
func (g runsIDCmd) do(ctx context.Context, action string, stdout, stderr io.Writer) int {
	if !g.needToken(stderr) {
		return exitUsage
	}
	c := newAPIClient(g.clientFlags)
	var r runView
	raw, err := c.call(ctx, action+" run "+g.ID, func(req *resty.Request) (*resty.Response, error) {
		req.SetPathParam("id", g.ID)
		if action == "get" {
			return req.Get("/runs/{id}")
		}
		return req.Post("/runs/{id}/" + action)
	}, &r)
	if err != nil {
		return g.report(stderr, err)
	}
	if g.jsonOutput(stdout) {
		if err := printJSON(stdout, raw); err != nil {
			fmt.Fprintf(stderr, "zaoshu: %v\n", err)
			return exitFailure
		}
		return exitOK
	}
	g.printRun(stdout, r)
	if len(r.Steps) > 0 {
		fmt.Fprintln(stdout, g.say("步骤：", "steps:"))
		for _, s := range r.Steps {
			g.printStep(stdout, s)
		}
	}
	return exitOK
}
