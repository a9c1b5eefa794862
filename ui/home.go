package ui

import (
	"net/http"
	"sort"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zaoshu/zaoshu/workflows"
)

// workflowCard is a workflow as the home page and the catalogue show it.
type workflowCard struct {
	Name        string
	Title       string
	Description string
	Inputs      int
	Steps       int
}

func newCard(d *workflows.Definition, l string) workflowCard {
	c := workflowCard{Name: d.Name, Title: d.Title.In(l), Description: d.Description.In(l), Inputs: len(d.Inputs), Steps: len(d.Steps)}
	if c.Title == "" {
		c.Title = d.Name
	}
	return c
}

// mustType counts the inputs with nothing filled in for the person: an
// add-on's customer code, say. Workflows with none build in two clicks.
func mustType(d *workflows.Definition) int {
	n := 0
	for _, in := range d.Inputs {
		if in.Default == nil {
			n++
		}
	}
	return n
}

type homePage struct {
	Quick   []workflowCard
	Presets []presetView
	Recent  []runRow
}

// quickCount is how many workflows the home page offers to build at once.
const quickCount = 4

// showHome offers the most built workflows of the last 30 days (the
// library's first ones on a fresh install), the user's presets and their
// latest runs.
func (u *UI) showHome(c *gin.Context) {
	ctx := c.Request.Context()
	l := lang(c)
	p := &homePage{}
	top, err := u.store.TopWorkflows(ctx, time.Now().AddDate(0, 0, -30), quickCount)
	if err != nil {
		u.fail(c, err)
		return
	}
	seen := map[string]bool{}
	for _, name := range top {
		if d, err := u.library.Workflow(name); err == nil {
			p.Quick = append(p.Quick, newCard(d, l))
			seen[name] = true
		}
	}
	// Then the workflows that need nothing typed: they build in two clicks.
	rest := u.library.Workflows()
	sort.SliceStable(rest, func(i, j int) bool { return mustType(rest[i]) < mustType(rest[j]) })
	for _, d := range rest {
		if len(p.Quick) >= quickCount {
			break
		}
		if !seen[d.Name] {
			p.Quick = append(p.Quick, newCard(d, l))
		}
	}
	presets, err := u.store.Presets(ctx, currentUser(c).ID, "")
	if err != nil {
		u.fail(c, err)
		return
	}
	p.Presets = u.presetViews(c, presets)
	p.Recent, err = u.recentRuns(c, currentUser(c).ID, "", 5)
	if err != nil {
		u.fail(c, err)
		return
	}
	v := u.newView(c, "home", p)
	v.Title = v.T("home.title")
	u.render(c, http.StatusOK, "home", v)
}
