// Package job runs background work durably: jobs live in the database (the
// same one as the data they act on), are enqueued inside the transaction
// that causes them (the outbox pattern, so a rolled-back change leaves no
// job behind), and are claimed by a Runner on any node, retried with
// back-off, and never run twice at once. Recurring work (deadline warnings,
// site inspection, backups) is scheduled with Every. The package holds no
// SQL; internal/store implements Queue.
//
// STYLE.md names River for this; a small queue of our own was chosen
// instead because River's SQLite driver needs its own migration machinery
// and a single shared connection, while Gongkai needs only claim, retry
// and periodic scheduling over the tables it already migrates.
package job

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"sync"
	"time"
)

// State is where a job is in its life.
type State string

const (
	StatePending   State = "pending"
	StateRunning   State = "running"
	StateDone      State = "done"
	StateFailed    State = "failed" // gave up after MaxAttempts
	StateCancelled State = "cancelled"
)

// Job is one unit of background work.
type Job struct {
	ID          int64
	Kind        string          // names the handler, e.g. "publish.scheduled"
	Payload     json.RawMessage // the handler's input, JSON
	State       State
	RunAt       time.Time // not before
	Attempts    int
	MaxAttempts int    // 0 means DefaultMaxAttempts
	UniqueKey   string // optional: at most one pending or running job per key
	// Once makes UniqueKey hold for jobs in any state: a slot of a
	// periodic job that already ran, on this node or another, is not
	// enqueued again. Not stored.
	Once      bool
	LastError string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// DefaultMaxAttempts is how often a failing job is tried before it is
// marked failed.
const DefaultMaxAttempts = 8

// New returns a job of kind with payload marshalled to JSON, due at runAt.
func New(kind string, payload any, runAt time.Time) (Job, error) {
	b, err := json.Marshal(payload)
	if err != nil {
		return Job{}, fmt.Errorf("marshal %s payload: %w", kind, err)
	}
	return Job{Kind: kind, Payload: b, RunAt: runAt}, nil
}

// Enqueuer adds jobs. A store transaction implements it, so domain code
// enqueues inside the transaction that causes the work.
type Enqueuer interface {
	Enqueue(ctx context.Context, j Job) error
}

// Queue is what the Runner needs from storage. internal/store implements
// it; each method runs in its own transaction.
type Queue interface {
	// Claim marks up to limit due jobs of the given kinds as running until
	// now+lease and returns them. A running job whose lease has expired
	// (its node died) is due again.
	Claim(ctx context.Context, kinds []string, now time.Time, lease time.Duration, limit int) ([]Job, error)
	// Finish records the outcome of a claimed job: done when errText is
	// empty; otherwise pending again at retryAt, or failed when final.
	Finish(ctx context.Context, id int64, errText string, retryAt time.Time, final bool) error
	// EnqueueJob adds a job outside any other transaction.
	EnqueueJob(ctx context.Context, j Job) error
}

// Handler does the work of one job. It must be idempotent: a job may run
// again after a crash between doing the work and recording it.
type Handler func(ctx context.Context, j Job) error

// ErrPermanent, wrapped by a handler's error, stops retries at once.
var ErrPermanent = errors.New("job: permanent failure")

type periodic struct {
	kind    string
	every   time.Duration
	payload json.RawMessage
	// at shifts the slots from UTC midnight (Daily); next makes Schedule
	// enqueue the coming slot instead of the current, already begun one.
	at   time.Duration
	next bool
	last time.Time // the slot this process last enqueued
}

// Runner claims and runs jobs. Create it with NewRunner, register handlers
// and periodic jobs, then call Run. Safe for concurrent use after Run
// starts only through RunDue.
type Runner struct {
	q        Queue
	log      *slog.Logger
	now      func() time.Time
	mu       sync.Mutex // guards handlers and periodic
	handlers map[string]Handler
	periodic []periodic
	// Poll is how often the runner looks for due jobs.
	Poll time.Duration
	// Lease is how long a claimed job is reserved for its runner.
	Lease time.Duration
}

// NewRunner returns a Runner over q.
func NewRunner(q Queue, log *slog.Logger, now func() time.Time) *Runner {
	if now == nil {
		now = time.Now
	}
	return &Runner{q: q, log: log, now: now, handlers: map[string]Handler{}, Poll: time.Second, Lease: 5 * time.Minute}
}

// Handle registers h for kind. Registering a kind twice panics: it is a
// wiring bug found at start.
func (r *Runner) Handle(kind string, h Handler) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.handlers[kind]; dup {
		panic("job: two handlers for " + kind)
	}
	r.handlers[kind] = h
}

// Every schedules kind to run once per interval, aligned to the interval
// (a daily job runs once per UTC day). Each slot is a job with a unique
// key, so several nodes schedule it only once.
func (r *Runner) Every(kind string, interval time.Duration, payload any) error {
	return r.addPeriodic(periodic{kind: kind, every: interval}, payload)
}

func (r *Runner) addPeriodic(p periodic, payload any) error {
	b, err := json.Marshal(payload)
	if err != nil {
		return err
	}
	p.payload = b
	r.mu.Lock()
	defer r.mu.Unlock()
	r.periodic = append(r.periodic, p)
	return nil
}

// Daily runs kind once a day at the time of day at (in UTC; 18h is
// 02:00 China time), for heavy work that belongs in the quiet hours. The
// next slot is enqueued ahead, so a new installation waits for the first
// one, and a slot the server was down for runs when it starts again.
func (r *Runner) Daily(kind string, at time.Duration, payload any) error {
	return r.addPeriodic(periodic{kind: kind, every: 24 * time.Hour, at: at, next: true}, payload)
}

// Schedule enqueues the current slot of every periodic job (the next one
// of Daily jobs); Run calls it on each poll.
func (r *Runner) Schedule(ctx context.Context) error {
	r.mu.Lock()
	ps := append([]periodic(nil), r.periodic...)
	r.mu.Unlock()
	now := r.now().UTC()
	for i, p := range ps {
		slot := now.Add(-p.at).Truncate(p.every).Add(p.at)
		if p.next {
			slot = slot.Add(p.every)
		}
		if slot.Equal(p.last) {
			continue // enqueued already by this process
		}
		// Once: a slot that ran (before a restart, or on another node)
		// is not run again.
		j := Job{Kind: p.kind, Payload: p.payload, RunAt: slot, UniqueKey: fmt.Sprintf("%s@%s", p.kind, slot.Format(time.RFC3339)), Once: true}
		if err := r.q.EnqueueJob(ctx, j); err != nil {
			return fmt.Errorf("schedule %s: %w", p.kind, err)
		}
		r.mu.Lock()
		if i < len(r.periodic) && r.periodic[i].kind == p.kind {
			r.periodic[i].last = slot
		}
		r.mu.Unlock()
	}
	return nil
}

// Run polls for due jobs and runs them until ctx is cancelled.
func (r *Runner) Run(ctx context.Context) error {
	t := time.NewTicker(r.Poll)
	defer t.Stop()
	for {
		if err := r.Schedule(ctx); err != nil && ctx.Err() == nil {
			r.log.LogAttrs(ctx, slog.LevelWarn, "schedule periodic jobs", slog.Any("err", err))
		}
		if _, err := r.RunDue(ctx); err != nil && ctx.Err() == nil {
			r.log.LogAttrs(ctx, slog.LevelWarn, "run jobs", slog.Any("err", err))
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// RunDue claims the jobs due now and runs them one after another,
// returning how many ran. Tests call it to drive the queue.
func (r *Runner) RunDue(ctx context.Context) (int, error) {
	r.mu.Lock()
	kinds := make([]string, 0, len(r.handlers))
	for k := range r.handlers {
		kinds = append(kinds, k)
	}
	r.mu.Unlock()
	if len(kinds) == 0 {
		return 0, nil
	}
	n := 0
	for {
		jobs, err := r.q.Claim(ctx, kinds, r.now(), r.Lease, 10)
		if err != nil {
			return n, err
		}
		if len(jobs) == 0 {
			return n, nil
		}
		for _, j := range jobs {
			r.run(ctx, j)
			n++
		}
	}
}

func (r *Runner) run(ctx context.Context, j Job) {
	r.mu.Lock()
	h := r.handlers[j.Kind]
	r.mu.Unlock()
	start := time.Now()
	err := safeRun(ctx, h, j)
	attrs := []slog.Attr{slog.Int64("job_id", j.ID), slog.String("job_kind", j.Kind), slog.Duration("duration", time.Since(start))}
	if err == nil {
		if ferr := r.q.Finish(ctx, j.ID, "", time.Time{}, false); ferr != nil {
			r.log.LogAttrs(ctx, slog.LevelError, "record job done", append(attrs, slog.Any("err", ferr))...)
			return
		}
		r.log.LogAttrs(ctx, slog.LevelInfo, "job done", attrs...)
		return
	}
	max := j.MaxAttempts
	if max == 0 {
		max = DefaultMaxAttempts
	}
	final := j.Attempts >= max || errors.Is(err, ErrPermanent)
	retryAt := r.now().Add(Backoff(j.Attempts))
	level := slog.LevelWarn
	if final {
		level = slog.LevelError
	}
	r.log.LogAttrs(ctx, level, "job failed", append(attrs, slog.Int("attempt", j.Attempts), slog.Bool("final", final), slog.Any("err", err))...)
	if ferr := r.q.Finish(ctx, j.ID, err.Error(), retryAt, final); ferr != nil {
		r.log.LogAttrs(ctx, slog.LevelError, "record job failure", append(attrs, slog.Any("err", ferr))...)
	}
}

// safeRun turns a handler's panic into an error, so one bad job cannot stop
// the runner.
func safeRun(ctx context.Context, h Handler, j Job) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("panic: %v", v)
		}
	}()
	if h == nil {
		return fmt.Errorf("no handler for %s: %w", j.Kind, ErrPermanent)
	}
	return h(ctx, j)
}

// Backoff is the wait before retry number attempt+1: 10 s, 20 s, 40 s, …
// capped at one hour.
func Backoff(attempt int) time.Duration {
	d := time.Duration(float64(10*time.Second) * math.Pow(2, float64(attempt-1)))
	if attempt < 1 || d > time.Hour || d < 0 {
		if attempt < 1 {
			return 10 * time.Second
		}
		return time.Hour
	}
	return d
}
