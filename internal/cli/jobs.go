package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"text/tabwriter"

	"gongkai/internal/apperr"
	"gongkai/internal/config"
	"gongkai/internal/job"
	"gongkai/internal/store"
)

const jobsHelp = `Usage: gongkai jobs SUBCOMMAND [flags]

Inspect and steer the background job queue.

Subcommands:
  list    list recent jobs:            gongkai jobs list [--state pending|running|done|failed|cancelled] [--limit N]
  retry   run a failed job again:      gongkai jobs retry ID
  cancel  stop a pending job:          gongkai jobs cancel ID
`

func runJobs(ctx context.Context, e *env, args []string) int {
	return subcommand(ctx, e, "jobs", args, map[string]func(context.Context, *env, []string) int{
		"list": jobsList, "retry": jobsRetry, "cancel": jobsCancel,
	}, jobsHelp)
}

func jobsList(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "jobs list", "jobs list [--state STATE] [--limit N]")
	load := config.Register(fs, e.getenv, "data", "database-url")
	state := fs.String("state", "", "only jobs in this state: pending, running, done, failed or cancelled")
	limit := fs.Int("limit", 50, "how many jobs to list, newest first")
	if code, ok := parse(e, fs, args); !ok {
		return code
	}
	switch job.State(*state) {
	case "", job.StatePending, job.StateRunning, job.StateDone, job.StateFailed, job.StateCancelled:
	default:
		return e.errorf(exitUsage, "jobs list: unknown state %q", *state)
	}
	a, code := loadApp(ctx, e, "jobs list", load)
	if a == nil {
		return code
	}
	defer a.Close()
	jobs, err := a.DB.Jobs(ctx, job.State(*state), *limit)
	if err != nil {
		return e.errorf(exitFailure, "jobs list: %v", err)
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tSTATE\tATTEMPTS\tRUN AT (UTC)\tLAST ERROR")
	for _, j := range jobs {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t%s\n", j.ID, j.Kind, j.State, j.Attempts, j.RunAt.UTC().Format("2006-01-02 15:04:05"), j.LastError)
	}
	tw.Flush()
	return exitOK
}

func jobsRetry(ctx context.Context, e *env, args []string) int {
	return jobsChange(ctx, e, args, "retry", (*store.DB).RetryJob)
}

func jobsCancel(ctx context.Context, e *env, args []string) int {
	return jobsChange(ctx, e, args, "cancel", (*store.DB).CancelJob)
}

func jobsChange(ctx context.Context, e *env, args []string, verb string, fn func(*store.DB, context.Context, int64) error) int {
	fs := newFlagSet(e, "jobs "+verb, "jobs "+verb+" ID")
	load := config.Register(fs, e.getenv, "data", "database-url")
	if code, ok := parse(e, fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		return e.errorf(exitUsage, "jobs %s: want exactly one job ID", verb)
	}
	id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
	if err != nil || id <= 0 {
		return e.errorf(exitUsage, "jobs %s: %q is not a job ID", verb, fs.Arg(0))
	}
	cfg, err := load()
	if err != nil {
		return e.errorf(exitUsage, "jobs %s: %v", verb, err)
	}
	a, code := openApp(ctx, e, cfg)
	if a == nil {
		return code
	}
	defer a.Close()
	if err := fn(a.DB, ctx, id); err != nil {
		if errors.Is(err, apperr.ErrNotFound) {
			return e.errorf(exitUsage, "jobs %s: no job %d", verb, id)
		}
		return e.errorf(exitFailure, "jobs %s: %v", verb, err)
	}
	fmt.Fprintf(e.stdout, "job %d: %s done\n", id, verb)
	return exitOK
}
