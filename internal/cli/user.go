package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
	"gongkai/internal/config"
)

const userHelp = `Usage: gongkai user SUBCOMMAND [flags] USERNAME

Manage staff accounts. Changes are recorded in the audit trail as the
operator ("system:cli").

Subcommands:
  add      create a user:   gongkai user add --org CODE --roles officer,reviewer [--name NAME] [--password-stdin] USERNAME
  passwd   reset a password: gongkai user passwd [--password-stdin] USERNAME
  disable  disable a user and end their sessions: gongkai user disable USERNAME
  enable   enable a disabled user: gongkai user enable USERNAME
  list     list users: gongkai user list

Roles: officer (信息员), section (科室负责人), reviewer (保密审查), publisher (办公室发布),
handler (依申请公开经办人), leader (分管领导), admin (系统管理员).
Without --password-stdin a random password is generated and printed once;
the user must change it at first sign-in.
Run 'gongkai user SUBCOMMAND -h' for the flags of a subcommand.
`

func runUser(ctx context.Context, e *env, args []string) int {
	return subcommand(ctx, e, "user", args, map[string]func(context.Context, *env, []string) int{
		"add": userAdd, "passwd": userPasswd, "disable": userDisable, "enable": userEnable, "list": userList,
	}, userHelp)
}

// printInvalid prints each field problem of an *apperr.Invalid.
func printInvalid(e *env, cmd string, err error) int {
	if inv, ok := apperr.AsInvalid(err); ok {
		for field, msg := range inv.Fields {
			if field == "" {
				fmt.Fprintf(e.stderr, "gongkai: %s: %s\n", cmd, msg)
			} else {
				fmt.Fprintf(e.stderr, "gongkai: %s: %s: %s\n", cmd, field, msg)
			}
		}
		return exitUsage
	}
	return e.errorf(exitFailure, "%s: %v", cmd, err)
}

func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func userAdd(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "user add", "user add --org CODE --roles ROLE[,ROLE] [--name NAME] [--password-stdin] USERNAME")
	load := config.Register(fs, e.getenv, "data", "database-url")
	orgCode := fs.String("org", "", "code of the org the user belongs to and is granted the roles in (required)")
	roles := fs.String("roles", "", "comma-separated roles: officer, section, reviewer, publisher, handler, leader, admin (required)")
	name := fs.String("name", "", "display name, e.g. 张三 (default: the user name)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input instead of generating one")
	if code, ok := parse(e, fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		return e.errorf(exitUsage, "user add: want exactly one USERNAME")
	}
	if *orgCode == "" || *roles == "" {
		return e.errorf(exitUsage, "user add: --org and --roles are required")
	}
	rs, err := account.ParseRoles(*roles)
	if err != nil {
		return printInvalid(e, "user add", err)
	}
	a, code := loadApp(ctx, e, "user add", load)
	if a == nil {
		return code
	}
	defer a.Close()
	o, err := a.DB.OrgByCode(ctx, *orgCode)
	if err != nil {
		return e.errorf(exitUsage, "user add: no org with code %q (see 'gongkai org list')", *orgCode)
	}
	u := &account.User{Username: fs.Arg(0), DisplayName: *name, OrgID: o.ID}
	if u.DisplayName == "" {
		u.DisplayName = u.Username
	}
	for _, r := range rs {
		u.Grants = append(u.Grants, account.Grant{OrgID: o.ID, Role: r})
	}
	pw := ""
	if *fromStdin {
		if pw, err = readPassword(e.stdin); err != nil || pw == "" {
			return e.errorf(exitUsage, "user add: --password-stdin given but no password on standard input")
		}
	}
	got, err := a.Accounts.CreateUser(ctx, account.System("cli"), u, pw)
	if err != nil {
		return printInvalid(e, "user add", err)
	}
	fmt.Fprintf(e.stdout, "created user %s in %s with roles %s\n", u.Username, o.Code, *roles)
	if !*fromStdin {
		fmt.Fprintf(e.stdout, "temporary password (shown once, must be changed at first sign-in): %s\n", got)
	}
	return exitOK
}

func userPasswd(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "user passwd", "user passwd [--password-stdin] USERNAME")
	load := config.Register(fs, e.getenv, "data", "database-url")
	fromStdin := fs.Bool("password-stdin", false, "read the new password from the first line of standard input instead of generating one")
	if code, ok := parse(e, fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		return e.errorf(exitUsage, "user passwd: want exactly one USERNAME")
	}
	a, code := loadApp(ctx, e, "user passwd", load)
	if a == nil {
		return code
	}
	defer a.Close()
	u, err := a.DB.UserByName(ctx, strings.ToLower(fs.Arg(0)))
	if err != nil {
		return e.errorf(exitUsage, "user passwd: no user %q", fs.Arg(0))
	}
	pw := ""
	if *fromStdin {
		if pw, err = readPassword(e.stdin); err != nil || pw == "" {
			return e.errorf(exitUsage, "user passwd: --password-stdin given but no password on standard input")
		}
	}
	got, err := a.Accounts.ResetPassword(ctx, account.System("cli"), u.ID, pw)
	if err != nil {
		return printInvalid(e, "user passwd", err)
	}
	fmt.Fprintf(e.stdout, "password of %s reset; sessions ended; sign-in lock lifted\n", u.Username)
	if !*fromStdin {
		fmt.Fprintf(e.stdout, "temporary password (shown once, must be changed at first sign-in): %s\n", got)
	}
	return exitOK
}

func userDisable(ctx context.Context, e *env, args []string) int {
	return userSetDisabled(ctx, e, args, true)
}

func userEnable(ctx context.Context, e *env, args []string) int {
	return userSetDisabled(ctx, e, args, false)
}

func userSetDisabled(ctx context.Context, e *env, args []string, disabled bool) int {
	verb := "enable"
	if disabled {
		verb = "disable"
	}
	fs := newFlagSet(e, "user "+verb, "user "+verb+" USERNAME")
	load := config.Register(fs, e.getenv, "data", "database-url")
	if code, ok := parse(e, fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		return e.errorf(exitUsage, "user %s: want exactly one USERNAME", verb)
	}
	cfg, err := load()
	if err != nil {
		return e.errorf(exitUsage, "user %s: %v", verb, err)
	}
	a, code := openApp(ctx, e, cfg)
	if a == nil {
		return code
	}
	defer a.Close()
	u, err := a.DB.UserByName(ctx, strings.ToLower(fs.Arg(0)))
	if err != nil {
		return e.errorf(exitUsage, "user %s: no user %q", verb, fs.Arg(0))
	}
	if err := a.Accounts.SetDisabled(ctx, account.System("cli"), u.ID, disabled); err != nil {
		return printInvalid(e, "user "+verb, err)
	}
	fmt.Fprintf(e.stdout, "user %s %sd\n", u.Username, verb)
	return exitOK
}

func userList(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "user list", "user list")
	load := config.Register(fs, e.getenv, "data", "database-url")
	if code, ok := parse(e, fs, args); !ok {
		return code
	}
	a, code := loadApp(ctx, e, "user list", load)
	if a == nil {
		return code
	}
	defer a.Close()
	users, err := a.DB.Users(ctx)
	if err != nil {
		return e.errorf(exitFailure, "user list: %v", err)
	}
	orgs, err := a.DB.Orgs(ctx)
	if err != nil {
		return e.errorf(exitFailure, "user list: %v", err)
	}
	codes := map[int64]string{}
	for _, o := range orgs {
		codes[o.ID] = o.Code
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "USER\tNAME\tORG\tROLES\t2FA\tSTATUS")
	for _, u := range users {
		var roles []string
		for _, g := range u.Grants {
			roles = append(roles, string(g.Role)+"@"+codes[g.OrgID])
		}
		status := "active"
		if u.Disabled {
			status = "disabled"
		} else if a.DB.Now().Before(u.LockedUntil) {
			status = "locked"
		}
		twofa := "-"
		if u.TOTPSecret != "" {
			twofa = "enrolled"
		} else if u.NeedsTOTP() {
			twofa = "required"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", u.Username, u.DisplayName, codes[u.OrgID], strings.Join(roles, ","), twofa, status)
	}
	tw.Flush()
	return exitOK
}
