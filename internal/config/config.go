// Package config holds the server's configuration: a plain struct filled
// from command-line flags and GONGKAI_* environment variables (a flag wins
// over its variable), with defaults that give a working server on SQLite
// with no configuration at all.
package config

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Config is the server configuration. It is passed by value; nothing reads
// the environment after Load.
type Config struct {
	Addr         string // listen address
	DataDir      string // SQLite file, uploaded files, keys
	DatabaseURL  string // postgres://... or "" for SQLite in DataDir; a secret
	BaseURL      string // public address, e.g. https://mzj.suizhou.gov.cn; "" = derived from requests
	LogFormat    string // "text" or "json"
	LogLevel     string // debug, info, warn, error
	Demo         bool   // load demo data into an empty database at start
	Dev          bool   // development mode: templates read from disk
	ShutdownWait time.Duration
	SMTPURL      string // smtp://user:pass@host:port?from=...&to=... for deadline warnings; "" disables e-mail; a secret
	ApplyCount   string // when application periods start: next_day (default) or same_day
	// TLSCert and TLSKey are PEM files; when both are set, serve speaks
	// HTTPS itself (and sends HSTS). Both or neither.
	TLSCert, TLSKey string
	// SecurityContact is the Contact of /.well-known/security.txt (RFC
	// 9116): a mailto: or https: URI; "" serves no security.txt.
	SecurityContact string
	// PushReceivers are the base URLs of other Gongkai installations this
	// one may push items to (issue 9); a publisher cannot make the server
	// send requests anywhere else. Empty allows none.
	PushReceivers []string
	// BackupDir receives the daily backup; "" takes no scheduled backups.
	BackupDir string
	// BackupKeep is how many daily backups are kept in BackupDir.
	BackupKeep int
	// SearchRate is how many searches a client address may run per
	// second after a burst of 30; 0 means the default, one.
	SearchRate float64
	// NoSearchLimit turns that limit off (--search-rate 0): for load
	// tests, or behind a proxy that hides client addresses.
	NoSearchLimit bool
	// TrustedProxies are the addresses and CIDR prefixes of reverse
	// proxies in front of Gongkai, whose X-Forwarded-For is believed.
	TrustedProxies []string
}

// Var is one setting: its flag name, environment variable, default and
// help text. The table drives both parsing and the help output.
type Var struct {
	Flag, Env, Default, Help string
	Secret                   bool
}

// Vars lists the settings serve understands.
func Vars() []Var {
	return []Var{
		{"addr", "GONGKAI_ADDR", "127.0.0.1:8080", "address to listen on (host:port)", false},
		{"data", "GONGKAI_DATA", "./data", "data directory: SQLite database, uploaded files, signing keys", false},
		{"database-url", "GONGKAI_DATABASE_URL", "", "PostgreSQL URL (postgres://user:pass@host:5432/db); empty uses SQLite in the data directory", true},
		{"base-url", "GONGKAI_BASE_URL", "", "public base URL of the site, e.g. https://mzj.suizhou.gov.cn; empty derives it from each request", false},
		{"log-format", "GONGKAI_LOG_FORMAT", "text", "log format: text or json", false},
		{"log-level", "GONGKAI_LOG_LEVEL", "info", "log level: debug, info, warn or error", false},
		{"apply-counting", "GONGKAI_APPLY_COUNTING", "next_day", "when working-day periods of applications start: next_day (the day of receipt is not counted, the default) or same_day", false},
		{"tls-cert", "GONGKAI_TLS_CERT", "", "TLS certificate file (PEM, with the chain); with --tls-key, serve HTTPS directly", false},
		{"tls-key", "GONGKAI_TLS_KEY", "", "TLS private key file (PEM) for --tls-cert", false},
		{"push-receivers", "GONGKAI_PUSH_RECEIVERS", "", "comma-separated base URLs of other installations this one may push items to, e.g. https://www.suizhou.gov.cn; empty allows none", false},
		{"security-contact", "GONGKAI_SECURITY_CONTACT", "", "contact for /.well-known/security.txt (RFC 9116), e.g. mailto:security@example.gov.cn; empty serves none", false},
		{"backup-dir", "GONGKAI_BACKUP_DIR", "", "directory for the daily backup (database and files, .tar.gz); empty takes no scheduled backups", false},
		{"backup-keep", "GONGKAI_BACKUP_KEEP", "7", "how many daily backups to keep in --backup-dir", false},
		{"trusted-proxies", "GONGKAI_TRUSTED_PROXIES", "", "comma-separated addresses or CIDR prefixes of reverse proxies in front of gongkai (e.g. 127.0.0.1,10.0.0.0/8); their X-Forwarded-For gives readers' addresses for rate limits, lockouts and the audit trail; empty trusts none", false},
		{"search-rate", "GONGKAI_SEARCH_RATE", "1", "searches per second a client address may run after a burst of 30; 0 turns the limit off (load tests, or behind a proxy that hides client addresses)", false},
		{"smtp-url", "GONGKAI_SMTP_URL", "", "SMTP server for application deadline warnings, smtp://user:pass@host:587?from=gongkai@example.cn&to=office@example.cn; empty sends none", true},
	}
}

// Register defines the settings' flags on fs (all of them, or only those
// named), with help text that names the environment variable, and returns a
// function that completes the Config after fs.Parse: flags that were set
// win, then environment variables, then defaults. Settings without a flag
// still come from their variable. All problems are returned together.
func Register(fs *flag.FlagSet, getenv func(string) string, only ...string) func() (Config, error) {
	vals := map[string]*string{}
	for _, v := range Vars() {
		if len(only) > 0 && !slices.Contains(only, v.Flag) {
			continue
		}
		help := fmt.Sprintf("%s (env %s)", v.Help, v.Env)
		vals[v.Flag] = fs.String(v.Flag, v.Default, help)
	}
	return func() (Config, error) {
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		get := func(name string) string {
			for _, v := range Vars() {
				if v.Flag != name {
					continue
				}
				if set[name] && vals[name] != nil {
					return *vals[name]
				}
				if e := getenv(v.Env); e != "" {
					return e
				}
				return v.Default
			}
			panic("config: unknown setting " + name)
		}
		cfg := Config{
			Addr:         get("addr"),
			DataDir:      get("data"),
			DatabaseURL:  get("database-url"),
			BaseURL:      strings.TrimRight(get("base-url"), "/"),
			LogFormat:    get("log-format"),
			LogLevel:     get("log-level"),
			SMTPURL:      get("smtp-url"),
			ApplyCount:   get("apply-counting"),
			ShutdownWait: 20 * time.Second,
			TLSCert:      get("tls-cert"),
			TLSKey:       get("tls-key"),
			// Contact is a URI: keep it as given.
			SecurityContact: get("security-contact"),
			PushReceivers:   splitList(get("push-receivers")),
			TrustedProxies:  splitList(get("trusted-proxies")),
			BackupDir:       get("backup-dir"),
		}
		var errs []error
		if n, err := strconv.Atoi(get("backup-keep")); err != nil || n < 1 {
			errs = append(errs, fmt.Errorf("--backup-keep %q: want a whole number of at least 1", get("backup-keep")))
		} else {
			cfg.BackupKeep = n
		}
		if r, err := strconv.ParseFloat(get("search-rate"), 64); err != nil || r < 0 || r > 1e6 {
			errs = append(errs, fmt.Errorf("--search-rate %q: want a number of searches per second, 0 for no limit", get("search-rate")))
		} else {
			cfg.SearchRate, cfg.NoSearchLimit = r, r == 0
		}
		return cfg, errors.Join(append(errs, cfg.Validate())...)
	}
}

// Validate checks every field and reports all problems at once.
func (c Config) Validate() error {
	var errs []error
	if _, port, err := net.SplitHostPort(c.Addr); err != nil || port == "" {
		errs = append(errs, fmt.Errorf("--addr %q: want host:port, e.g. 127.0.0.1:8080", c.Addr))
	}
	if c.DatabaseURL == "" && c.DataDir == "" {
		errs = append(errs, errors.New("--data: a data directory is required when no database URL is given"))
	}
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		errs = append(errs, errors.New("--database-url: want a postgres:// URL, or leave it empty for SQLite"))
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("--base-url %q: want an absolute http(s) URL", c.BaseURL))
		}
	}
	switch c.ApplyCount {
	case "", "next_day", "same_day":
	default:
		errs = append(errs, fmt.Errorf("--apply-counting %q: want next_day or same_day", c.ApplyCount))
	}
	for _, r := range c.PushReceivers {
		u, err := url.Parse(r)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("--push-receivers %q: want absolute http(s) URLs", r))
		}
	}
	if c.SMTPURL != "" {
		u, err := url.Parse(c.SMTPURL)
		if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Host == "" || u.Query().Get("to") == "" || u.Query().Get("from") == "" {
			errs = append(errs, errors.New("--smtp-url: want smtp://user:pass@host:port?from=...&to=..."))
		}
	}
	for _, p := range c.TrustedProxies {
		var err error
		if strings.Contains(p, "/") {
			_, err = netip.ParsePrefix(p)
		} else {
			_, err = netip.ParseAddr(p)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("--trusted-proxies %q: want addresses or CIDR prefixes such as 10.0.0.0/8", p))
		}
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		errs = append(errs, errors.New("--tls-cert and --tls-key: give both files, or neither"))
	}
	if c.SecurityContact != "" && !strings.HasPrefix(c.SecurityContact, "mailto:") && !strings.HasPrefix(c.SecurityContact, "https://") && !strings.HasPrefix(c.SecurityContact, "tel:") {
		errs = append(errs, fmt.Errorf("--security-contact %q: want a mailto:, https: or tel: URI (RFC 9116)", c.SecurityContact))
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		errs = append(errs, fmt.Errorf("--log-format %q: want text or json", c.LogFormat))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("--log-level %q: want debug, info, warn or error", c.LogLevel))
	}
	return errors.Join(errs...)
}

// splitList splits a comma-separated setting, dropping blanks and
// trailing slashes.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimRight(strings.TrimSpace(p), "/"); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// String describes the configuration with secrets masked, for logs.
func (c Config) String() string {
	db := "sqlite in " + c.DataDir
	if c.DatabaseURL != "" {
		db = RedactURL(c.DatabaseURL)
	}
	return fmt.Sprintf("addr=%s database=%s base_url=%q", c.Addr, db, c.BaseURL)
}

// RedactURL hides the password of a URL.
func RedactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparseable URL)"
	}
	return u.Redacted()
}

// SecureCookies reports whether cookies must carry the Secure attribute:
// when the public address is https or serve speaks TLS itself. Behind a
// TLS-terminating proxy set --base-url to the https address.
func (c Config) SecureCookies() bool { return strings.HasPrefix(c.BaseURL, "https://") || c.TLS() }

// TLS reports whether serve speaks HTTPS itself, from certificate files.
func (c Config) TLS() bool { return c.TLSCert != "" && c.TLSKey != "" }
