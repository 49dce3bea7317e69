package app

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// securityTxt serves /.well-known/security.txt (RFC 9116) with the
// configured contact, an expiry a year ahead (section 2.5.5 requires
// one, at most a year away), the preferred languages and, when the public
// address is known, its canonical address. Without a contact it answers
// 404: a security.txt without Contact is invalid (section 2.5.3).
func (a *App) securityTxt(now func() time.Time) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.Config.SecurityContact == "" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "public, max-age=86400")
		var b strings.Builder
		fmt.Fprintf(&b, "Contact: %s\n", a.Config.SecurityContact)
		// A day-granular expiry keeps the file stable through a day.
		exp := now().UTC().Truncate(24*time.Hour).AddDate(1, 0, -1)
		fmt.Fprintf(&b, "Expires: %s\n", exp.Format(time.RFC3339))
		b.WriteString("Preferred-Languages: zh, en\n")
		if a.Config.BaseURL != "" {
			fmt.Fprintf(&b, "Canonical: %s/.well-known/security.txt\n", a.Config.BaseURL)
		}
		fmt.Fprint(w, b.String())
	})
}
