package jobs

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/hibiken/asynq"

	"github.com/zaoshu/zaoshu/store"
)

// TypeWebhook tells a run's callback URL that the run ended.
const TypeWebhook = "run:webhook"

// webhookAttempts is how often a delivery is tried before giving up.
const webhookAttempts = 8

// Callback is where to tell that a run ended, and the secret its body is
// signed with (HMAC-SHA256, hex, in X-Zaoshu-Signature: sha256=…).
type Callback struct {
	URL    string
	Secret string
}

// ErrBadCallback is a callback that cannot be used.
var ErrBadCallback = errors.New("callback URL must be an absolute http(s) URL")

// CheckCallback tells whether a callback can be used.
func CheckCallback(c *Callback) error {
	if c == nil {
		return nil
	}
	u, err := url.Parse(c.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%w: %q", ErrBadCallback, c.URL)
	}
	return nil
}

// Sign is the signature of body under secret, as sent in X-Zaoshu-Signature.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// notify queues the callback of a run that ended.
func (b *Builds) notify(ctx context.Context, r *store.Run) {
	if r.CallbackURL == "" {
		return
	}
	payload, _ := json.Marshal(runPayload{RunID: r.ID})
	_, err := b.client.Enqueue(ctx, asynq.NewTask(TypeWebhook, payload), QueueDefault,
		asynq.TaskID("hook-"+r.ID+"-"+r.UpdatedAt.Format("150405.000")), asynq.MaxRetry(webhookAttempts-1), asynq.Timeout(30*time.Second))
	if err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) {
		b.log.Warn("queue run callback", "run", r.ID, "error", err)
	}
}

// WebhookEvent is the body a callback receives.
type WebhookEvent struct {
	Event string         `json:"event"`
	Run   map[string]any `json:"run"`
}

// deliver posts the run's outcome to its callback URL and logs the attempt;
// an error makes asynq try again later.
func (b *Builds) deliver(ctx context.Context, t *asynq.Task) error {
	var p runPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil {
		return fmt.Errorf("webhook payload: %w: %w", err, asynq.SkipRetry)
	}
	r, err := b.store.Run(ctx, p.RunID)
	if err != nil {
		return err
	}
	secret, err := b.store.CallbackSecret(r)
	if err != nil {
		return fmt.Errorf("%w: %w", err, asynq.SkipRetry)
	}
	run := map[string]any{"id": r.ID, "workflow": r.Workflow, "revision": r.Revision, "environment": r.Environment,
		"status": r.Status, "ticket": r.Ticket, "labels": r.Labels, "outputs": r.Outputs, "created_at": r.CreatedAt, "finished_at": r.FinishedAt}
	if r.Failure != nil {
		run["failure"] = r.Failure
	}
	body, err := json.Marshal(WebhookEvent{Event: "run." + string(r.Status), Run: run})
	if err != nil {
		return err
	}
	retried, _ := asynq.GetRetryCount(ctx)
	d := &store.WebhookDelivery{RunID: r.ID, URL: r.CallbackURL, Attempt: retried + 1}
	began := time.Now()
	sendErr := b.post(ctx, r.CallbackURL, secret, t.ResultWriter().TaskID(), body, d)
	d.DurationMS = time.Since(began).Milliseconds()
	if sendErr != nil {
		d.Error = truncate(sendErr.Error(), 1000)
	}
	if err := b.store.AddWebhookDelivery(context.WithoutCancel(ctx), d); err != nil {
		b.log.Warn("log webhook delivery", "run", r.ID, "error", err)
	}
	return sendErr
}

func (b *Builds) post(ctx context.Context, target, secret, delivery string, body []byte, d *store.WebhookDelivery) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%w: %w", err, asynq.SkipRetry)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "zaoshu-webhook/1")
	req.Header.Set("X-Zaoshu-Delivery", delivery)
	req.Header.Set("X-Zaoshu-Signature", Sign(secret, body))
	res, err := (&http.Client{Transport: b.opts.HTTP}).Do(req)
	if err != nil {
		return fmt.Errorf("post to %s: %w", target, err)
	}
	_ = res.Body.Close()
	d.StatusCode = res.StatusCode
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return fmt.Errorf("post to %s: answered %d", target, res.StatusCode)
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
