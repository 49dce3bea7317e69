package cli

import (
	"bytes"
	"strings"
	"testing"
)

// runWorkdayArgs runs "gongkai workday args..." and returns its exit status,
// stdout and stderr.
func runWorkdayArgs(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &env{stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }}
	code = runWorkday(t.Context(), e, args)
	return code, out.String(), errOut.String()
}

func TestWorkday(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string // exact
		wantStderr string // substring; "" means stderr must be empty
	}{
		{name: "is workday", args: []string{"is", "2024-02-09"}, wantStdout: "workday\n"},
		{name: "is weekend", args: []string{"is", "2024-02-24"}, wantStdout: "weekend\n"},
		{name: "is holiday", args: []string{"is", "2024-02-10"}, wantStdout: "holiday\n"},
		{name: "is makeup-workday", args: []string{"is", "2024-02-18"}, wantStdout: "makeup-workday\n"},
		{
			name: "is in a year not in the calendar", args: []string{"is", "2031-01-01"},
			wantStdout: "workday\n", wantStderr: "2031-01-01 is provisional: year 2031 is not in the holiday calendar",
		},
		{name: "is bad date", args: []string{"is", "2024-02-30"}, wantCode: exitUsage, wantStderr: `bad date "2024-02-30": want YYYY-MM-DD`},
		{name: "is no date", args: []string{"is"}, wantCode: exitUsage, wantStderr: "want exactly one DATE"},
		{name: "is two dates", args: []string{"is", "2024-02-09", "2024-02-10"}, wantCode: exitUsage, wantStderr: "want exactly one DATE"},
		{name: "add", args: []string{"add", "--from", "2025-09-26", "--days", "20"}, wantStdout: "2025-10-30\n"},
		{name: "add with = and single dash", args: []string{"add", "-from=2023-12-28", "-days=5"}, wantStdout: "2024-01-05\n"},
		{name: "add zero days", args: []string{"add", "--from", "2024-02-10", "--days", "0"}, wantStdout: "2024-02-10\n"},
		{
			name: "add provisional", args: []string{"add", "--from", "2027-12-20", "--days", "20"},
			wantStdout: "2028-01-17\n", wantStderr: "2028-01-17 is provisional: year 2028 is not in the holiday calendar",
		},
		{name: "add negative days", args: []string{"add", "--from", "2024-02-10", "--days", "-1"}, wantCode: exitUsage, wantStderr: "--days must be a whole number"},
		{name: "add days not a number", args: []string{"add", "--from", "2024-02-10", "--days", "twenty"}, wantCode: exitUsage, wantStderr: "--days must be a whole number"},
		{name: "add bad date", args: []string{"add", "--from", "10/02/2024", "--days", "3"}, wantCode: exitUsage, wantStderr: `--from: bad date "10/02/2024"`},
		{name: "add missing days", args: []string{"add", "--from", "2024-02-10"}, wantCode: exitUsage, wantStderr: "both --from DATE and --days N are required"},
		{name: "add extra argument", args: []string{"add", "--from", "2024-02-10", "--days", "1", "x"}, wantCode: exitUsage, wantStderr: `unexpected argument "x"`},
		{name: "unknown subcommand", args: []string{"sub"}, wantCode: exitUsage, wantStderr: `unknown subcommand "sub" (want one of add, is)`},
		{name: "no subcommand", args: nil, wantCode: exitUsage, wantStderr: "Usage: gongkai workday SUBCOMMAND"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runWorkdayArgs(t, tt.args...)
			if code != tt.wantCode {
				t.Errorf("workday %q exit = %d, want %d (stderr %q)", tt.args, code, tt.wantCode, stderr)
			}
			if stdout != tt.wantStdout {
				t.Errorf("workday %q stdout = %q, want %q", tt.args, stdout, tt.wantStdout)
			}
			if tt.wantStderr == "" && stderr != "" || !strings.Contains(stderr, tt.wantStderr) {
				t.Errorf("workday %q stderr = %q, want %q", tt.args, stderr, tt.wantStderr)
			}
			if tt.wantCode != exitOK && tt.wantStdout == "" && tt.args != nil && strings.Count(stderr, "\n") != 1 {
				t.Errorf("workday %q stderr has %d lines, want one: %q", tt.args, strings.Count(stderr, "\n"), stderr)
			}
		})
	}
}

func TestWorkdayHelp(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{args: []string{"-h"}, want: []string{"is DATE", "add --from DATE --days N"}},
		{args: []string{"is", "-h"}, want: []string{"Usage: gongkai workday is DATE", "makeup-workday"}},
		{args: []string{"add", "-h"}, want: []string{"Usage: gongkai workday add --from DATE --days N", "-from DATE", "-days N", "not counted"}},
	}
	for _, tt := range tests {
		code, stdout, stderr := runWorkdayArgs(t, tt.args...)
		if code != exitOK || stderr != "" {
			t.Errorf("workday %q exit = %d, stderr %q, want 0 and nothing", tt.args, code, stderr)
		}
		for _, w := range tt.want {
			if !strings.Contains(stdout, w) {
				t.Errorf("workday %q stdout = %q, want it to mention %q", tt.args, stdout, w)
			}
		}
	}
}
