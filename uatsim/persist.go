package uatsim

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// Save writes the back office's state (customers, accounts, requests,
// agreements) to path as JSON, atomically.
func (s *Sim) Save(path string) error {
	s.mu.Lock()
	b, err := json.MarshalIndent(s.st, "", " ")
	s.mu.Unlock()
	if err != nil {
		return fmt.Errorf("save simulator state: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".uatsim-*.json")
	if err != nil {
		return fmt.Errorf("save simulator state to %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("save simulator state to %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save simulator state to %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("save simulator state to %s: %w", path, err)
	}
	return nil
}

// Load replaces the state with the one saved at path; depository requests and
// bank confirmations still pending are scheduled again.
func (s *Sim) Load(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("load simulator state: %w", err)
	}
	st := newState()
	if err := json.Unmarshal(b, st); err != nil {
		return fmt.Errorf("load simulator state from %s: %w", path, err)
	}
	s.stopTimers()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st = st
	for _, r := range st.Requests {
		if r.Status == csdcNotSent || r.Status == csdcSent {
			s.scheduleLocked(r)
		}
	}
	for _, ag := range st.CustodyAgreements {
		if ag.Status == custodyPending {
			s.scheduleCustodyLocked(ag)
		}
	}
	return nil
}

// Reset forgets every customer, account and agreement (sessions, faults and the clock stay).
func (s *Sim) Reset() {
	s.stopTimers()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st = newState()
}
