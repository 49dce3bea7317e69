package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"text/tabwriter"

	"gongkai/internal/app"
	"gongkai/internal/config"
	"gongkai/internal/demo"
	"gongkai/internal/report"
)

func newLogger(w io.Writer, cfg config.Config) *slog.Logger {
	var level slog.Level
	// Validate has already checked the value.
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// loadApp completes the configuration and opens the App for a command
// that works on the database; configuration problems exit 2.
func loadApp(ctx context.Context, e *env, cmd string, load func() (config.Config, error)) (*app.App, int) {
	cfg, err := load()
	if err != nil {
		return nil, e.errorf(exitUsage, "%s: %s", cmd, strings.ReplaceAll(err.Error(), "\n", "; "))
	}
	return openApp(ctx, e, cfg)
}

// openApp builds the App for commands that work on the database; errors
// opening or migrating it are configuration problems (exit 2).
func openApp(ctx context.Context, e *env, cfg config.Config) (*app.App, int) {
	a, err := app.New(ctx, cfg, app.Options{Log: newLogger(e.stderr, config.Config{LogLevel: "warn", LogFormat: "text"})})
	if err != nil {
		return nil, e.errorf(exitUsage, "open database: %v", err)
	}
	return a, exitOK
}

func runServe(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "serve", "serve [flags]\n\nRuns the public site and the staff admin (/admin/). Migrations are applied at start.\nEvery flag can also be set by its GONGKAI_* environment variable; a flag wins.")
	load := config.Register(fs, e.getenv)
	demoFlag := fs.Bool("demo", false, "load the demo site group first if the database is empty (demo users' passwords are printed once)")
	if code, ok := parse(e, fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return e.errorf(exitUsage, "serve: unexpected argument %q", fs.Arg(0))
	}
	cfg, err := load()
	if err != nil {
		return e.errorf(exitUsage, "serve: %s", strings.ReplaceAll(err.Error(), "\n", "; "))
	}
	log := newLogger(e.stderr, cfg)
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return e.errorf(exitUsage, "serve: listen on %s: %v", cfg.Addr, err)
	}
	defer ln.Close()
	a, err := app.New(ctx, cfg, app.Options{Log: log})
	if err != nil {
		return e.errorf(exitUsage, "serve: %v", err)
	}
	defer func() {
		if err := a.Close(); err != nil {
			log.Error("close database", slog.Any("err", err))
		}
	}()
	if *demoFlag {
		creds, err := demo.Load(ctx, a.DB, a.Orgs, a.Accounts)
		switch {
		case errors.Is(err, demo.ErrNotEmpty):
			log.Info("demo data not loaded: database is not empty")
		case err != nil:
			return e.errorf(exitFailure, "serve: load demo data: %v", err)
		default:
			// Published items, through the workflow (issue 3).
			if err := demo.LoadItems(ctx, a.DB, a.Publish, a.DB.Now()); err != nil {
				return e.errorf(exitFailure, "serve: load demo items: %v", err)
			}
			// Applications in various states (issue 5).
			if err := demo.LoadApplications(ctx, a.DB, a.Apply, a.DB.Now()); err != nil {
				return e.errorf(exitFailure, "serve: load demo applications: %v", err)
			}
			// Messages and a consultation (issue 7).
			if err := demo.LoadInteract(ctx, a.DB, a.DB.Now()); err != nil {
				return e.errorf(exitFailure, "serve: load demo messages: %v", err)
			}
			// A year of applications, figures and text for the annual report (issue 8).
			if err := demo.LoadReport(ctx, a.DB, a.Apply, report.NewService(a.DB), a.DB.Now()); err != nil {
				return e.errorf(exitFailure, "serve: load demo annual report: %v", err)
			}
			printCredentials(e.stdout, creds)
		}
	}
	log.Info("listening", slog.String("addr", ln.Addr().String()), slog.String("config", cfg.String()))
	scheme := "http"
	if cfg.TLS() {
		scheme = "https"
	}
	fmt.Fprintf(e.stdout, "Gongkai is serving on %s://%s/ (staff: %s://%s/admin/)\n", scheme, ln.Addr(), scheme, ln.Addr())
	if err := a.Serve(ctx, ln); err != nil {
		return e.errorf(exitFailure, "serve: %v", err)
	}
	log.Info("stopped")
	return exitOK
}

func printCredentials(w io.Writer, creds []demo.Credential) {
	fmt.Fprintln(w, "Demo data loaded. Staff accounts (passwords are shown only now):")
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	// Names and roles are Chinese (double width), so they go last, where
	// misalignment does not matter.
	fmt.Fprintln(tw, "  USER\tPASSWORD\tNAME / ROLE")
	for _, c := range creds {
		fmt.Fprintf(tw, "  %s\t%s\t%s（%s）\n", c.Username, c.Password, c.Name, c.Roles)
	}
	tw.Flush()
	fmt.Fprintln(w, "Reviewer, publisher and administrator accounts enrol an authenticator app at first sign-in.")
}

func runMigrate(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "migrate", "migrate [flags]\n\nApplies the database migrations embedded in this binary and exits.")
	load := config.Register(fs, e.getenv, "data", "database-url")
	if code, ok := parse(e, fs, args); !ok {
		return code
	}
	a, code := loadApp(ctx, e, "migrate", load)
	if a == nil {
		return code
	}
	defer a.Close()
	v, err := a.DB.SchemaVersion(ctx)
	if err != nil {
		return e.errorf(exitFailure, "migrate: %v", err)
	}
	fmt.Fprintf(e.stdout, "database schema is at version %d\n", v)
	return exitOK
}

func runDemo(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "demo", "demo [flags]\n\nLoads the demo site group (随州市人民政府, 随州市民政局 and two units, their columns and one user per role)\ninto an empty database and prints the demo users' passwords once.")
	load := config.Register(fs, e.getenv, "data", "database-url")
	items := fs.Int("items", 0, "also add this many generated items to the demo bureau, for load tests; on a database that has the demo already, only add them")
	if code, ok := parse(e, fs, args); !ok {
		return code
	}
	a, code := loadApp(ctx, e, "demo", load)
	if a == nil {
		return code
	}
	defer a.Close()
	creds, err := demo.Load(ctx, a.DB, a.Orgs, a.Accounts)
	if errors.Is(err, demo.ErrNotEmpty) && *items > 0 {
		if err := loadBulkItems(ctx, e, a, *items); err != nil {
			return e.errorf(exitFailure, "demo: %v", err)
		}
		return exitOK
	}
	if errors.Is(err, demo.ErrNotEmpty) {
		return e.errorf(exitFailure, "demo: the database already has organisations; demo data goes into an empty database only")
	}
	if err != nil {
		return e.errorf(exitFailure, "demo: %v", err)
	}
	if err := demo.LoadItems(ctx, a.DB, a.Publish, a.DB.Now()); err != nil {
		return e.errorf(exitFailure, "demo: items: %v", err)
	}
	if err := demo.LoadApplications(ctx, a.DB, a.Apply, a.DB.Now()); err != nil {
		return e.errorf(exitFailure, "demo: applications: %v", err)
	}
	if err := demo.LoadInteract(ctx, a.DB, a.DB.Now()); err != nil {
		return e.errorf(exitFailure, "demo: messages: %v", err)
	}
	if err := demo.LoadReport(ctx, a.DB, a.Apply, report.NewService(a.DB), a.DB.Now()); err != nil {
		return e.errorf(exitFailure, "demo: annual report: %v", err)
	}
	if *items > 0 {
		if err := loadBulkItems(ctx, e, a, *items); err != nil {
			return e.errorf(exitFailure, "demo: %v", err)
		}
	}
	printCredentials(e.stdout, creds)
	return exitOK
}

func runVersion(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "version", "version")
	if code, ok := parse(e, fs, args); !ok {
		return code
	}
	fmt.Fprintf(e.stdout, "gongkai %s\n", Version)
	return exitOK
}
