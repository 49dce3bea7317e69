// Package cli implements the gongkai command line: one function per
// subcommand, each with its own flag.FlagSet. Main is the single entry point,
// so tests can run any command in-process with their own streams and
// environment.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// Exit statuses shared by every subcommand.
const (
	exitOK      = 0
	exitFailure = 1 // something went wrong while running
	exitUsage   = 2 // bad flags, bad arguments, bad configuration, unreachable database
)

// env is what a subcommand may touch of the outside world.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

// errorf prints one diagnostic line to stderr and returns code.
func (e *env) errorf(code int, format string, args ...any) int {
	fmt.Fprintf(e.stderr, "gongkai: "+format+"\n", args...)
	return code
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e *env, args []string) int
}

func commands() []command {
	return []command{
		{"serve", "run the web server (public site and staff admin)", runServe},
		{"migrate", "apply database migrations and exit", runMigrate},
		{"user", "manage staff accounts: add, passwd, disable, list", runUser},
		{"org", "manage organisations: add, list", runOrg},
		{"demo", "load the demo site group into an empty database", runDemo},
		{"audit", "check the audit trail: verify", runAudit},
		{"workday", "count working days with the official holiday calendar: is, add", runWorkday},
		{"jobs", "inspect the background job queue: list, retry, cancel", runJobs},
		{"screen", "scan files for personal data, markings, sensitive words and maps", runScreen},
		{"verify", "check the publication log and a published item against it", runVerify},
		{"report", "write an org's annual disclosure report: annual", runReport},
		{"export", "write the public site as static files for a CDN or a mirror", runExport},
		{"inspect", "inspect an org's public site as the national spot check does", runInspect},
		{"backup", "write a consistent backup (database and files) while the server runs", runBackup},
		{"restore", "restore a backup into an empty data directory and check it", runRestore},
		{"version", "print the version", runVersion},
	}
}

// Version is the release version, set at build time with
// -ldflags "-X gongkai/internal/cli.Version=v1.2.3".
var Version = "dev"

// Main runs the command named by args[0] and returns the process exit status.
// It never panics on user input and prints errors as one line on stderr.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return mainEnv(ctx, args, &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv})
}

// MainEnv is Main with an explicit environment lookup, for tests.
func MainEnv(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	return mainEnv(ctx, args, &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv})
}

func mainEnv(ctx context.Context, args []string, e *env) int {
	if len(args) == 0 {
		printHelp(e.stderr)
		return exitUsage
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			return mainEnv(ctx, []string{args[1], "-h"}, e)
		}
		printHelp(e.stdout)
		return exitOK
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(ctx, e, args[1:])
		}
	}
	fmt.Fprintf(e.stderr, "gongkai: unknown command %q\n\n", name)
	printHelp(e.stderr)
	return exitUsage
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "Gongkai runs a government body's information-disclosure website and the work behind it.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: gongkai COMMAND [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	cmds := commands()
	sort.Slice(cmds, func(i, j int) bool { return cmds[i].name < cmds[j].name })
	for _, c := range cmds {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'gongkai COMMAND -h' for the flags of a command.")
}

// newFlagSet returns a FlagSet that prints its usage to e.stderr (or stdout
// for an explicit -h) and does not exit the process.
func newFlagSet(e *env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet("gongkai "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: gongkai %s\n", synopsis)
		var hasFlags bool
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprintln(fs.Output(), "\nFlags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parse parses args with fs. It returns ok=false and the exit status to use
// when parsing stopped: 0 after -h (usage printed to stdout), 2 on bad flags.
func parse(e *env, fs *flag.FlagSet, args []string) (code int, ok bool) {
	for _, a := range args {
		if a == "-h" || a == "-help" || a == "--help" {
			fs.SetOutput(e.stdout)
			fs.Usage()
			return exitOK, false
		}
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK, false
		}
		return exitUsage, false // flag package already printed the problem and usage
	}
	return 0, true
}

// subcommand dispatches "gongkai NAME SUB ..." to subs[SUB].
func subcommand(ctx context.Context, e *env, name string, args []string, subs map[string]func(context.Context, *env, []string) int, help string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		w := e.stderr
		code := exitUsage
		if len(args) > 0 {
			w, code = e.stdout, exitOK
		}
		fmt.Fprint(w, help)
		return code
	}
	fn, ok := subs[args[0]]
	if !ok {
		keys := make([]string, 0, len(subs))
		for k := range subs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return e.errorf(exitUsage, "%s: unknown subcommand %q (want one of %s)", name, args[0], strings.Join(keys, ", "))
	}
	return fn(ctx, e, args[1:])
}
