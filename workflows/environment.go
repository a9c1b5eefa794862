package workflows

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
)

// Environment is one UAT: where each service lives and the secrets to log in.
type Environment struct {
	Name     string
	Services map[string]Service
	// Secrets are read by secret(name) and secrets.name; their values are
	// masked in every record and log line.
	Secrets map[string]string
}

// Service is where a named service of a workflow lives in one environment.
type Service struct {
	BaseURL string
	// Headers are sent with every request to the service.
	Headers map[string]string
	// Timeout bounds each request; zero means the engine's default.
	Timeout time.Duration
	TLS     *TLSOptions
}

// TLSOptions configure HTTPS to a service with a private CA or a test certificate.
type TLSOptions struct {
	// CACertPEM is added to the system roots.
	CACertPEM string
	// ServerName overrides the name checked in the certificate.
	ServerName string
	// InsecureSkipVerify accepts any certificate; for throwaway test setups only.
	InsecureSkipVerify bool
}

// ErrServiceMissing is returned by Check when the environment lacks a service.
var ErrServiceMissing = errors.New("service not configured in environment")

// Check reports every service def declares that the environment does not configure.
func (e *Environment) Check(def *Definition) error {
	var missing []string
	for _, s := range def.Services {
		if svc, ok := e.Services[s.Name]; !ok || svc.BaseURL == "" {
			missing = append(missing, s.Name)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	sort.Strings(missing)
	return fmt.Errorf("environment %s: %w: %s", e.Name, ErrServiceMissing, strings.Join(missing, ", "))
}

// transport builds the HTTP transport for a service with TLS options.
func (o *TLSOptions) transport(base *http.Transport) (*http.Transport, error) {
	cfg := &tls.Config{ServerName: o.ServerName, InsecureSkipVerify: o.InsecureSkipVerify} //nolint:gosec // opt-in per environment for test setups
	if o.CACertPEM != "" {
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM([]byte(o.CACertPEM)) {
			return nil, errors.New("read CA certificate: no certificate in PEM")
		}
		cfg.RootCAs = pool
	}
	t := base.Clone()
	t.TLSClientConfig = cfg
	return t, nil
}
