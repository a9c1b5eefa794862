package jobs

// Queues, from most to least urgent. People waiting at the form go first, CI
// next, background work last; weights give each a share without starving any.
const (
	QueueCritical = "critical"
	QueueDefault  = "default"
	QueueLow      = "low"
)

var queueWeights = map[string]int{QueueCritical: 6, QueueDefault: 3, QueueLow: 1}

// Namespace prefixes queue names so several installations (or tests) can
// share one Redis without taking each other's tasks.
type Namespace string

// Queue is the Redis queue name for one of the queues above.
func (n Namespace) Queue(q string) string {
	if n == "" {
		return q
	}
	return string(n) + ":" + q
}

// Queues maps every namespaced queue to its weight, for the asynq server.
func (n Namespace) Queues() map[string]int {
	m := make(map[string]int, len(queueWeights))
	for q, w := range queueWeights {
		m[n.Queue(q)] = w
	}
	return m
}
