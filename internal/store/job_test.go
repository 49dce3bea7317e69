package store_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"gongkai/internal/job"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

func TestJobQueue(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		now := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
		clock := func() time.Time { return now }
		r := job.NewRunner(db, slog.New(slog.DiscardHandler), clock)
		var ran []string
		fails := 0
		r.Handle("ok", func(ctx context.Context, j job.Job) error { ran = append(ran, string(j.Payload)); return nil })
		r.Handle("flaky", func(ctx context.Context, j job.Job) error {
			fails++
			if fails < 3 {
				return errors.New("temporary")
			}
			ran = append(ran, "flaky")
			return nil
		})
		r.Handle("broken", func(ctx context.Context, j job.Job) error { return job.ErrPermanent })

		// A job enqueued in a transaction that rolls back never runs.
		_ = db.Update(ctx, func(tx *store.Tx) error {
			j, _ := job.New("ok", "rolled-back", now)
			if err := tx.Enqueue(ctx, j); err != nil {
				t.Fatal(err)
			}
			return errors.New("roll back")
		})
		// Unique keys deduplicate pending jobs; future jobs wait.
		for _, p := range []string{"a", "a-dup"} {
			j, _ := job.New("ok", p, now)
			j.UniqueKey = "only-one"
			if err := db.EnqueueJob(ctx, j); err != nil {
				t.Fatal(err)
			}
		}
		later, _ := job.New("ok", "later", now.Add(time.Hour))
		flaky, _ := job.New("flaky", nil, now)
		broken, _ := job.New("broken", nil, now)
		for _, j := range []job.Job{later, flaky, broken} {
			if err := db.EnqueueJob(ctx, j); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := r.RunDue(ctx); err != nil {
			t.Fatal(err)
		}
		if len(ran) != 1 || ran[0] != `"a"` {
			t.Fatalf("ran %v, want only \"a\"", ran)
		}
		// Retries back off: 10 s, then 20 s.
		now = now.Add(10 * time.Second)
		r.RunDue(ctx)
		now = now.Add(20 * time.Second)
		r.RunDue(ctx)
		now = now.Add(time.Hour)
		r.RunDue(ctx)
		want := []string{`"a"`, "flaky", `"later"`}
		if len(ran) != 3 || ran[1] != want[1] || ran[2] != want[2] {
			t.Fatalf("ran %v, want %v", ran, want)
		}
		failed, err := db.Jobs(ctx, job.StateFailed, 10)
		if err != nil || len(failed) != 1 || failed[0].Kind != "broken" || failed[0].Attempts != 1 {
			t.Fatalf("failed jobs = %+v, %v; want the broken one after one attempt", failed, err)
		}
		// Periodic jobs: one per slot however often scheduled.
		if err := r.Every("ok", 24*time.Hour, "daily"); err != nil {
			t.Fatal(err)
		}
		r.Schedule(ctx)
		r.Schedule(ctx)
		n, _ := r.RunDue(ctx)
		if n != 1 {
			t.Errorf("periodic job ran %d times in one slot, want 1", n)
		}
		// Nor again once done, in this process or after a restart (a
		// new runner) or on another node.
		r.Schedule(ctx)
		again := job.NewRunner(db, slog.New(slog.DiscardHandler), clock)
		again.Handle("ok", func(ctx context.Context, j job.Job) error { return nil })
		if err := again.Every("ok", 24*time.Hour, "daily"); err != nil {
			t.Fatal(err)
		}
		again.Schedule(ctx)
		n1, _ := r.RunDue(ctx)
		n2, _ := again.RunDue(ctx)
		if n1+n2 != 0 {
			t.Errorf("a periodic slot that ran was run %d more times", n1+n2)
		}
		// The next slot runs.
		now = now.Add(24 * time.Hour)
		r.Schedule(ctx)
		again.Schedule(ctx)
		if n, _ := r.RunDue(ctx); n != 1 {
			t.Errorf("next day's slot ran %d times, want 1", n)
		}
	})
}

// TestDailyJobWaitsForItsHour checks that a Daily job first runs at its
// hour, not when the server starts, and once per day after that.
func TestDailyJobWaitsForItsHour(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		now := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC) // 09:00 in China
		r := job.NewRunner(db, slog.New(slog.DiscardHandler), func() time.Time { return now })
		var ran []time.Time
		r.Handle("nightly", func(ctx context.Context, j job.Job) error { ran = append(ran, now); return nil })
		if err := r.Daily("nightly", 18*time.Hour, nil); err != nil { // 02:00 in China
			t.Fatal(err)
		}
		for range 48 * 2 { // two days, every half hour
			if err := r.Schedule(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := r.RunDue(ctx); err != nil {
				t.Fatal(err)
			}
			now = now.Add(30 * time.Minute)
		}
		want := []time.Time{time.Date(2026, 3, 2, 18, 0, 0, 0, time.UTC), time.Date(2026, 3, 3, 18, 0, 0, 0, time.UTC)}
		if len(ran) != 2 || !ran[0].Equal(want[0]) || !ran[1].Equal(want[1]) {
			t.Errorf("ran at %v, want %v", ran, want)
		}
	})
}

func TestJobLeaseExpiryLetsAnotherRunnerTakeOver(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		now := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
		j, _ := job.New("work", nil, now)
		if err := db.EnqueueJob(ctx, j); err != nil {
			t.Fatal(err)
		}
		// A node claims it and dies.
		got, err := db.Claim(ctx, []string{"work"}, now, time.Minute, 10)
		if err != nil || len(got) != 1 {
			t.Fatalf("claim = %v, %v", got, err)
		}
		if again, _ := db.Claim(ctx, []string{"work"}, now.Add(30*time.Second), time.Minute, 10); len(again) != 0 {
			t.Fatal("a leased job was claimed twice")
		}
		again, err := db.Claim(ctx, []string{"work"}, now.Add(2*time.Minute), time.Minute, 10)
		if err != nil || len(again) != 1 || again[0].Attempts != 2 {
			t.Fatalf("claim after lease expiry = %+v, %v", again, err)
		}
	})
}

func TestSigningKeyIsCreatedOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		n := 0
		create := func() (string, string, error) {
			n++
			return "secret" + string(rune('0'+n)), "public" + string(rune('0'+n)), nil
		}
		s1, v1, err := db.SigningKey(t.Context(), "log", create)
		if err != nil {
			t.Fatal(err)
		}
		s2, v2, _ := db.SigningKey(t.Context(), "log", create)
		if s1 != s2 || v1 != v2 || n != 1 {
			t.Errorf("key changed or created twice: %s/%s then %s/%s, %d creations", s1, v1, s2, v2, n)
		}
	})
}
