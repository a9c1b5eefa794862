package ui

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zaoshu/zaoshu/store"
)

// runRow is one run as the lists show it.
type runRow struct {
	ID            string
	Workflow      string
	WorkflowTitle string
	Environment   string
	Status        store.RunStatus
	User          string
	Ticket        string
	Labels        []string
	CreatedAt     time.Time
	Duration      time.Duration
	Failure       string
}

// runsPage is the runs list with its filters.
type runsPage struct {
	Scope       string
	Status      string
	Workflow    string
	Environment string
	Query       string
	// Before is the cursor of this page (empty for the newest runs);
	// OlderURL, when set, is the next, older page.
	Before      string
	OlderURL    template.URL
	NewestURL   template.URL
	Fingerprint string
	Rows        []runRow
	Statuses    []store.RunStatus
	Workflows   []string
	Envs        []string
}

var allStatuses = []store.RunStatus{store.RunQueued, store.RunRunning, store.RunWaitingEnv, store.RunSucceeded, store.RunFailed, store.RunCancelled}

// runsFilter reads the list's filters from the query: mine by default.
func runsFilter(c *gin.Context) (*runsPage, store.RunFilter) {
	p := &runsPage{Scope: c.DefaultQuery("scope", "mine"), Status: c.Query("status"), Workflow: c.Query("workflow"), Environment: c.Query("environment"), Before: c.Query("before")}
	f := store.RunFilter{Status: store.RunStatus(p.Status), Workflow: p.Workflow, Environment: p.Environment, Before: p.Before, Limit: runsPerPage}
	if p.Scope != "all" {
		p.Scope = "mine"
		f.RequestedBy = currentUser(c).ID
	}
	q := url.Values{"scope": {p.Scope}}
	for k, v := range map[string]string{"status": p.Status, "workflow": p.Workflow, "environment": p.Environment} {
		if v != "" {
			q.Set(k, v)
		}
	}
	newest := q.Encode()
	p.NewestURL = template.URL("/runs?" + newest)
	if p.Before != "" {
		q.Set("before", p.Before)
	}
	p.Query = q.Encode()
	return p, f
}

// runsPerPage is how many runs one page of the list shows.
const runsPerPage = 50

// runRows turns runs into rows, naming users and workflows.
func (u *UI) runRows(c *gin.Context, runs []store.Run) ([]runRow, error) {
	users, err := u.store.Users(c.Request.Context())
	if err != nil {
		return nil, err
	}
	names := map[uint64]string{}
	for _, us := range users {
		names[us.ID] = us.DisplayName
		if us.DisplayName == "" {
			names[us.ID] = us.Username
		}
	}
	l := lang(c)
	rows := make([]runRow, 0, len(runs))
	for _, r := range runs {
		row := runRow{ID: r.ID, Workflow: r.Workflow, WorkflowTitle: r.Workflow, Environment: r.Environment, Status: r.Status,
			User: names[r.RequestedBy], Ticket: r.Ticket, Labels: r.Labels, CreatedAt: r.CreatedAt}
		if def, err := u.library.Workflow(r.Workflow); err == nil && !def.Title.IsZero() {
			row.WorkflowTitle = def.Title.In(l)
		}
		if r.StartedAt != nil {
			end := time.Now()
			if r.FinishedAt != nil {
				end = *r.FinishedAt
			}
			row.Duration = end.Sub(*r.StartedAt)
		}
		if r.Failure != nil {
			row.Failure = r.Failure.MessageZh
			if l == "en" && r.Failure.MessageEn != "" {
				row.Failure = r.Failure.MessageEn
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}

func (u *UI) loadRuns(c *gin.Context) (*runsPage, error) {
	p, f := runsFilter(c)
	runs, err := u.store.Runs(c.Request.Context(), f)
	if err != nil {
		return nil, err
	}
	p.Fingerprint = runsFingerprint(runs)
	if len(runs) == runsPerPage {
		q, _ := url.ParseQuery(strings.TrimPrefix(string(p.NewestURL), "/runs?"))
		q.Set("before", runs[len(runs)-1].ID)
		p.OlderURL = template.URL("/runs?" + q.Encode())
	}
	p.Rows, err = u.runRows(c, runs)
	return p, err
}

// listRuns shows the runs page; the table refreshes itself over SSE.
func (u *UI) listRuns(c *gin.Context) {
	p, err := u.loadRuns(c)
	if err != nil {
		u.fail(c, err)
		return
	}
	p.Statuses = allStatuses
	for _, d := range u.library.Workflows() {
		p.Workflows = append(p.Workflows, d.Name)
	}
	envs, err := u.store.Environments(c.Request.Context())
	if err != nil {
		u.fail(c, err)
		return
	}
	for _, e := range envs {
		p.Envs = append(p.Envs, e.Name)
	}
	v := u.newView(c, "runs", p)
	v.Title = v.T("runs.title")
	u.render(c, http.StatusOK, "runs", v)
}

// runsTable is the table alone, for htmx to swap in when the stream says
// something changed.
func (u *UI) runsTable(c *gin.Context) {
	p, err := u.loadRuns(c)
	if err != nil {
		u.fail(c, err)
		return
	}
	u.renderPartial(c, http.StatusOK, "runs_table", u.newView(c, "runs", p))
}
