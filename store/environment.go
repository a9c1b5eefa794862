package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"time"

	"gorm.io/gorm"
)

// DefaultPatience is how long a build may wait out an outage by default.
const DefaultPatience = 30 * time.Minute

// ServiceConfig is where one business service lives in an environment.
type ServiceConfig struct {
	BaseURL string            `json:"base_url" yaml:"base_url"`
	Headers map[string]string `json:"headers,omitempty" yaml:"headers,omitempty"`
	// Timeout bounds each request to the service, e.g. "10s"; empty: the engine's default.
	Timeout string       `json:"timeout,omitempty" yaml:"timeout,omitempty"`
	Health  *HealthProbe `json:"health,omitempty" yaml:"health,omitempty"`
	TLS     *TLSConfig   `json:"tls,omitempty" yaml:"tls,omitempty"`
}

// HealthProbe is how the prober tells whether a service is back.
type HealthProbe struct {
	Method string `json:"method,omitempty" yaml:"method,omitempty"`
	// Path is relative to the service's base URL.
	Path string `json:"path" yaml:"path"`
	// ExpectStatus is the healthy HTTP status; 0 means any 2xx.
	ExpectStatus int `json:"expect_status,omitempty" yaml:"expect_status,omitempty"`
}

// TLSConfig configures HTTPS to a service with a private CA or test certificate.
type TLSConfig struct {
	CACertPEM          string `json:"ca_cert_pem,omitempty" yaml:"ca_cert_pem,omitempty"`
	ServerName         string `json:"server_name,omitempty" yaml:"server_name,omitempty"`
	InsecureSkipVerify bool   `json:"insecure_skip_verify,omitempty" yaml:"insecure_skip_verify,omitempty"`
}

// Environment is one UAT the platform builds in. Its secrets are stored
// encrypted and only their names are readable without the key.
type Environment struct {
	ID          uint64                   `gorm:"primaryKey"`
	Name        string                   `gorm:"size:64;not null;uniqueIndex"`
	Title       string                   `gorm:"size:128;not null;default:''"`
	Services    map[string]ServiceConfig `gorm:"serializer:json;type:text"`
	SecretNames []string                 `gorm:"serializer:json;type:text"`
	Sealed      []byte                   `gorm:"column:sealed_secrets"`
	// Concurrency caps the calls in flight to this environment across all
	// workers; 0 means no cap.
	Concurrency int `gorm:"not null;default:0"`
	// Protected environments refuse builds unless explicitly allowed: the
	// guard against pointing zaoshu at production.
	Protected bool          `gorm:"not null;default:false"`
	Patience  time.Duration `gorm:"not null"`
	CreatedAt time.Time     `gorm:"not null"`
	UpdatedAt time.Time     `gorm:"not null"`
}

// SaveEnvironment creates or replaces the environment of that name. Secrets
// replace the stored ones when not nil; nil keeps them.
func (s *Store) SaveEnvironment(ctx context.Context, env *Environment, secrets map[string]string) error {
	if env.Patience == 0 {
		env.Patience = DefaultPatience
	}
	if secrets != nil {
		plain, err := json.Marshal(secrets)
		if err != nil {
			return err
		}
		if env.Sealed, err = seal(s.secretKey, plain); err != nil {
			return fmt.Errorf("save environment %s: %w", env.Name, err)
		}
		env.SecretNames = make([]string, 0, len(secrets))
		for k := range secrets {
			env.SecretNames = append(env.SecretNames, k)
		}
		sort.Strings(env.SecretNames)
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var old Environment
		err := tx.Take(&old, "name = ?", env.Name).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			env.ID = 0
			if err := tx.Create(env).Error; err != nil {
				return fmt.Errorf("create environment %s: %w", env.Name, err)
			}
			return nil
		case err != nil:
			return fmt.Errorf("read environment %s: %w", env.Name, err)
		}
		env.ID, env.CreatedAt = old.ID, old.CreatedAt
		if secrets == nil {
			env.Sealed, env.SecretNames = old.Sealed, old.SecretNames
		}
		if err := tx.Save(env).Error; err != nil {
			return fmt.Errorf("update environment %s: %w", env.Name, err)
		}
		return nil
	})
}

// Environment finds an environment by name; ErrNotFound if there is none.
func (s *Store) Environment(ctx context.Context, name string) (*Environment, error) {
	var env Environment
	err := s.db.WithContext(ctx).Take(&env, "name = ?", name).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("environment %s: %w", name, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read environment %s: %w", name, err)
	}
	return &env, nil
}

// Environments lists all environments by name.
func (s *Store) Environments(ctx context.Context) ([]Environment, error) {
	var envs []Environment
	if err := s.db.WithContext(ctx).Order("name").Find(&envs).Error; err != nil {
		return nil, fmt.Errorf("list environments: %w", err)
	}
	return envs, nil
}

// Secrets decrypts an environment's secrets.
func (s *Store) Secrets(env *Environment) (map[string]string, error) {
	if len(env.Sealed) == 0 {
		return map[string]string{}, nil
	}
	plain, err := open(s.secretKey, env.Sealed)
	if err != nil {
		return nil, fmt.Errorf("secrets of environment %s: %w", env.Name, err)
	}
	var m map[string]string
	if err := json.Unmarshal(plain, &m); err != nil {
		return nil, fmt.Errorf("secrets of environment %s: %w", env.Name, err)
	}
	return m, nil
}

// DeleteEnvironment removes an environment; its runs keep their records.
func (s *Store) DeleteEnvironment(ctx context.Context, name string) error {
	res := s.db.WithContext(ctx).Where("name = ?", name).Delete(&Environment{})
	if res.Error != nil {
		return fmt.Errorf("delete environment %s: %w", name, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("environment %s: %w", name, ErrNotFound)
	}
	return nil
}

// EnvironmentProblem is one thing wrong with an environment's settings.
type EnvironmentProblem struct {
	Field   string // services.account.base_url
	Message string
}

func (p EnvironmentProblem) Error() string { return p.Field + ": " + p.Message }

var environmentName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

// ValidEnvironmentName tells whether name can name an environment: it goes
// in URLs and workflows.
func ValidEnvironmentName(name string) bool { return environmentName.MatchString(name) }

// Check lists every problem with the environment's settings, in a stable order.
func (e *Environment) Check() []EnvironmentProblem {
	var out []EnvironmentProblem
	if !environmentName.MatchString(e.Name) {
		out = append(out, EnvironmentProblem{"name", fmt.Sprintf("%q: use lowercase letters, digits and dashes", e.Name)})
	}
	if len(e.Services) == 0 {
		out = append(out, EnvironmentProblem{"services", "no services: name at least one with its base_url"})
	}
	names := make([]string, 0, len(e.Services))
	for name := range e.Services {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		svc := e.Services[name]
		u, err := url.Parse(svc.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			out = append(out, EnvironmentProblem{"services." + name + ".base_url", fmt.Sprintf("%q is not an absolute http(s) URL", svc.BaseURL)})
		}
		if svc.Timeout != "" {
			if _, err := time.ParseDuration(svc.Timeout); err != nil {
				out = append(out, EnvironmentProblem{"services." + name + ".timeout", fmt.Sprintf("%q is not a duration such as 10s", svc.Timeout)})
			}
		}
	}
	if e.Concurrency < 0 {
		out = append(out, EnvironmentProblem{"concurrency", "must not be negative"})
	}
	if e.Patience < 0 {
		out = append(out, EnvironmentProblem{"patience", "must not be negative"})
	}
	return out
}
