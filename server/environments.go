package server

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/zaoshu/zaoshu/store"
)

// environmentsFile is the GitOps form of environments: a YAML file kept in a
// repository, loaded at start. Secret values are never written in it: each
// names an environment variable (${UAT1_OPERATOR_PASSWORD}).
type environmentsFile struct {
	Environments []environmentSpec `yaml:"environments"`
}

type environmentSpec struct {
	Name        string                         `yaml:"name"`
	Title       string                         `yaml:"title"`
	Services    map[string]store.ServiceConfig `yaml:"services"`
	Secrets     map[string]string              `yaml:"secrets"`
	Concurrency int                            `yaml:"concurrency"`
	Protected   bool                           `yaml:"protected"`
	Patience    string                         `yaml:"patience"`
}

var secretRef = regexp.MustCompile(`^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$`)

// loadEnvironments reads a GitOps environments file and saves every
// environment in it, after checking them all: nothing is saved if any is wrong.
func loadEnvironments(ctx context.Context, path string, st *store.Store) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read environments file: %w", err)
	}
	var f environmentsFile
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("environments file %s: %w", path, err)
	}
	type parsed struct {
		env     *store.Environment
		secrets map[string]string
	}
	var all []parsed
	var problems []error
	for i, spec := range f.Environments {
		env, secrets, err := spec.parse()
		if err != nil {
			problems = append(problems, fmt.Errorf("environments[%d] (%s): %w", i, spec.Name, err))
			continue
		}
		all = append(all, parsed{env, secrets})
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("environments file %s: %w", path, errors.Join(problems...))
	}
	var names []string
	for _, p := range all {
		if err := st.SaveEnvironment(ctx, p.env, p.secrets); err != nil {
			return names, err
		}
		names = append(names, p.env.Name)
	}
	return names, nil
}

func (s environmentSpec) parse() (*store.Environment, map[string]string, error) {
	var problems []error
	env := &store.Environment{Name: s.Name, Title: s.Title, Services: s.Services, Concurrency: s.Concurrency, Protected: s.Protected}
	if s.Patience != "" {
		d, err := time.ParseDuration(s.Patience)
		if err != nil || d <= 0 {
			problems = append(problems, fmt.Errorf("patience %q: want a duration such as 30m", s.Patience))
		}
		env.Patience = d
	}
	for _, p := range env.Check() {
		problems = append(problems, p)
	}
	secrets := map[string]string{}
	for name, ref := range s.Secrets {
		m := secretRef.FindStringSubmatch(ref)
		if m == nil {
			problems = append(problems, fmt.Errorf("secret %s: write ${ENV_VAR}, never the value itself", name))
			continue
		}
		v, ok := os.LookupEnv(m[1])
		if !ok {
			problems = append(problems, fmt.Errorf("secret %s: environment variable %s is not set", name, m[1]))
			continue
		}
		secrets[name] = v
	}
	if len(problems) > 0 {
		return nil, nil, errors.Join(problems...)
	}
	return env, secrets, nil
}
