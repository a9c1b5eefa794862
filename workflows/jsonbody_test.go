package workflows

import (
	"net/http"
	"testing"
)

// A JSON body built with expr's fromPairs (a map[any]any) is sent as a JSON
// object, not refused as unencodable.
func TestJSONBodyFromPairs(t *testing.T) {
	bo := newBackOffice(t, map[string]http.HandlerFunc{"/answers": reply(200, map[string]any{"code": "0"})})
	def := mustLoad(t, `name: pairs
services: [account]
steps:
  - id: answer
    request:
      service: account
      method: POST
      path: /answers
      json:
        answers: "${{ fromPairs(map(['q1', 'q2'], [#, 'E'])) }}"
`)
	res, _ := runFlow(t, NewEngine(), def, bo.env(), nil)
	if res.Status != RunSucceeded {
		t.Fatalf("run = %s %v", res.Status, res.Failure)
	}
	if got := bo.bodies[0]; got != `{"answers":{"q1":"E","q2":"E"}}` {
		t.Errorf("body sent = %s", got)
	}
}
