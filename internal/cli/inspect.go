package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"gongkai/internal/app"
	"gongkai/internal/apperr"
	"gongkai/internal/config"
	"gongkai/internal/inspect"
)

// inspectJSON is the --json output of gongkai inspect.
type inspectJSON struct {
	Org      string            `json:"org"`
	At       string            `json:"at"`
	Pages    int               `json:"pages"`
	Failed   bool              `json:"failed"`
	Vetoes   []inspect.Veto    `json:"vetoes"`
	Problems []inspect.Problem `json:"problems"`
}

func runInspect(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "inspect", "inspect --org CODE [--json] [--external] [flags]\n\nInspects an org's public site as the national spot check of government websites does:\nbroken links and attachments, server errors, columns not updated in time, empty columns,\nimages without alt text, overdue messages and applications. Exit status 1 when a\nsingle-veto (单项否决) problem is found.")
	load := config.Register(fs, e.getenv, "data", "database-url")
	code := fs.String("org", "", "code of the org whose site to inspect (required)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	external := fs.Bool("external", false, "also check links to other sites (at most 5 per host, 10 s each)")
	if c, ok := parse(e, fs, args); !ok {
		return c
	}
	if *code == "" || fs.NArg() > 0 {
		return e.errorf(exitUsage, "inspect: give --org CODE")
	}
	a, c := loadApp(ctx, e, "inspect", load)
	if a == nil {
		return c
	}
	defer a.Close()
	// Progress goes to stderr, so stdout stays the report alone.
	progress := func(done, known int) {
		if done%25 == 0 {
			fmt.Fprintf(e.stderr, "inspect: %d of %d pages\n", done, known)
		}
	}
	crawl, r, err := a.Inspect(ctx, *code, app.InspectOptions{External: *external, Progress: progress})
	if errors.Is(err, apperr.ErrNotFound) {
		return e.errorf(exitUsage, "inspect: no org with code %q", *code)
	}
	if err != nil {
		return e.errorf(exitFailure, "inspect: %v", err)
	}
	if *asJSON {
		out := inspectJSON{Org: crawl.Org, At: crawl.At.Format("2006-01-02T15:04:05Z07:00"), Pages: r.Pages, Failed: r.Failed(),
			Vetoes: r.Vetoes, Problems: r.Problems}
		if out.Vetoes == nil {
			out.Vetoes = []inspect.Veto{}
		}
		if out.Problems == nil {
			out.Problems = []inspect.Problem{}
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return e.errorf(exitFailure, "inspect: %v", err)
		}
	} else {
		fmt.Fprintf(e.stdout, "%s: %d pages inspected, %d problems\n", crawl.Org, r.Pages, len(r.Problems))
		for _, v := range r.Vetoes {
			fmt.Fprintf(e.stdout, "单项否决 %s: %s\n", v.Rule, v.Detail)
		}
		for _, p := range r.Problems {
			fmt.Fprintf(e.stdout, "%s\t%s\t%s\n", p.Kind.Label(), p.Where, p.Detail)
		}
	}
	if r.Failed() {
		return exitFailure
	}
	return exitOK
}
