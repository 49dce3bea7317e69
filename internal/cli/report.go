package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"gongkai/internal/config"
	"gongkai/internal/report/export"
)

const reportHelp = `Usage: gongkai report annual --org CODE --year YYYY [--format FORMAT] [--out FILE] [flags]

Write an org's annual report on government information disclosure
(政府信息公开工作年度报告) in the 2021 national template: the three tables
computed from the data with the figures staff entered, and the narrative
parts (the generated draft of 一、总体情况 when staff have not written it).
Failed arithmetic checks of the tables are printed to stderr.

Subcommands:
  annual   write one report

Run 'gongkai report annual -h' for every flag.
`

func runReport(ctx context.Context, e *env, args []string) int {
	return subcommand(ctx, e, "report", args, map[string]func(context.Context, *env, []string) int{
		"annual": reportAnnual,
	}, reportHelp)
}

func reportAnnual(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "report annual", "report annual --org CODE --year YYYY [--format html|json|xlsx|docx] [--out FILE]")
	load := config.Register(fs, e.getenv, "data", "database-url")
	code := fs.String("org", "", "code of the org (see 'gongkai org list') (required)")
	year := fs.Int("year", time.Now().Year()-1, "calendar year of the report")
	format := fs.String("format", "html", "output format: html (prints on A4), json, xlsx or docx")
	out := fs.String("out", "", "write to this `file` instead of standard output")
	if c, ok := parse(e, fs, args); !ok {
		return c
	}
	if fs.NArg() > 0 {
		return e.errorf(exitUsage, "report annual: unexpected argument %q", fs.Arg(0))
	}
	if *code == "" {
		return e.errorf(exitUsage, "report annual: --org is required")
	}
	write, ok := map[string]func(io.Writer, *export.Doc) error{
		"html": func(w io.Writer, d *export.Doc) error { return export.HTML(w, d, export.HTMLOptions{}) },
		"json": export.JSON, "xlsx": export.XLSX, "docx": export.DOCX,
	}[*format]
	if !ok {
		return e.errorf(exitUsage, "report annual: --format must be html, json, xlsx or docx, not %q", *format)
	}
	if *year < 2021 || *year > 9999 {
		return e.errorf(exitUsage, "report annual: --year %d: the 2021 template applies from 2021 on", *year)
	}
	a, c := loadApp(ctx, e, "report annual", load)
	if a == nil {
		return c
	}
	defer a.Close()
	o, err := a.DB.OrgByCode(ctx, *code)
	if err != nil {
		return e.errorf(exitUsage, "report annual: no org with code %q (see 'gongkai org list')", *code)
	}
	doc, _, err := export.Load(ctx, a.DB, o.ID, o.Name, o.Code, *year)
	if err != nil {
		return e.errorf(exitFailure, "report annual: %v", err)
	}
	var b bytes.Buffer
	if err := write(&b, doc); err != nil {
		return e.errorf(exitFailure, "report annual: write %s: %v", *format, err)
	}
	for _, m := range doc.Report.Mismatches {
		fmt.Fprintf(e.stderr, "gongkai: report annual: check failed: %s\n", m.Message)
	}
	if *out == "" {
		if _, err := e.stdout.Write(b.Bytes()); err != nil {
			return e.errorf(exitFailure, "report annual: %v", err)
		}
		return exitOK
	}
	if err := os.WriteFile(*out, b.Bytes(), 0o644); err != nil {
		return e.errorf(exitFailure, "report annual: %v", err)
	}
	fmt.Fprintf(e.stderr, "gongkai: wrote %s (%s bytes)\n", *out, strconv.Itoa(b.Len()))
	return exitOK
}
