package jobs

import (
	"errors"
	"net/http"
	"testing"
)

// Calls go only to the hosts an environment lists.
func TestHostGuardRefusesForeignHosts(t *testing.T) {
	var reached []string
	g := hostGuard{hosts: map[string]bool{"127.0.0.1:9090": true}, env: "uat-sim",
		base: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			reached = append(reached, r.URL.Host)
			return &http.Response{StatusCode: 200, Body: http.NoBody}, nil
		})}
	for host, allowed := range map[string]bool{"127.0.0.1:9090": true, "127.0.0.1:9091": false, "prod.example.com": false} {
		req, _ := http.NewRequest(http.MethodGet, "http://"+host+"/account/health", nil)
		_, err := g.RoundTrip(req)
		if allowed != (err == nil) || (!allowed && !errors.Is(err, ErrForeignHost)) {
			t.Errorf("%s: err = %v", host, err)
		}
	}
	if len(reached) != 1 {
		t.Errorf("reached %v, want only the environment's host", reached)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
