package library

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/zaoshu/zaoshu/uatsim"
	"github.com/zaoshu/zaoshu/workflows"
)

// TestRefusals checks that what the back office or the inputs refuse fails
// with the right class, the product's own words and a next step.
func TestRefusals(t *testing.T) {
	t.Parallel()
	bo := startBackOffice(t, uatsim.Options{})
	def := load(t, "complex-account.yaml")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	t.Run("STAR needs C4", func(t *testing.T) {
		rec := &workflows.MemoryRecorder{}
		seed := int64(300)
		res, _, err := bo.build(ctx, workflows.NewEngine(), def, "star-c3", seed, map[string]any{"risk_level": "C3", "agreements": "star"}, rec)
		if err != nil {
			t.Fatal(err)
		}
		f := failureOf(t, res)
		t.Logf("%v\n%s", f, f.Hint.Zh)
		if f.Class != workflows.ClassBusinessRejected || !errors.Is(f, workflows.ErrBusinessRejected) {
			t.Fatalf("failure class = %s, want business_rejected: %v", f.Class, f)
		}
		if want := "风险等级不匹配：科创板要求C4及以上，当前C3"; !strings.Contains(f.Message.Zh, want) {
			t.Errorf("message = %q, want the simulator's %q", f.Message.Zh, want)
		}
		if !strings.Contains(f.Hint.Zh, "C4") || !strings.Contains(f.Hint.En, "C4") {
			t.Errorf("hint = %+v, want it to say to choose C4 or above", f.Hint)
		}
		if f.Step != "agreements/sign" || f.RequestID == "" {
			t.Errorf("failed at step %q (request %q), want agreements/sign with a request id", f.Step, f.RequestID)
		}
	})

	t.Run("invalid ID number", func(t *testing.T) {
		before := bo.callCount(t)
		bad := "110105194912310021" // check character should be X
		_, _, err := bo.build(ctx, workflows.NewEngine(), def, "bad-id", 1, map[string]any{"id_number": bad}, nil)
		var problems workflows.InputErrors
		if !errors.As(err, &problems) || len(problems) != 1 || problems[0].Input != "id_number" {
			t.Fatalf("inputs error = %v, want one problem with id_number", err)
		}
		if msg := problems.Format("zh"); !strings.Contains(msg, "校验位") {
			t.Errorf("message = %q, want it to name the check character", msg)
		}
		if after := bo.callCount(t); after != before {
			t.Errorf("%d calls reached the back office, want none", after-before)
		}
	})

	for _, tc := range []struct {
		name, want string
		set        map[string]any
	}{
		{"withdrawable above available", "不能大于可用资金", map[string]any{"available": "100", "withdrawable": "200"}},
		{"custody bank as auxiliary", "辅助银行不能与存管银行相同", map[string]any{"bank_code": "5500", "auxiliary_banks": "5000,5500"}},
		{"repeated auxiliary bank", "辅助银行有重复", map[string]any{"auxiliary_banks": `["5000","5000"]`}},
		{"pre-designation bank as auxiliary", "只支持预指定", map[string]any{"auxiliary_banks": "8500"}},
		{"bond without professional", "须为专业投资者", map[string]any{"agreements": "bond_qualified"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			seed := int64(400)
			res, inputs, err := bo.build(ctx, workflows.NewEngine(), def, "refused-"+tc.name, seed, tc.set, nil)
			if err != nil {
				t.Fatal(err)
			}
			f := failureOf(t, res)
			if f.Class != workflows.ClassBusinessRejected || f.Step != "check_inputs" || !strings.Contains(f.Message.Zh, tc.want) || f.Hint.IsZero() {
				t.Errorf("failure = %+v, want business_rejected at check_inputs saying %q, with a hint", f, tc.want)
			}
			if bo.hasCustomer(t, inputs["id_number"].(string)) {
				t.Error("a customer was opened although the inputs were refused")
			}
		})
	}

	t.Run("ID number already used", func(t *testing.T) {
		std := load(t, "standard-account.yaml")
		out, inputs, _ := bo.mustBuild(t, std, 500, nil)
		res, _, err := bo.build(ctx, workflows.NewEngine(), std, "again", 501, map[string]any{"id_number": inputs["id_number"]}, nil)
		if err != nil {
			t.Fatal(err)
		}
		f := failureOf(t, res)
		if f.Class != workflows.ClassBusinessRejected || !strings.Contains(f.Message.Zh, "同一证件") || !strings.Contains(f.Message.Zh, out["customer_code"].(string)) || !strings.Contains(f.Hint.Zh, "换一个身份证号") {
			t.Errorf("failure = %+v, want the duplicate ID refused with the existing customer code and a hint", f)
		}
	})
}
