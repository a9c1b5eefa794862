package ui

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zaoshu/zaoshu/store"
)

type statsPage struct {
	Days  int
	Stats *store.Stats
	Chart statsChart
}

// statsChart is what the dashboard's charts draw, as JSON.
type statsChart struct {
	Labels    []string   `json:"labels"`
	Succeeded []int64    `json:"succeeded"`
	Failed    []int64    `json:"failed"`
	Running   []int64    `json:"running"`
	Rate      []*float64 `json:"rate"` // nil on days with nothing finished
	Classes   []string   `json:"classes"`
	ClassN    []int64    `json:"class_counts"`
	Names     struct {
		Succeeded, Failed, Running, Rate string
	} `json:"names"`
}

// showStats is the dashboard: counts and rates over the last days, by
// workflow, environment and user, failure classes, failing steps, durations.
func (u *UI) showStats(c *gin.Context) {
	days, _ := strconv.Atoi(c.DefaultQuery("days", "7"))
	if days != 1 && days != 30 && days != 90 {
		days = 7
	}
	now := time.Now()
	y, m, d := now.Date()
	since := time.Date(y, m, d, 0, 0, 0, 0, time.Local).AddDate(0, 0, 1-days)
	st, err := u.store.Statistics(c.Request.Context(), store.StatsQuery{Since: since, Until: now, Location: time.Local})
	if err != nil {
		u.fail(c, err)
		return
	}
	l := lang(c)
	p := &statsPage{Days: days, Stats: st}
	for _, dc := range st.Daily {
		p.Chart.Labels = append(p.Chart.Labels, dc.Day.Format("01-02"))
		p.Chart.Succeeded = append(p.Chart.Succeeded, dc.Succeeded)
		p.Chart.Failed = append(p.Chart.Failed, dc.Failed)
		p.Chart.Running = append(p.Chart.Running, dc.InProgress())
		var rate *float64
		if dc.Succeeded+dc.Failed > 0 {
			r := dc.SuccessRate() * 100
			rate = &r
		}
		p.Chart.Rate = append(p.Chart.Rate, rate)
	}
	for _, fc := range st.FailureClasses {
		p.Chart.Classes = append(p.Chart.Classes, translate(l, "class."+fc.Key))
		p.Chart.ClassN = append(p.Chart.ClassN, fc.Total)
	}
	p.Chart.Names.Succeeded, p.Chart.Names.Failed = translate(l, "status.succeeded"), translate(l, "status.failed")
	p.Chart.Names.Running, p.Chart.Names.Rate = translate(l, "stats.in_progress"), translate(l, "stats.success_rate")
	v := u.newView(c, "stats", p)
	v.Title = v.T("stats.title")
	u.render(c, http.StatusOK, "stats", v)
}
