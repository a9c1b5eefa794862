package uatsim

import "testing"

// /uat/customers lists every customer once, so a test can prove that
// replays made no duplicates.
func TestListCustomers(t *testing.T) {
	e := newTestEnv(t, testOptions())
	if n := e.call("GET", "/uat/customers", nil).ok(t).Data["count"]; n != float64(0) {
		t.Fatalf("count before any customer = %v", n)
	}
	a := e.createCustomer(e.newID("19850101", "123"), "张三")
	b := e.createCustomer(e.newID("19900202", "124"), "李四")
	r := e.call("GET", "/uat/customers", nil).ok(t)
	list, _ := r.Data["customers"].([]any)
	if r.Data["count"] != float64(2) || len(list) != 2 {
		t.Fatalf("customers = %v", r.Data)
	}
	first := list[0].(map[string]any)
	if first["customer_code"] != min(a, b) || first["name"] == "" {
		t.Errorf("first customer = %v, want code %s", first, min(a, b))
	}
}
