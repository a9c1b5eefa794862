package uatsim

import (
	"sync"
	"time"
)

// idempotency remembers the successful answer given for each Idempotency-Key,
// so a replayed create answers the same and makes no second record. Refusals
// are not remembered: a retry after an error is executed again. Concurrent
// calls with one key wait for the first.
type idempotency struct {
	mu      sync.Mutex
	entries map[string]*idemEntry
	inserts int
}

type idemEntry struct {
	fingerprint string
	done        chan struct{}
	res         result
	at          time.Time
}

const idemTTL = 24 * time.Hour

func newIdempotency() *idempotency { return &idempotency{entries: map[string]*idemEntry{}} }

func (i *idempotency) do(key, fingerprint string, exec func() result) result {
	for {
		i.mu.Lock()
		e, ok := i.entries[key]
		if !ok {
			e = &idemEntry{fingerprint: fingerprint, done: make(chan struct{}), at: time.Now()}
			i.entries[key] = e
			i.sweepLocked()
			i.mu.Unlock()
			func() {
				// Closing in a defer lets waiters run the call themselves if it panics.
				defer func() {
					if !e.res.ok() {
						i.mu.Lock()
						delete(i.entries, key)
						i.mu.Unlock()
					}
					close(e.done)
				}()
				e.res = exec()
			}()
			return e.res
		}
		i.mu.Unlock()
		if e.fingerprint != fingerprint {
			return errorResult(rejected(codeIdempotencyReuse, "Idempotency-Key %q 已用于另一个请求（%s），同一个键只能用于同一个请求", key, e.fingerprint[:len(e.fingerprint)-65]))
		}
		<-e.done
		if e.res.ok() {
			res := e.res
			res.replayed = true
			return res
		}
	}
}

// sweepLocked forgets old keys now and then so a long-running simulator stays small.
func (i *idempotency) sweepLocked() {
	i.inserts++
	if i.inserts%10000 != 0 {
		return
	}
	cut := time.Now().Add(-idemTTL)
	for k, e := range i.entries {
		if e.at.Before(cut) {
			select {
			case <-e.done:
				delete(i.entries, k)
			default:
			}
		}
	}
}
