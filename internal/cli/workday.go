package cli

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gongkai/internal/apply"
	"gongkai/internal/store"
	"gongkai/internal/workday"
)

const workdayHelp = `Usage: gongkai workday SUBCOMMAND [flags]

Count working days with the official holiday calendar (State Council
holiday notices built into this binary). Days are written YYYY-MM-DD.

Subcommands:
  is DATE                     print what kind of day DATE is: workday,
                              weekend, holiday or makeup-workday
  add --from DATE --days N    print the date N working days after DATE;
                              DATE itself is not counted

With --data DIR or --database-url URL, the years that administrators added
or corrected in the staff UI are used over the built-in ones.

Run 'gongkai workday SUBCOMMAND -h' for the flags of a subcommand.
`

// runWorkday implements "gongkai workday".
func runWorkday(ctx context.Context, e *env, args []string) int {
	return subcommand(ctx, e, "workday", args, map[string]func(context.Context, *env, []string) int{
		"is":  runWorkdayIs,
		"add": runWorkdayAdd,
	}, workdayHelp)
}

// calendarFlags adds --data and --database-url to a workday subcommand and
// returns a function giving the calendar to count with: the one built into
// the binary, with the years administrators added or corrected (stored in
// the database by the staff UI, issue 5) over it when either flag is given.
func calendarFlags(fs *flag.FlagSet) func(ctx context.Context) (*workday.Calendar, error) {
	data := fs.String("data", "", "also use the holiday years stored in the SQLite database in this data `directory` (optional)")
	dbURL := fs.String("database-url", "", "also use the holiday years stored in this PostgreSQL database, postgres://... (optional)")
	return func(ctx context.Context) (*workday.Calendar, error) {
		if *data == "" && *dbURL == "" {
			return workday.Embedded(), nil
		}
		if *data != "" {
			if _, err := os.Stat(filepath.Join(*data, "gongkai.db")); err != nil {
				return nil, fmt.Errorf("--data %s: no database there", *data)
			}
		}
		db, err := store.Open(ctx, store.Options{URL: *dbURL, DataDir: *data})
		if err != nil {
			return nil, err
		}
		defer db.Close()
		years, err := db.CalendarYears(ctx)
		if err != nil {
			return nil, fmt.Errorf("read holiday years (is the database migrated?): %w", err)
		}
		return apply.Overlay(workday.Embedded(), years)
	}
}

func runWorkdayIs(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "workday is", "workday is DATE\n\n"+
		"Prints one of workday, weekend, holiday (a day off announced by the State\n"+
		"Council) or makeup-workday (a weekend day announced as a working day).\n"+
		"DATE is written YYYY-MM-DD. When the calendar lacks the notice that\n"+
		"decides DATE, the answer goes by the day of the week and a warning is\n"+
		"printed on stderr.")
	workdayCalendar := calendarFlags(fs)
	if code, ok := parse(e, fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		return e.errorf(exitUsage, "workday is: want exactly one DATE (YYYY-MM-DD), got %d arguments", fs.NArg())
	}
	day, err := workday.Parse(fs.Arg(0))
	if err != nil {
		return e.errorf(exitUsage, "workday is: %v", err)
	}
	cal, err := workdayCalendar(ctx)
	if err != nil {
		return e.errorf(exitUsage, "workday is: %v", err)
	}
	fmt.Fprintln(e.stdout, cal.Kind(day))
	if missing := cal.Missing(day); len(missing) > 0 {
		why := ""
		if missing[len(missing)-1] > day.Year() {
			why = " (a year's notice may move the last week of December before it)"
		}
		fmt.Fprintf(e.stderr, "gongkai: warning: %s is provisional: %s not in the holiday calendar%s\n",
			day, yearsPhrase(missing), why)
	}
	return exitOK
}

func runWorkdayAdd(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "workday add", "workday add --from DATE --days N\n\n"+
		"Prints the date N working days after DATE. DATE itself is not counted:\n"+
		"counting starts the next day, so a reply due 20 working days after\n"+
		"receipt is 'add --from RECEIVED --days 20'. Weekends and days off do\n"+
		"not count; make-up working days do. If the count passes through a year\n"+
		"whose notice is not in the calendar, only weekends are skipped there:\n"+
		"the date is still printed and a warning on stderr says it is provisional.")
	from := fs.String("from", "", "start `DATE`, YYYY-MM-DD, such as the day an application was received (required; not counted itself)")
	days := fs.String("days", "", fmt.Sprintf("number of working days `N` to count, 0 to %d (required)", workday.MaxDays))
	workdayCalendar := calendarFlags(fs)
	if code, ok := parse(e, fs, args); !ok {
		return code
	}
	if fs.NArg() != 0 {
		return e.errorf(exitUsage, "workday add: unexpected argument %q (use --from DATE --days N)", fs.Arg(0))
	}
	if *from == "" || *days == "" {
		return e.errorf(exitUsage, "workday add: both --from DATE and --days N are required")
	}
	start, err := workday.Parse(*from)
	if err != nil {
		return e.errorf(exitUsage, "workday add: --from: %v", err)
	}
	n, err := strconv.Atoi(*days)
	if err != nil || n < 0 || n > workday.MaxDays {
		return e.errorf(exitUsage, "workday add: --days must be a whole number from 0 to %d, got %q", workday.MaxDays, *days)
	}
	cal, err := workdayCalendar(ctx)
	if err != nil {
		return e.errorf(exitUsage, "workday add: %v", err)
	}
	r, err := cal.Add(start, n)
	if err != nil {
		// Add fails only on input checked above.
		return e.errorf(exitFailure, "workday add: %v", err)
	}
	fmt.Fprintln(e.stdout, r.To)
	if r.Provisional {
		fmt.Fprintf(e.stderr, "gongkai: warning: %s is provisional: %s not in the holiday calendar, so only weekends were skipped there\n",
			r.To, yearsPhrase(r.Missing))
	}
	return exitOK
}

// yearsPhrase returns "year 2028 is" or "years 2027 and 2028 are".
func yearsPhrase(years []int) string {
	s := make([]string, len(years))
	for i, y := range years {
		s[i] = strconv.Itoa(y)
	}
	if len(s) == 1 {
		return "year " + s[0] + " is"
	}
	return "years " + strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1] + " are"
}
