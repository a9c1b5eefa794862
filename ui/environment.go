package ui

import (
	"context"
	"errors"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"go.yaml.in/yaml/v3"

	"github.com/zaoshu/zaoshu/store"
)

// healthProber asks each service's health endpoint, briefly.
type healthProber struct{ client *http.Client }

func newHealthProber() *healthProber {
	return &healthProber{client: &http.Client{Timeout: 2 * time.Second}}
}

// serviceHealth is one service's light: up, down or unknown (no probe).
type serviceHealth struct {
	Name    string
	BaseURL string
	State   string
	Detail  string
}

func (h *healthProber) probe(ctx context.Context, name string, svc store.ServiceConfig) serviceHealth {
	out := serviceHealth{Name: name, BaseURL: svc.BaseURL, State: "unknown"}
	if svc.Health == nil {
		return out
	}
	method := svc.Health.Method
	if method == "" {
		method = http.MethodGet
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(svc.BaseURL, "/")+svc.Health.Path, nil)
	if err != nil {
		out.State, out.Detail = "down", err.Error()
		return out
	}
	resp, err := h.client.Do(req)
	if err != nil {
		out.State, out.Detail = "down", err.Error()
		return out
	}
	_ = resp.Body.Close()
	ok := resp.StatusCode >= 200 && resp.StatusCode < 300
	if svc.Health.ExpectStatus != 0 {
		ok = resp.StatusCode == svc.Health.ExpectStatus
	}
	out.State, out.Detail = "up", resp.Status
	if !ok {
		out.State = "down"
	}
	return out
}

type envView struct {
	Env      store.Environment
	Services []serviceHealth
	Up, Down int
	Waiting  int64
}

type envsPage struct{ Envs []envView }

// listEnvironments shows every environment with a light per service.
func (u *UI) listEnvironments(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()
	envs, err := u.store.Environments(ctx)
	if err != nil {
		u.fail(c, err)
		return
	}
	p := &envsPage{Envs: make([]envView, len(envs))}
	var wg sync.WaitGroup
	for i, e := range envs {
		p.Envs[i].Env = e
		names := make([]string, 0, len(e.Services))
		for n := range e.Services {
			names = append(names, n)
		}
		sort.Strings(names)
		p.Envs[i].Services = make([]serviceHealth, len(names))
		for j, n := range names {
			wg.Add(1)
			go func(i, j int, n string, svc store.ServiceConfig) {
				defer wg.Done()
				p.Envs[i].Services[j] = u.health.probe(ctx, n, svc)
			}(i, j, n, e.Services[n])
		}
	}
	wg.Wait()
	for i := range p.Envs {
		for _, s := range p.Envs[i].Services {
			switch s.State {
			case "up":
				p.Envs[i].Up++
			case "down":
				p.Envs[i].Down++
			}
		}
		waiting, err := u.store.Runs(c.Request.Context(), store.RunFilter{Status: store.RunWaitingEnv, Environment: p.Envs[i].Env.Name, Limit: 500})
		if err != nil {
			u.fail(c, err)
			return
		}
		p.Envs[i].Waiting = int64(len(waiting))
	}
	v := u.newView(c, "environments", p)
	v.Title = v.T("envs.title")
	u.render(c, http.StatusOK, "environments", v)
}

// newEnvironment opens the editor for the name an admin typed.
func (u *UI) newEnvironment(c *gin.Context) {
	name := strings.TrimSpace(c.Query("name"))
	if !store.ValidEnvironmentName(name) {
		c.Redirect(http.StatusSeeOther, "/environments")
		return
	}
	c.Redirect(http.StatusSeeOther, "/environments/"+name+"/edit")
}

type envEditPage struct {
	Name        string
	Title       string
	Services    string
	Concurrency int
	Protected   bool
	Patience    int
	Error       string
	New         bool
	// SecretNames are the secrets kept now (their values are never shown);
	// Secrets is what the admin typed: name=value lines to set, name= to remove.
	SecretNames []string
	Secrets     string
}

// editEnvironment shows an environment's settings for an admin; services
// are edited as YAML. Secrets are kept as they are.
func (u *UI) editEnvironment(c *gin.Context) {
	name := c.Param("name")
	p := &envEditPage{Name: name, Patience: int(store.DefaultPatience.Minutes()), Services: "account:\n  base_url: http://\n"}
	env, err := u.store.Environment(c.Request.Context(), name)
	switch {
	case errors.Is(err, store.ErrNotFound):
		p.New = true
	case err != nil:
		u.fail(c, err)
		return
	default:
		b, err := yaml.Marshal(env.Services)
		if err != nil {
			u.fail(c, err)
			return
		}
		p.Title, p.Services, p.Concurrency, p.Protected = env.Title, string(b), env.Concurrency, env.Protected
		p.Patience = int(env.Patience.Minutes())
		p.SecretNames = env.SecretNames
	}
	u.renderEnvEdit(c, http.StatusOK, p)
}

func (u *UI) renderEnvEdit(c *gin.Context, status int, p *envEditPage) {
	v := u.newView(c, "environments", p)
	v.Title = v.T("envs.edit", p.Name)
	u.render(c, status, "environment_edit", v)
}

// saveEnvironment saves an admin's edit; bad YAML is shown with its line.
func (u *UI) saveEnvironment(c *gin.Context) {
	p := &envEditPage{Name: c.Param("name"), Title: c.PostForm("title"), Services: c.PostForm("services"), Secrets: c.PostForm("secrets"),
		Protected: c.PostForm("protected") != ""}
	p.Concurrency, _ = strconv.Atoi(c.PostForm("concurrency"))
	p.Patience, _ = strconv.Atoi(c.PostForm("patience"))
	var services map[string]store.ServiceConfig
	dec := yaml.NewDecoder(strings.NewReader(p.Services))
	dec.KnownFields(true)
	if err := dec.Decode(&services); err != nil {
		p.Error = translate(lang(c), "envs.bad_services") + "：" + strings.TrimPrefix(err.Error(), "yaml: ")
		u.renderEnvEdit(c, http.StatusUnprocessableEntity, p)
		return
	}
	env := &store.Environment{Name: p.Name, Title: p.Title, Services: services, Concurrency: max(0, p.Concurrency),
		Protected: p.Protected, Patience: time.Duration(max(1, p.Patience)) * time.Minute}
	if problems := env.Check(); len(problems) > 0 {
		lines := make([]string, len(problems))
		for i, pr := range problems {
			lines[i] = pr.Error()
		}
		p.Error = translate(lang(c), "envs.bad_settings") + "：" + strings.Join(lines, "；")
		u.renderEnvEdit(c, http.StatusUnprocessableEntity, p)
		return
	}
	secrets := map[string]string{}
	if old, err := u.store.Environment(c.Request.Context(), p.Name); err == nil {
		env.CreatedAt = old.CreatedAt
		p.SecretNames = old.SecretNames
		if secrets, err = u.store.Secrets(old); err != nil {
			u.fail(c, err)
			return
		}
	} else if !errors.Is(err, store.ErrNotFound) {
		u.fail(c, err)
		return
	}
	for _, line := range strings.Split(p.Secrets, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		name, value, ok := strings.Cut(line, "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			p.Error = translate(lang(c), "envs.bad_secret")
			p.Secrets = ""
			u.renderEnvEdit(c, http.StatusUnprocessableEntity, p)
			return
		}
		if value == "" {
			delete(secrets, name)
		} else {
			secrets[name] = value
		}
	}
	if err := u.store.SaveEnvironment(c.Request.Context(), env, secrets); err != nil {
		u.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/environments")
}
