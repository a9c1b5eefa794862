package store_test

import (
	"errors"
	"testing"

	"github.com/zaoshu/zaoshu/store"
	"github.com/zaoshu/zaoshu/store/storetest"
)

func TestPresetsOwnAndShared(t *testing.T) {
	for _, db := range storetest.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := storetest.Open(t, db)
			mine := &store.Preset{Name: "C5 科创板", Workflow: "complex-account", Environment: "uat-sim", OwnerID: 1,
				Inputs: map[string]any{"risk_level": "C5", "agreements": []any{"star"}}, Labels: []string{"incident"}}
			shared := &store.Preset{Name: "团队普通户", Workflow: "standard-account", OwnerID: 2, Shared: true}
			private := &store.Preset{Name: "他人私有", Workflow: "standard-account", OwnerID: 2}
			for _, p := range []*store.Preset{mine, shared, private} {
				if err := s.SavePreset(ctx(t), p); err != nil {
					t.Fatal(err)
				}
			}
			ps, err := s.Presets(ctx(t), 1, "")
			if err != nil {
				t.Fatal(err)
			}
			if len(ps) != 2 || ps[0].Name != "C5 科创板" || ps[1].Name != "团队普通户" {
				t.Fatalf("presets of user 1 = %+v, want own and shared", ps)
			}
			if ps[0].Inputs["risk_level"] != "C5" || len(ps[0].Labels) != 1 {
				t.Errorf("inputs not kept: %+v", ps[0])
			}
			if ps, _ := s.Presets(ctx(t), 1, "complex-account"); len(ps) != 1 {
				t.Errorf("presets of complex-account = %d, want 1", len(ps))
			}
			if _, err := s.Preset(ctx(t), private.ID, 1); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("another user's private preset: %v, want ErrNotFound", err)
			}
			if err := s.DeletePreset(ctx(t), shared.ID, 1); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("deleting a shared preset of another user: %v, want ErrNotFound", err)
			}
			mine.Name = "C5 全权限"
			if err := s.SavePreset(ctx(t), mine); err != nil {
				t.Fatal(err)
			}
			if got, err := s.Preset(ctx(t), mine.ID, 1); err != nil || got.Name != "C5 全权限" {
				t.Errorf("renamed preset = %+v, %v", got, err)
			}
			if err := s.DeletePreset(ctx(t), mine.ID, 1); err != nil {
				t.Fatal(err)
			}
		})
	}
}
