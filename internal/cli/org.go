package cli

import (
	"context"
	"errors"
	"fmt"

	"gongkai/internal/account"
	"gongkai/internal/audit"
	"gongkai/internal/config"
	"gongkai/internal/org"
)

const orgHelp = `Usage: gongkai org SUBCOMMAND [flags]

Manage the organisations of the site group.

Subcommands:
  add   create an org:  gongkai org add --code CODE --name NAME --prefix PREFIX [--parent CODE] [flags]
  list  print each org's code and name, one per line
Run 'gongkai org add -h' for every flag.
`

func runOrg(ctx context.Context, e *env, args []string) int {
	return subcommand(ctx, e, "org", args, map[string]func(context.Context, *env, []string) int{
		"add": orgAdd, "list": orgList,
	}, orgHelp)
}

func orgAdd(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "org add", "org add --code CODE --name NAME --prefix PREFIX [--parent CODE] [flags]")
	load := config.Register(fs, e.getenv, "data", "database-url")
	var o org.Org
	fs.StringVar(&o.Code, "code", "", "org code used in index numbers (索引号), e.g. 011043240 (required)")
	fs.StringVar(&o.Name, "name", "", "full name, e.g. 随州市民政局 (required)")
	fs.StringVar(&o.ShortName, "short", "", "short name, e.g. 市民政局")
	fs.StringVar(&o.Site.PathPrefix, "prefix", "", "path prefix of the org's site, e.g. mzj for /mzj/ (required)")
	fs.StringVar(&o.Site.Host, "host", "", "host name serving the org's site at its root, e.g. mzj.suizhou.gov.cn")
	fs.StringVar(&o.Site.Name, "site-name", "", "site name shown in the header (default: the full name)")
	fs.StringVar(&o.Site.SiteCode, "site-code", "", "government website identification code (政府网站标识码)")
	fs.StringVar(&o.Site.ICP, "icp", "", "ICP record number (ICP备案号)")
	fs.StringVar(&o.Site.PSB, "psb", "", "public security record number (公安机关备案号)")
	fs.BoolVar(&o.Site.IsDefault, "default", false, "serve this org's site at / when no host name matches")
	parent := fs.String("parent", "", "code of the parent org; empty creates a root org (a site group)")
	if code, ok := parse(e, fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return e.errorf(exitUsage, "org add: unexpected argument %q", fs.Arg(0))
	}
	a, code := loadApp(ctx, e, "org add", load)
	if a == nil {
		return code
	}
	defer a.Close()
	if *parent != "" {
		p, err := a.DB.OrgByCode(ctx, *parent)
		if err != nil {
			return e.errorf(exitUsage, "org add: no parent org with code %q (see 'gongkai org list')", *parent)
		}
		o.ParentID = p.ID
	}
	if o.Site.Name == "" {
		o.Site.Name = o.Name
	}
	if err := a.Orgs.CreateOrg(ctx, account.System("cli"), &o); err != nil {
		return printInvalid(e, "org add", err)
	}
	fmt.Fprintf(e.stdout, "created org %s %s at /%s/\n", o.Code, o.Name, o.Site.PathPrefix)
	return exitOK
}

func orgList(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "org list", "org list")
	load := config.Register(fs, e.getenv, "data", "database-url")
	if code, ok := parse(e, fs, args); !ok {
		return code
	}
	a, code := loadApp(ctx, e, "org list", load)
	if a == nil {
		return code
	}
	defer a.Close()
	orgs, err := a.DB.Orgs(ctx)
	if err != nil {
		return e.errorf(exitFailure, "org list: %v", err)
	}
	for _, o := range orgs {
		fmt.Fprintf(e.stdout, "%s\t%s\n", o.Code, o.Name)
	}
	return exitOK
}

const auditHelp = `Usage: gongkai audit verify [flags]

Recomputes the hash chain of the audit trail and names the first record
that was changed, removed or inserted. Exit status 0 when intact, 1 when
broken.
`

func runAudit(ctx context.Context, e *env, args []string) int {
	return subcommand(ctx, e, "audit", args, map[string]func(context.Context, *env, []string) int{
		"verify": auditVerify,
	}, auditHelp)
}

func auditVerify(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "audit verify", "audit verify")
	load := config.Register(fs, e.getenv, "data", "database-url")
	if code, ok := parse(e, fs, args); !ok {
		return code
	}
	a, code := loadApp(ctx, e, "audit verify", load)
	if a == nil {
		return code
	}
	defer a.Close()
	n, err := a.DB.VerifyAudit(ctx)
	var broken *audit.BrokenError
	if errors.As(err, &broken) {
		fmt.Fprintf(e.stdout, "audit trail BROKEN at record %d: %s\n%d records before it verified\n", broken.ID, broken.Reason, n)
		return exitFailure
	}
	if err != nil {
		return e.errorf(exitFailure, "audit verify: %v", err)
	}
	fmt.Fprintf(e.stdout, "audit trail intact: %d records verified\n", n)
	return exitOK
}
